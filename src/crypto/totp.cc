#include "crypto/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/crypto.h"

namespace sb::crypto {
namespace {

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string UriComponent(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string NewTotpSecret() { return RandomBytes(kTotpSecretBytes); }

std::int64_t TotpStep(Timestamp at) { return at / (kTotpStepSeconds * kMillisPerSecond); }

std::string TotpCode(std::string_view secret, std::int64_t step) {
  unsigned char counter[8];
  for (int i = 7; i >= 0; --i) {
    counter[i] = static_cast<unsigned char>(step & 0xff);
    step >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), counter, sizeof counter, mac,
       &mac_len);
  const int offset = mac[mac_len - 1] & 0x0f;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::string code = std::to_string(binary % 1'000'000);
  return std::string(6 - code.size(), '0') + code;
}

std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code, Timestamp at,
                                      std::int64_t last_used_step) {
  if (code.size() != 6) return std::nullopt;
  const std::int64_t now = TotpStep(at);
  std::optional<std::int64_t> matched;
  // Every candidate is computed and compared, so the time taken says nothing of which one
  // (if any) matched.
  for (std::int64_t step = now - 1; step <= now + 1; ++step) {
    bool equal = ConstantTimeEqual(TotpCode(secret, step), code);
    if (equal && step > last_used_step && !matched) matched = step;
  }
  return matched;
}

std::string Base32(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  std::string label = UriComponent(issuer) + ":" + UriComponent(account);
  return "otpauth://totp/" + label + "?secret=" + Base32(secret) +
         "&issuer=" + UriComponent(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace sb::crypto
