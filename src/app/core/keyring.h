#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Holds the master key and uses it to wrap per-subject data keys and server keys.
// Personal data is sealed under the subject's data key; destroying that key erases it.
// Thread-safe (immutable after construction).
class Keyring {
 public:
  // REQUIRES: master_key is 32 bytes.
  explicit Keyring(std::string master_key);

  // Seals `plaintext` for `subject_id`, creating the subject's data key inside `tx` if it has
  // none. Returns the ciphertext (binary).
  Result<std::string> SealFor(domain::Tx& tx, std::string_view tenant_id,
                              std::string_view subject_id, std::string_view plaintext) const;
  // Opens data sealed by SealFor. kNotFound/"erased" when the subject's key was destroyed.
  Result<std::string> OpenFor(domain::Tx& tx, std::string_view tenant_id,
                              std::string_view subject_id, std::string_view sealed) const;

  // Wraps / unwraps a server secret (e.g. the audit signing key) under the master key.
  std::string WrapSecret(std::string_view secret, std::string_view purpose) const;
  Result<std::string> UnwrapSecret(std::string_view wrapped, std::string_view purpose) const;

  // A 32-byte key for `purpose` derived from the master key (HMAC-SHA-256 of the purpose),
  // e.g. the key one-time codes are hashed under: the same on every server sharing the master
  // key, never stored.
  std::string DerivedKey(std::string_view purpose) const;

 private:
  std::string master_key_;
};

}  // namespace sb::app
