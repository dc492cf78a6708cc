#pragma once
// Reading one HTTP/1.1 request off the wire under the server's limits: the Beast parser as
// each connection of http/server.cc configures it, the header fields it keeps and the answer
// to a request that cannot be read. ParseRequestBytes runs the same reader over bytes in
// memory, so that tests and the fuzz target of tests/fuzz parse requests exactly as the
// server does, without a socket.

#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/server.h"
#include "http/types.h"

namespace sb::http {

// One request's parser with the body and header limits of ServerOptions. Not thread-safe;
// a connection reads with one at a time, and Reset before each request.
class RequestReader {
 public:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  explicit RequestReader(const ServerOptions& options) : options_(options) {}
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  // A fresh parser for the next request, under the options' body and header limits.
  void Reset();
  // The parser to read into. REQUIRES: Reset was called.
  Parser& parser() { return *parser_; }
  // The request as the handler sees it, from a parser that is done. Only the fields received
  // before the body are headers: Beast adds a chunked body's trailer fields to the message's
  // own, and a trailer must not supply (or override) Authorization, X-Reason or any other
  // header. `path` and `query` are left for the handler (ParseTarget).
  Request Take(std::string remote_address);
  // The request's method, target and headers from a parser whose header is read, without its
  // body: for an upload, whose body goes to a file (http/server.cc). The parser is left as it
  // was, to be moved into the upload's file parser.
  Request Head(std::string remote_address) const;

 private:
  using Fields = std::vector<std::pair<std::string, std::string>>;
  static Fields FieldsOf(const boost::beast::http::fields& fields);

  const ServerOptions& options_;
  std::optional<Parser> parser_;
  // The header fields as they stood at the last chunk of a chunked body, before its trailer
  // (parsed next) joins them; empty for a body with a Content-Length.
  std::optional<Fields> head_;
  std::function<void(std::uint64_t, boost::beast::string_view, boost::beast::error_code&)>
      on_chunk_header_;
};

// The answer to a request whose reading failed with `ec`: 413 body_too_large, 431
// headers_too_large, else 400 malformed_request; nullopt when the peer went away (the
// connection is just closed).
std::optional<Response> RefusalFor(boost::beast::error_code ec);

// One request read from `bytes` as a connection of the server reads it (the same parser,
// limits and header rules): exactly one of `request` and `refusal` is set, or neither when
// the bytes end before any request starts. Bytes after the first request are ignored.
struct ParsedRequest {
  std::optional<Request> request;
  std::optional<Response> refusal;
};
ParsedRequest ParseRequestBytes(std::string_view bytes, const ServerOptions& options);

}  // namespace sb::http
