#include "app/core/idempotency.h"

namespace sb::app {

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
