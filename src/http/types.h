#pragma once

// Plain request and response values, independent of Beast, so that request handling is a
// pure function (Handler::Handle) that unit tests can call without sockets.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::http {

// Case-insensitive ordering for header names.
struct HeaderLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

// A request body the server wrote to a temporary file instead of memory (a route whose body
// is an upload, BodyType::kUpload): removed from disk when the last reference goes.
struct SpooledBody {
  std::string path;
  std::uint64_t size = 0;
  std::string sha256;  // hex SHA-256 of the bytes, for the Idempotency-Key fingerprint
  SpooledBody() = default;
  SpooledBody(const SpooledBody&) = delete;
  SpooledBody& operator=(const SpooledBody&) = delete;
  ~SpooledBody();
};

// One parsed HTTP request. `path` is the raw path, still percent-encoded and without the
// query string (the router splits it on '/' before decoding each segment, see
// DecodedSegments in http/router.h); `query` holds decoded parameters.
struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request target, e.g. "/v1/accounts?limit=5"
  std::string path;
  std::map<std::string, std::string> query;
  std::map<std::string, std::string, HeaderLess> headers;
  std::string body;
  // Set instead of `body` for an upload route: the body on disk.
  std::shared_ptr<SpooledBody> spooled;
  // The peer's IP address as text ("127.0.0.1", "::1"); empty when unknown (unit tests).
  std::string remote_address;

  // The header's value, or nullopt when absent.
  std::optional<std::string> Header(const std::string& name) const;
};

// One HTTP response. Headers keep their insertion order.
struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the body is not `body` but what `stream` produces, sent as it comes
  // (Transfer-Encoding: chunked) from the handler thread: each call appends the next piece to
  // `*out` and returns false when there is nothing more (after appending a last piece, if
  // any). For long answers (a results download) and live streams (server-sent events).
  std::function<bool(std::string* out)> stream;

  void SetHeader(const std::string& name, std::string value);
  // The header's value, or nullopt when absent (case-insensitive).
  std::optional<std::string> Header(const std::string& name) const;
};

// Splits `target` into its raw path (percent-encoded as sent) and decoded query parameters.
// Returns false when the target is not an origin-form path, its percent-encoding is broken
// or the decoded path holds a NUL. A query parameter given more than once keeps its first
// value, and the first such name goes to `repeated` when given.
bool ParseTarget(const std::string& target, std::string* path,
                 std::map<std::string, std::string>* query, std::string* repeated = nullptr);

// Percent-decodes `in` into `out` ('+' reads as a space when `plus_is_space`, as in a query).
// Returns false when a '%' is not followed by two hex digits.
bool PercentDecode(std::string_view in, std::string* out, bool plus_is_space);

}  // namespace sb::http
