#include "crypto/webhook_signature.h"

#include <charconv>

#include "crypto/crypto.h"

namespace sb::crypto {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";

std::string SignedContent(std::string_view id, Timestamp ts_seconds, std::string_view body) {
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(ts_seconds)).append(".").append(body);
  return content;
}

// Seconds since the epoch written as plain decimal digits; nullopt for anything else.
std::optional<Timestamp> ParseSeconds(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  Timestamp v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text[0] == '-') return std::nullopt;
  return v;
}

Status BadHeader(std::string header, std::string message) {
  return Status::Invalid(std::move(header), std::move(message), "malformed_header");
}

}  // namespace

Result<std::string> DecodeWebhookSecret(std::string_view secret) {
  if (secret.starts_with(kSecretPrefix)) secret.remove_prefix(kSecretPrefix.size());
  std::optional<std::string> key = secret.empty() ? std::nullopt : FromBase64(secret);
  if (!key || key->empty()) {
    return Status::Invalid("secret", "webhook secret must be \"whsec_\" followed by base64");
  }
  return *std::move(key);
}

std::string SignWebhook(std::string_view secret, std::string_view id, Timestamp ts_seconds,
                        std::string_view body) {
  return "v1," + Base64(HmacSha256(secret, SignedContent(id, ts_seconds, body)));
}

Status VerifyWebhook(std::string_view secret, std::string_view id,
                     std::string_view timestamp_header, std::string_view signature_header,
                     std::string_view body, Timestamp now_seconds, int tolerance_seconds) {
  if (id.empty()) return BadHeader("webhook-id", "webhook-id is missing");
  std::optional<Timestamp> ts = ParseSeconds(timestamp_header);
  if (!ts) return BadHeader("webhook-timestamp", "webhook-timestamp must be epoch seconds");
  if (*ts < now_seconds - tolerance_seconds || *ts > now_seconds + tolerance_seconds) {
    return {Code::kUnauthenticated, "timestamp_out_of_tolerance",
            "webhook-timestamp is too far from the current time", "webhook-timestamp"};
  }
  if (signature_header.empty())
    return BadHeader("webhook-signature", "webhook-signature is missing");
  std::string expected = SignWebhook(secret, id, *ts, body).substr(3);
  bool matched = false;
  while (!signature_header.empty()) {
    std::size_t space = signature_header.find(' ');
    std::string_view entry = signature_header.substr(0, space);
    signature_header.remove_prefix(space == std::string_view::npos ? signature_header.size()
                                                                   : space + 1);
    if (entry.empty()) continue;  // tolerate repeated spaces
    std::size_t comma = entry.find(',');
    if (comma == std::string_view::npos || comma == 0 || comma + 1 == entry.size()) {
      return BadHeader("webhook-signature", "each signature must be \"<version>,<base64>\"");
    }
    if (entry.substr(0, comma) != "v1") continue;
    // Every candidate is compared, so timing does not reveal which one matched.
    matched |= ConstantTimeEqual(entry.substr(comma + 1), expected);
  }
  if (!matched) {
    return {Code::kUnauthenticated, "bad_signature", "no signature matches the payload",
            "webhook-signature"};
  }
  return Status::Ok();
}

}  // namespace sb::crypto
