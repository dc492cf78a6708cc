#pragma once

// Idempotency-Key semantics (docs/ARCHITECTURE.md, "HTTP API"): a retry with the same key and the
// same call replays the stored answer and changes nothing; the same key with another call is
// refused (422); a retry while the first call is still running here is refused (409).
// The answer is stored by the use case in the same transaction as its change
// (see StoreAnswerIfKeyed), so a crash can never leave a change without its answer.

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/ports/store.h"

namespace sb::app {

// How long answers are kept.
constexpr Timestamp kIdempotencyTtl = 48 * kMillisPerHour;

class IdempotencyGate {
 public:
  explicit IdempotencyGate(Deps deps) : deps_(deps) {}

  // Call before running a keyed write. Returns the stored answer to replay, or nullopt to
  // proceed (the key is then marked in flight until End). Errors: kUnprocessable
  // ("idempotency_key_reused") for another call under the key, kConflict
  // ("idempotency_key_in_flight") while the first call runs.
  Result<std::optional<StoredAnswer>> Begin(const std::string& tenant_id, const std::string& key,
                                            const std::string& fingerprint);
  // REQUIRES: Begin returned nullopt for this key.
  void End(const std::string& tenant_id, const std::string& key);

 private:
  Deps deps_;
  std::mutex mu_;
  std::set<std::pair<std::string, std::string>> in_flight_;
};

// Inside a use case's transaction: stores `answer(result)` under ctx.idempotency_key when
// the call has one (and is not a dry run).
template <typename T>
Status StoreAnswerIfKeyed(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                          const AnswerFn<T>& answer, const T& result) {
  if (ctx.idempotency_key.empty() || ctx.dry_run || !answer) return Status::Ok();
  StoredAnswer a = answer(result);
  domain::IdempotencyRecord r;
  r.tenant_id = ctx.tenant_id;
  r.key = ctx.idempotency_key;
  r.fingerprint = ctx.fingerprint;
  r.status_code = a.status_code;
  r.response_headers_json = a.headers_json;
  r.response_body = a.body;
  r.created_at = now;
  r.expires_at = now + kIdempotencyTtl;
  return tx.InsertIdempotency(r);
}

}  // namespace sb::app
