#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Holds the master key and uses it to wrap per-subject data keys and server keys.
// Personal data is sealed under the subject's data key; destroying that key erases it.
// Thread-safe.
//
// The data keys it unwraps stay in memory (at most kKeptDataKeys, the oldest dropped first),
// each with the wrapped key it came from: a subject's key is taken from memory only when the
// wrapped key its row holds now is the same, so a key destroyed by any process (its row then
// holds none) is never used again; an erasure in this process also drops it (Forget).
class Keyring {
 public:
  // REQUIRES: master_key is 32 bytes.
  explicit Keyring(std::string master_key);
  ~Keyring();
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;

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

  // Drops the data key of `subject_id` kept in memory, if any (its key is being destroyed).
  void Forget(std::string_view tenant_id, std::string_view subject_id) const;

  // How many unwrapped data keys stay in memory.
  static constexpr std::size_t kKeptDataKeys = 4096;

 private:
  // The data key `wrapped` holds for the subject whose context is `ad`, from memory when it
  // was unwrapped before; nullopt when it does not open under the master key.
  std::optional<std::string> DataKey(const std::string& ad, std::string_view wrapped) const;

  std::string master_key_;

  struct KeptKey {
    std::string wrapped;
    std::string data_key;
  };
  mutable std::mutex kept_mu_;
  mutable std::unordered_map<std::string, KeptKey> kept_;  // by subject context
  mutable std::deque<std::string> kept_order_;             // oldest first
};

}  // namespace sb::app
