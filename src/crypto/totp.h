#pragma once

// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA-1, 6 digits,
// 30-second steps, the parameters every authenticator app reads from an otpauth:// URI.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"

namespace sb::crypto {

constexpr int kTotpStepSeconds = 30;
constexpr size_t kTotpSecretBytes = 20;  // 160 bits, RFC 4226's recommendation

// A fresh random secret (raw bytes).
std::string NewTotpSecret();

// The time step `at` falls in.
std::int64_t TotpStep(Timestamp at);

// The 6-digit code of `secret` for `step` (RFC 4226 dynamic truncation), zero-padded.
std::string TotpCode(std::string_view secret, std::int64_t step);

// The step within one of `at`'s (either side, for clocks a little apart) whose code is
// `code`, compared in constant time; nullopt when none matches. A step at or before
// `last_used_step` never matches, so a code is good once.
std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code, Timestamp at,
                                      std::int64_t last_used_step);

// RFC 4648 base32, upper case, unpadded: the form otpauth:// URIs carry secrets in.
std::string Base32(std::string_view bytes);

// otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace sb::crypto
