// One request read under the server's limits (request_reader.h), shared by the connections
// of http/server.cc and by ParseRequestBytes.
#include "http/request_reader.h"

#include <boost/asio/buffer.hpp>

#include "http/problem.h"

namespace sb::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

RequestReader::Fields RequestReader::FieldsOf(const bhttp::fields& fields) {
  Fields out;
  for (const auto& f : fields) out.emplace_back(f.name_string(), f.value());
  return out;
}

void RequestReader::Reset() {
  parser_.emplace();
  head_.reset();
  on_chunk_header_ = [this](std::uint64_t size, beast::string_view, beast::error_code&) {
    if (size == 0) head_ = FieldsOf(parser_->get().base());
  };
  parser_->on_chunk_header(on_chunk_header_);
  parser_->body_limit(options_.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
}

Request RequestReader::Take(std::string remote_address) {
  Fields head = head_ ? std::move(*head_) : FieldsOf(parser_->get().base());
  bhttp::request<bhttp::string_body> in = parser_->release();
  Request r;
  r.remote_address = std::move(remote_address);
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  for (auto& [name, value] : head) {
    auto [it, inserted] = r.headers.try_emplace(name, value);
    if (!inserted) it->second += ", " + value;
  }
  r.body = std::move(in.body());
  return r;
}

Request RequestReader::Head(std::string remote_address) const {
  const auto& in = parser_->get();
  Request r;
  r.remote_address = std::move(remote_address);
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  for (auto& [name, value] : FieldsOf(in.base())) {
    auto [it, inserted] = r.headers.try_emplace(name, value);
    if (!inserted) it->second += ", " + value;
  }
  return r;
}

std::optional<Response> RefusalFor(beast::error_code ec) {
  if (ec == bhttp::error::body_limit) {
    return ProblemResponse(413, "body_too_large", "The request body is over the limit.");
  }
  if (ec == bhttp::error::header_limit) {
    return ProblemResponse(431, "headers_too_large", "The request headers are over the limit.");
  }
  if (ec == asio::error::eof || ec == asio::error::connection_reset) return std::nullopt;
  return ProblemResponse(400, "malformed_request", "The request is not valid HTTP/1.1.");
}

ParsedRequest ParseRequestBytes(std::string_view bytes, const ServerOptions& options) {
  RequestReader reader(options);
  reader.Reset();
  RequestReader::Parser& parser = reader.parser();
  parser.eager(true);  // as bhttp::async_read reads a whole message
  beast::error_code ec;
  while (!parser.is_done()) {
    std::size_t used = parser.put(asio::const_buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (ec && ec != bhttp::error::need_more) break;
    if (!ec && used > 0) continue;
    // Every byte was offered and the parser wants more: the connection's end of stream.
    // (Offering the same bytes again breaks Beast's contract, which is that the next call
    // sees more bytes than the last; a connection reads more before it calls again.)
    ec = {};
    if (!parser.got_some()) return {};
    parser.put_eof(ec);
    if (!ec && !parser.is_done()) ec = bhttp::error::partial_message;
    break;
  }
  ParsedRequest out;
  if (ec) {
    out.refusal = RefusalFor(ec);
  } else {
    out.request = reader.Take("");
  }
  return out;
}

}  // namespace sb::http
