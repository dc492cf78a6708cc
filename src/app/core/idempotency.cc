#include "app/core/idempotency.h"

#include <string_view>

namespace sb::app {
namespace {

// The stored body starts with what sealed it: kAccountSealed, the account id, '\n', then
// the ciphertext; or kTenantSealed then the ciphertext. Bodies stored before sealing (JSON,
// '{') are read as they are until they expire.
constexpr std::string_view kAccountSealed = "sbA1";
constexpr std::string_view kTenantSealed = "sbT1";

std::string TenantPurpose(const std::string& tenant_id, const std::string& key) {
  return "idempotency/" + tenant_id + "/" + key;
}

Status Erased() {
  return Status::Conflict("personal_data_erased",
                          "the answer stored for this Idempotency-Key held personal data that "
                          "has since been erased",
                          "Idempotency-Key");
}

}  // namespace

Result<std::string> SealAnswer(domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id,
                               const std::string& key, const std::string& account_id,
                               const std::string& body) {
  if (!account_id.empty()) {
    Result<std::string> sealed = keyring.SealFor(tx, tenant_id, account_id, body);
    if (sealed.ok()) return std::string(kAccountSealed) + account_id + "\n" + *sealed;
    if (sealed.status().reason() != "personal_data_erased") return sealed.status();
  }
  return std::string(kTenantSealed) + keyring.WrapSecret(body, TenantPurpose(tenant_id, key));
}

Result<std::string> OpenAnswer(domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id,
                               const std::string& key, const std::string& stored) {
  std::string_view rest(stored);
  if (rest.starts_with(kTenantSealed)) {
    rest.remove_prefix(kTenantSealed.size());
    return keyring.UnwrapSecret(rest, TenantPurpose(tenant_id, key));
  }
  if (!rest.starts_with(kAccountSealed)) return stored;
  rest.remove_prefix(kAccountSealed.size());
  size_t end = rest.find('\n');
  if (end == std::string_view::npos) return Status::Internal("malformed stored answer");
  std::string_view account_id = rest.substr(0, end);
  Result<std::string> body = keyring.OpenFor(tx, tenant_id, account_id, rest.substr(end + 1));
  if (!body.ok() && body.status().reason() == "erased") return Erased();
  return body;
}

Result<std::optional<StoredAnswer>> IdempotencyGate::Begin(const std::string& tenant_id,
                                                           const std::string& key,
                                                           const std::string& fingerprint) {
  if (key.empty() || key.size() > 255) {
    return Status::Invalid("Idempotency-Key", "Idempotency-Key must be 1 to 255 characters");
  }
  {
    std::lock_guard lock(mu_);
    if (!in_flight_.emplace(tenant_id, key).second) {
      return Status::Conflict("idempotency_key_in_flight",
                              "a request with this Idempotency-Key is still being processed",
                              "Idempotency-Key");
    }
  }
  std::optional<domain::IdempotencyRecord> stored;
  Status s = deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto r = tx.GetIdempotency(tenant_id, key);
    if (r.ok()) {
      stored = std::move(r).value();
      if (stored->fingerprint != fingerprint) return Status::Ok();  // refused below, unopened
      SB_ASSIGN_OR_RETURN(stored->response_body,
                          OpenAnswer(tx, deps_.keyring, tenant_id, key, stored->response_body));
      return Status::Ok();
    }
    return r.status().code() == Code::kNotFound ? Status::Ok() : r.status();
  });
  if (!s.ok()) {
    End(tenant_id, key);
    return s;
  }
  if (!stored) return std::optional<StoredAnswer>{};
  End(tenant_id, key);
  if (stored->fingerprint != fingerprint) {
    return Status::Unprocessable("idempotency_key_reused",
                                 "this Idempotency-Key was used with a different request",
                                 "Idempotency-Key");
  }
  return std::optional<StoredAnswer>{
      StoredAnswer{stored->status_code, stored->response_headers_json, stored->response_body}};
}

void IdempotencyGate::End(const std::string& tenant_id, const std::string& key) {
  std::lock_guard lock(mu_);
  in_flight_.erase({tenant_id, key});
}

}  // namespace sb::app
