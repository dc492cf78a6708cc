#include "tests/support/http_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

#include "tests/support/openapi_contract.h"
#include "tests/support/text.h"

namespace sb::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

}  // namespace

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(AsciiLower(name));
  return it == headers.end() ? std::string() : it->second;
}

boost::json::value HttpResponse::Json() const {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) return nullptr;
  return v;
}

HttpResponse HttpClient::Send(const std::string& method, const std::string& target,
                              const std::string& body, const Headers& headers) const {
  HttpResponse out;
  try {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(60));
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    bhttp::request<bhttp::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port_));
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST" || method == "PATCH") {
      if (req[bhttp::field::content_type].empty())
        req.set(bhttp::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    beast::error_code write_ec;
    bhttp::write(stream, req, write_ec);  // on failure the server may still have answered
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    beast::error_code read_ec;
    bhttp::read(stream, buffer, parser, read_ec);
    if (read_ec) {
      out.body = "write: " + write_ec.message() + "; read: " + read_ec.message();
      return out;
    }
    auto res = parser.release();
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) out.headers[AsciiLower(std::string(f.name_string()))] = f.value();
    out.body = res.body();
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  } catch (const std::exception& e) {
    out.status = 0;
    out.body = e.what();
  }
  // Every answer a test receives is held to the API's contract (api/openapi.yaml).
  if (out.status != 0) {
    std::vector<std::string> mismatches = ContractMismatches(method, target, out);
    if (!mismatches.empty()) {
      std::string all;
      for (const std::string& m : mismatches) all += "\n  " + m;
      ADD_FAILURE() << "The answer does not match api/openapi.yaml:" << all
                    << "\n  body: " << out.body.substr(0, 500);
    }
  }
  return out;
}

std::string HttpClient::SendRaw(const std::string& raw) const {
  std::string answer;
  try {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    asio::write(socket, asio::buffer(raw));
    beast::error_code ec;
    char buf[4096];
    while (true) {
      std::size_t n = socket.read_some(asio::buffer(buf), ec);
      if (ec) break;
      answer.append(buf, n);
      if (answer.find("\r\n\r\n") != std::string::npos &&
          answer.find("}", answer.find("\r\n\r\n")) != std::string::npos) {
        break;
      }
    }
  } catch (const std::exception& e) {
    answer += e.what();
  }
  return answer;
}

}  // namespace sb::testing
