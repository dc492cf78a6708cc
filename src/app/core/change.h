#pragma once

// Running a change (docs/ARCHITECTURE.md, "The one rule of writing"): one write transaction with
// dry-run and idempotency handled once, and the recorder of the request and audit rows every change
// writes. Used by every use case that changes something.

#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string>

#include "app/core/context.h"
#include "app/core/idempotency.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Runs `body` in one write transaction. On success stores the idempotent answer with the
// change; with ctx.dry_run rolls everything back and returns what `body` produced.
//
// `body` may run more than once (domain::Store::Rerun::kAllowed): it acts through its Tx and
// returns what it made, and leaves what it captured as it found it (reads it, never moves
// from it or adds to it), so that a run after a failed one starts from the same inputs. A dry
// run, which rolls back on purpose, runs once.
template <typename T>
Result<T> RunChange(const Deps& deps, const CallContext& ctx, const AnswerFn<T>& answer,
                    const std::function<Result<T>(domain::Tx&, Timestamp)>& body) {
  std::optional<T> out;
  auto run = [&](domain::Tx& tx) -> Status {
    out.reset();
    Timestamp now = deps.clock.Now();
    Result<T> r = body(tx, now);
    if (!r.ok()) return r.status();
    out = std::move(r).value();
    if (ctx.dry_run) return Status::Aborted();
    return StoreAnswerIfKeyed(tx, deps.keyring, ctx, now, answer, *out);
  };
  using Rerun = domain::Store::Rerun;
  Status s = deps.store.Write(run, ctx.dry_run ? Rerun::kNo : Rerun::kAllowed);
  if (ctx.dry_run && s.code() == Code::kAborted && out) return std::move(*out);
  if (!s.ok()) return s;
  return std::move(*out);
}

// Records the request and audit rows of one call, all stamped with the same time and
// correlation id.
class ChangeRecorder {
 public:
  ChangeRecorder(domain::Tx& tx, const CallContext& ctx, Timestamp now)
      : tx_(tx), ctx_(ctx), now_(now) {}

  Timestamp now() const { return now_; }
  // The call whose actor, channel and reason code the rows carry.
  const CallContext& context() const { return ctx_; }

  // A request that completed in this call: received -> verifying -> approved -> completed.
  // Its policy_version is the version of the tenant's pack in force at now() (empty when
  // the tenant has none), looked up once per recorder. Inserts it and returns it.
  Result<domain::Request> CompletedRequest(domain::RequestType type, domain::Origin origin,
                                           const std::string& account_id,
                                           const std::optional<std::string>& service_id,
                                           const boost::json::object& payload,
                                           const boost::json::object& result);

  // One audit entry for a change made by `request_id`.
  Status Audit(domain::AuditCategory category, std::string action, std::string subject_type,
               std::string subject_id, const std::string& account_id, const std::string& request_id,
               const boost::json::object& before, const boost::json::object& after);

 private:
  // The version of the pack in force at now_, read on first use.
  Result<std::string> PolicyVersion();

  domain::Tx& tx_;
  const CallContext& ctx_;
  Timestamp now_;
  std::optional<std::string> policy_version_;
};

// Requires ctx.reason_code to be one of the tenant's reason codes: kInvalidArgument
// "reason_required" when missing, kUnprocessable "unknown_reason_code" when unknown.
Status RequireReason(domain::Tx& tx, const CallContext& ctx);

}  // namespace sb::app
