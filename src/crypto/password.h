#pragma once

// Staff passwords, hashed with argon2id (libsodium crypto_pwhash, RFC 9106). The stored
// string is libsodium's encoded form ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), so its
// cost travels with it and a hash made under older parameters still verifies.

#include <optional>
#include <string>
#include <string_view>

namespace sb::crypto {

// The cost every new hash is made at: 19 MiB and 2 passes, OWASP's argon2id baseline.
constexpr unsigned long long kPasswordOpsLimit = 2;
constexpr size_t kPasswordMemLimit = 19u << 20;

// The encoded argon2id hash of `password` under a fresh random salt. Empty only when the
// memory could not be had (the caller answers 503).
std::string HashPassword(std::string_view password);

// Whether `password` matches `encoded` (constant time in the password). A malformed or
// non-argon2id `encoded` never matches.
bool VerifyPassword(std::string_view encoded, std::string_view password);

// Whether `encoded` was made at a lower cost than today's, so it should be hashed again at
// the next successful sign-in.
bool PasswordNeedsRehash(std::string_view encoded);

}  // namespace sb::crypto
