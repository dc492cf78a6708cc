#pragma once

// Idempotency-Key semantics (docs/ARCHITECTURE.md, "HTTP API"): a retry with the same key and the
// same call replays the stored answer and changes nothing; the same key with another call is
// refused (422); a retry while the first call is still running here is refused (409).
// The answer is stored by the use case in the same transaction as its change
// (see StoreAnswerIfKeyed), so a crash can never leave a change without its answer.
//
// A stored answer can hold personal data (an account write answers with the account view),
// so it is sealed like the data itself: under the data key of the account it concerns, or,
// for an answer about no account (tenant administration), under a key derived from the master
// key for that tenant and Idempotency-Key. Erasing an account's data key makes its stored
// answers unreadable: a replay then answers 409 "personal_data_erased", never the old data.

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "app/core/context.h"
#include "app/core/keyring.h"
#include "common/status.h"
#include "domain/ports/store.h"

namespace sb::app {

// How long answers are kept (docs/ARCHITECTURE.md, "HTTP API"); the job runner purges them
// after that (app::kIdempotencyPurgeTask).
constexpr Timestamp kIdempotencyTtl = 24 * kMillisPerHour;

class IdempotencyGate {
 public:
  explicit IdempotencyGate(Deps deps) : deps_(deps) {}

  // Call before running a keyed write. Returns the stored answer to replay, opened, or nullopt
  // to proceed (the key is then marked in flight until End). Errors: kUnprocessable
  // ("idempotency_key_reused") for another call under the key, kConflict
  // ("idempotency_key_in_flight") while the first call runs, kConflict
  // ("personal_data_erased") when the answer was sealed under an account's data key since
  // destroyed.
  Result<std::optional<StoredAnswer>> Begin(const std::string& tenant_id, const std::string& key,
                                            const std::string& fingerprint);
  // REQUIRES: Begin returned nullopt for this key.
  void End(const std::string& tenant_id, const std::string& key);

 private:
  Deps deps_;
  std::mutex mu_;
  std::set<std::pair<std::string, std::string>> in_flight_;
};

// The account a result concerns, whose data key seals its stored answer; empty for results
// about no account. Read from the result's shape so that every use case's answer is covered
// without each naming its owner: a change (its account view), a request outcome (its
// request's account), any record with an `account_id` (a verification, a hold).
template <typename T>
std::string AnswerOwner(const T& result) {
  if constexpr (requires { result.account.account.id; }) {
    return result.account.account.id;
  } else if constexpr (requires { result.request.account_id; }) {
    return result.request.account_id;
  } else if constexpr (requires { result.account_id; }) {
    return std::string(result.account_id);
  } else {
    return {};
  }
}

// The stored form of an answer body: sealed under `account_id`'s data key when non-empty and
// not erased (then under the tenant's answer key: an erased account's answer no longer shows
// its data), else under the tenant's answer key. Creates the account's data key if missing.
Result<std::string> SealAnswer(domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id,
                               const std::string& key, const std::string& account_id,
                               const std::string& body);
// The answer body SealAnswer sealed. kConflict "personal_data_erased" (param
// Idempotency-Key) when the account's data key was destroyed since.
Result<std::string> OpenAnswer(domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id,
                               const std::string& key, const std::string& stored);

// Inside a use case's transaction: stores `answer(result)`, sealed (SealAnswer, owner
// AnswerOwner(result)), under ctx.idempotency_key when the call has one (and is not a dry run).
template <typename T>
Status StoreAnswerIfKeyed(domain::Tx& tx, const Keyring& keyring, const CallContext& ctx,
                          Timestamp now, const AnswerFn<T>& answer, const T& result) {
  if (ctx.idempotency_key.empty() || ctx.dry_run || !answer) return Status::Ok();
  StoredAnswer a = answer(result);
  SB_ASSIGN_OR_RETURN(
      std::string sealed,
      SealAnswer(tx, keyring, ctx.tenant_id, ctx.idempotency_key, AnswerOwner(result), a.body));
  domain::IdempotencyRecord r;
  r.tenant_id = ctx.tenant_id;
  r.key = ctx.idempotency_key;
  r.fingerprint = ctx.fingerprint;
  r.status_code = a.status_code;
  r.response_headers_json = a.headers_json;
  r.response_body = std::move(sealed);
  r.created_at = now;
  r.expires_at = now + kIdempotencyTtl;
  return tx.InsertIdempotency(r);
}

}  // namespace sb::app
