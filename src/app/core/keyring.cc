#include "app/core/keyring.h"

#include <stdexcept>

#include "crypto/crypto.h"

namespace sb::app {
namespace {

std::string SubjectContext(std::string_view tenant_id, std::string_view subject_id) {
  std::string ad(tenant_id);
  ad += '/';
  ad += subject_id;
  return ad;
}

}  // namespace

Keyring::Keyring(std::string master_key) : master_key_(std::move(master_key)) {
  if (master_key_.size() != crypto::kAeadKeySize) {
    throw std::invalid_argument("master key must be 32 bytes");
  }
}

Keyring::~Keyring() {
  for (auto& [ad, kept] : kept_) crypto::Wipe(kept.data_key);
  crypto::Wipe(master_key_);
}

std::optional<std::string> Keyring::DataKey(const std::string& ad, std::string_view wrapped) const {
  {
    std::lock_guard lock(kept_mu_);
    auto it = kept_.find(ad);
    if (it != kept_.end() && it->second.wrapped == wrapped) return it->second.data_key;
  }
  std::optional<std::string> data_key = crypto::Open(master_key_, wrapped, ad);
  if (!data_key) return std::nullopt;
  std::lock_guard lock(kept_mu_);
  auto [it, added] = kept_.try_emplace(ad);
  if (!added) crypto::Wipe(it->second.data_key);
  it->second = KeptKey{std::string(wrapped), *data_key};
  if (added) kept_order_.push_back(ad);
  while (kept_.size() > kKeptDataKeys || kept_order_.size() > 2 * kKeptDataKeys) {
    auto oldest = kept_.find(kept_order_.front());
    if (oldest != kept_.end()) {
      crypto::Wipe(oldest->second.data_key);
      kept_.erase(oldest);
    }
    kept_order_.pop_front();
  }
  return data_key;
}

void Keyring::Forget(std::string_view tenant_id, std::string_view subject_id) const {
  std::lock_guard lock(kept_mu_);
  auto it = kept_.find(SubjectContext(tenant_id, subject_id));
  if (it == kept_.end()) return;
  crypto::Wipe(it->second.data_key);
  kept_.erase(it);
}

Result<std::string> Keyring::SealFor(domain::Tx& tx, std::string_view tenant_id,
                                     std::string_view subject_id,
                                     std::string_view plaintext) const {
  std::string ad = SubjectContext(tenant_id, subject_id);
  auto existing = tx.GetSubjectKey(tenant_id, subject_id);
  std::string data_key;
  if (existing.ok()) {
    if (existing->destroyed_at) {
      return Status::Conflict("personal_data_erased",
                              "personal data of " + std::string(subject_id) + " was erased");
    }
    auto opened = DataKey(ad, existing->wrapped_key);
    if (!opened) return Status::Internal("data key does not open under the master key");
    data_key = std::move(*opened);
  } else if (existing.status().code() == Code::kNotFound) {
    data_key = crypto::NewAeadKey();
    domain::SubjectKey k;
    k.tenant_id = std::string(tenant_id);
    k.subject_id = std::string(subject_id);
    k.wrapped_key = crypto::Seal(master_key_, data_key, ad);
    SB_RETURN_IF_ERROR(tx.InsertSubjectKey(k));
  } else {
    return existing.status();
  }
  std::string sealed = crypto::Seal(data_key, plaintext, ad);
  crypto::Wipe(data_key);
  return sealed;
}

Result<std::string> Keyring::OpenFor(domain::Tx& tx, std::string_view tenant_id,
                                     std::string_view subject_id, std::string_view sealed) const {
  std::string ad = SubjectContext(tenant_id, subject_id);
  SB_ASSIGN_OR_RETURN(domain::SubjectKey key, tx.GetSubjectKey(tenant_id, subject_id));
  if (key.destroyed_at) {
    return Status(Code::kNotFound, "erased", "personal data was erased");
  }
  auto data_key = DataKey(ad, key.wrapped_key);
  if (!data_key) return Status::Internal("data key does not open under the master key");
  auto plain = crypto::Open(*data_key, sealed, ad);
  crypto::Wipe(*data_key);
  if (!plain) return Status::Internal("personal data does not open under its data key");
  return std::move(*plain);
}

std::string Keyring::WrapSecret(std::string_view secret, std::string_view purpose) const {
  return crypto::Seal(master_key_, secret, purpose);
}

Result<std::string> Keyring::UnwrapSecret(std::string_view wrapped,
                                          std::string_view purpose) const {
  auto plain = crypto::Open(master_key_, wrapped, purpose);
  if (!plain) return Status::Internal("server secret does not open under the master key");
  return std::move(*plain);
}

std::string Keyring::DerivedKey(std::string_view purpose) const {
  return crypto::HmacSha256(master_key_, "switchboard derived key/" + std::string(purpose));
}

}  // namespace sb::app
