// libFuzzer target: the bytes of one HTTP/1.1 request as a connection of the server reads
// them (http/request_reader.h: Beast's parser with the server's default body and header
// limits, the fields kept before a chunked body's trailer), then the checks every request
// meets before routing: the target split into path and query (ParseTarget), the path's
// decoded segments (http/router.h), X-Request-Id and the UTF-8 and card-number checks of
// the request line and headers (http/input_checks.h). Any bytes must give a request or a
// refusal (400, 413, 431), never a crash, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "http/input_checks.h"
#include "http/request_reader.h"
#include "http/router.h"
#include "http/types.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sb::http::ServerOptions options;  // the limits `serve` starts with by default
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  sb::http::ParsedRequest parsed = sb::http::ParseRequestBytes(bytes, options);
  if (!parsed.request) return 0;
  sb::http::Request& request = *parsed.request;
  if (std::optional<std::string> id = request.Header("X-Request-Id")) {
    (void)sb::http::CheckRequestId(*id);
  }
  (void)sb::http::CheckInput(request);
  if (sb::http::ParseTarget(request.target, &request.path, &request.query)) {
    (void)sb::http::DecodedSegments(request.path);
  }
  return 0;
}
