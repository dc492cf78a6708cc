#pragma once

// Thin, safe wrappers over libsodium (and OpenSSL's SHA-256). All functions are
// thread-safe. Binary values are std::string of raw bytes.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"

namespace sb::crypto {

// Initializes libsodium; called by every function here, cheap after the first call.
void Init();

// SHA-256 of `data`: 32 raw bytes.
std::string Sha256(std::string_view data);
// SHA-256 of the parts one after another, as if concatenated.
std::string Sha256(std::initializer_list<std::string_view> parts);
// SHA-256 of a file's bytes (32 raw bytes), read in pieces; nullopt when it cannot be read.
std::optional<std::string> Sha256OfFile(const std::string& path);
// HMAC-SHA256 of `data` under `key`: 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);
// Constant-time comparison.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

std::string Hex(std::string_view bytes);
std::optional<std::string> FromHex(std::string_view hex);
std::string Base64(std::string_view bytes);  // standard alphabet, padded
std::optional<std::string> FromBase64(std::string_view b64);
std::string Base64Url(std::string_view bytes);  // URL-safe, unpadded

// `n` cryptographically random bytes.
std::string RandomBytes(size_t n);

// `n` decimal digits, each drawn uniformly (libsodium's randombytes_uniform, no modulo bias),
// e.g. a one-time code.
std::string RandomDigits(size_t n);

// A new id "<prefix>_<26 chars>": 10 chars of Crockford base32 milliseconds (so ids sort by
// creation time) then 16 base32 chars (80 bits) of tail. Ids made on one thread with the same
// `now` (one transaction) sort in the order they were made, whatever their prefix; each has
// at least 64 bits that cannot be predicted from the ids made before it. Thread-safe.
std::string NewId(std::string_view prefix, Timestamp now);

// Ed25519.
struct SigningKeyPair {
  std::string public_key;  // 32 bytes
  std::string secret_key;  // 64 bytes
};
SigningKeyPair NewSigningKeyPair();
std::string Sign(std::string_view secret_key, std::string_view message);  // 64 bytes
bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature);

// XChaCha20-Poly1305 with a random nonce prepended to the ciphertext. `ad` is bound to the
// ciphertext (decryption with another `ad` fails).
constexpr size_t kAeadKeySize = 32;
std::string NewAeadKey();
// Overwrites the bytes of a secret about to be dropped (sodium_memzero), then empties it.
void Wipe(std::string& secret);
std::string Seal(std::string_view key, std::string_view plaintext, std::string_view ad = {});
std::optional<std::string> Open(std::string_view key, std::string_view sealed,
                                std::string_view ad = {});

}  // namespace sb::crypto
