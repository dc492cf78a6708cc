#include "crypto/password.h"

#include <sodium.h>

#include "crypto/crypto.h"

namespace sb::crypto {

std::string HashPassword(std::string_view password) {
  Init();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kPasswordOpsLimit,
                            kPasswordMemLimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return {};
  }
  return out;
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  Init();
  if (encoded.size() >= crypto_pwhash_STRBYTES || encoded.rfind("$argon2id$", 0) != 0) {
    return false;
  }
  std::string terminated(encoded);  // libsodium reads a NUL-terminated string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view encoded) {
  Init();
  std::string terminated(encoded);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), kPasswordOpsLimit, kPasswordMemLimit) !=
         0;
}

}  // namespace sb::crypto
