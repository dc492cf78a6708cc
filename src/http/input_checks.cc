#include "http/input_checks.h"

#include <unicode/utf8.h>

#include <cstdint>
#include <map>

#include "app/core/card_fields.h"
#include "crypto/crypto.h"
#include "domain/card_numbers.h"
#include "http/router.h"

namespace sb::http {
namespace {

constexpr std::size_t kMaxRequestId = 128;

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

Status NotUtf8(const std::string& where) {
  return Status::Invalid(where, "'" + where + "' is not valid UTF-8.", "invalid_utf8");
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  if (static_cast<std::size_t>(length) != text.size()) return false;  // over 2 GB
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

Status CheckRequestId(const std::string& given) {
  bool token = !given.empty() && given.size() <= kMaxRequestId;
  for (char c : given) token = token && IsTokenChar(c);
  if (!token) {
    return Status::Invalid("X-Request-Id",
                           "X-Request-Id must be 1-128 characters of [A-Za-z0-9._:-].",
                           "invalid_header");
  }
  if (domain::LooksLikeCardNumber(given)) return app::CardNumberRefused("X-Request-Id");
  return Status::Ok();
}

// Unique, not secret: each thread starts from 96 random bits and counts in the low 64, so that
// an id costs no call for randomness.
std::string NewRequestId() {
  thread_local const std::string base = crypto::RandomBytes(12);
  thread_local std::uint64_t count = 0;
  std::string bytes = base;
  std::uint64_t n = ++count;
  for (int i = 11; i >= 4; --i, n >>= 8) bytes[i] = static_cast<char>(bytes[i] ^ (n & 0xff));
  return "rid_" + crypto::Hex(bytes);
}

Status CheckInput(const Request& request) {
  std::string path;
  std::map<std::string, std::string> query;
  if (!ParseTarget(request.target, &path, &query)) return CheckInput(request, query, std::nullopt);
  return CheckInput(request, query, DecodedSegments(path));
}

Status CheckInput(const Request& request, const std::map<std::string, std::string>& query,
                  const std::optional<std::vector<std::string>>& segments) {
  for (const auto& [name, value] : request.headers) {
    if (!IsValidUtf8(value)) return NotUtf8(name);
  }
  if (!segments) return Status::Ok();
  for (const std::string& segment : *segments) {
    if (!IsValidUtf8(segment)) return NotUtf8("path");
    if (domain::LooksLikeCardNumber(segment)) return app::CardNumberRefused("path");
  }
  // A read's query is neither stored nor logged; a write's may be (a signed event's too).
  bool write = request.method != "GET" && request.method != "HEAD";
  for (const auto& [name, value] : query) {
    if (!IsValidUtf8(name)) return NotUtf8("query");
    if (!IsValidUtf8(value)) return NotUtf8(name);
    if (write && domain::LooksLikeCardNumber(name)) {
      return app::CardNumberRefused(domain::MaskCardNumbers(name));
    }
    if (write && domain::LooksLikeCardNumber(value)) return app::CardNumberRefused(name);
  }
  return Status::Ok();
}

}  // namespace sb::http
