#include "tests/support/http_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>

#include "tests/support/openapi_contract.h"
#include "tests/support/server_process.h"
#include "tests/support/text.h"

namespace sb::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Ports whose server once left a request unanswered: a hung server is reported once, with
// its threads' stacks, and later requests to it give up sooner so that the test ends (and
// says so) within its own time limit.
std::mutex hung_mutex;
std::set<int> hung_ports;

std::chrono::seconds Patience(int port) {
  std::lock_guard lock(hung_mutex);
  return std::chrono::seconds(hung_ports.count(port) > 0 ? 5 : 60);
}

}  // namespace

void HttpClient::ReportHang(const std::string& method, const std::string& target) const {
  {
    std::lock_guard lock(hung_mutex);
    if (!hung_ports.insert(port_).second) {
      ADD_FAILURE() << method << " " << target << ": no answer either";
      return;
    }
  }
  ADD_FAILURE() << method << " " << target << ": no answer in 60 s. " << HangReport(port_);
}

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
    // A deadline for the whole exchange: the stream's timer only applies to asynchronous
    // operations, so each step is started asynchronously and run to its end here.
    stream.expires_after(Patience(port_));
    beast::error_code connect_ec;
    stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_),
                         [&](beast::error_code ec) { connect_ec = ec; });
    ioc.run();
    if (connect_ec) {
      out.body = "connect: " + connect_ec.message();
      return out;
    }
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
    beast::error_code write_ec;  // on failure the server may still have answered
    bhttp::async_write(stream, req, [&](beast::error_code ec, std::size_t) { write_ec = ec; });
    ioc.restart();
    ioc.run();
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    beast::error_code read_ec;
    bhttp::async_read(stream, buffer, parser,
                      [&](beast::error_code ec, std::size_t) { read_ec = ec; });
    ioc.restart();
    ioc.run();
    if (write_ec == beast::error::timeout || read_ec == beast::error::timeout) {
      ReportHang(method, target);
      out.body = "no answer in time";
      return out;
    }
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
    beast::tcp_stream stream(ioc);
    stream.expires_after(Patience(port_));
    beast::error_code ec;
    stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_),
                         [&](beast::error_code e) { ec = e; });
    ioc.run();
    if (ec) return "connect: " + ec.message();
    asio::async_write(stream, asio::buffer(raw), [&](beast::error_code e, std::size_t) { ec = e; });
    ioc.restart();
    ioc.run();
    char buf[4096];
    // Reads until the answer's JSON body has begun to close, the server closes, or the
    // deadline passes.
    std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code e,
                                                                      std::size_t n) {
      answer.append(buf, n);
      if (e) {
        ec = e;
        return;
      }
      std::size_t head_end = answer.find("\r\n\r\n");
      if (head_end != std::string::npos && answer.find('}', head_end) != std::string::npos) return;
      stream.async_read_some(asio::buffer(buf), on_read);
    };
    stream.async_read_some(asio::buffer(buf), on_read);
    ioc.restart();
    ioc.run();
    if (ec == beast::error::timeout) ReportHang("(raw)", raw.substr(0, raw.find('\r')));
  } catch (const std::exception& e) {
    answer += e.what();
  }
  return answer;
}

}  // namespace sb::testing
