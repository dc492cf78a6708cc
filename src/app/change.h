#pragma once

// Building blocks shared by the use cases (not part of the app's public surface): running a
// change in one transaction with dry-run and idempotency handled once, recording the
// request and audit rows, and re-deriving statuses after holds or lifecycle move.

#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts.h"
#include "app/context.h"
#include "app/idempotency.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Runs `body` in one write transaction. On success stores the idempotent answer with the
// change; with ctx.dry_run rolls everything back and returns what `body` produced.
template <typename T>
Result<T> RunChange(const Deps& deps, const CallContext& ctx, const AnswerFn<T>& answer,
                    const std::function<Result<T>(domain::Tx&, Timestamp)>& body) {
  std::optional<T> out;
  Status s = deps.store.Write([&](domain::Tx& tx) -> Status {
    out.reset();
    Timestamp now = deps.clock.Now();
    Result<T> r = body(tx, now);
    if (!r.ok()) return r.status();
    out = std::move(r).value();
    if (ctx.dry_run) return Status::Aborted();
    return StoreAnswerIfKeyed(tx, ctx, now, answer, *out);
  });
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

// Loads the account (for update) with its services and its active holds (statuses derive
// from those alone; lifted ones only grow with the account's history).
struct AccountState {
  domain::Account account;
  std::vector<domain::Service> services;
  std::vector<domain::Hold> holds;  // active ones
};
Result<AccountState> LoadAccountState(domain::Tx& tx, const std::string& tenant_id,
                                      const std::string& account_id);

// kConflict "account_closed" on a closed account, "changes_blocked" while an active hold
// blocks changes to it.
Status CheckChangesAllowed(const AccountState& state);

// Re-derives every service's and the account's status from `state.holds` and the lifecycle,
// writes what changed (with audit entries attributed to `request_id`), bumps the account
// version and stores it (checked against the version loaded). `state` is updated in place.
Status Reconcile(domain::Tx& tx, ChangeRecorder& rec, AccountState& state,
                 const std::string& request_id);

// The audit/API view of a hold, and of the statuses of an account and its services
// ({"account_status", "services": {id: status}}).
boost::json::object HoldJson(const domain::Hold& h);
boost::json::object StatusSummary(const AccountState& st);

// `st` with every service's and the account's status derived again from its holds and
// lifecycle, without writing anything (a request's result shows statuses after the change).
AccountState PreviewStatuses(AccountState st);

// The hold `in` asks for, placed now under ctx (flags default from the type). Not validated
// (see domain::ValidateNewHold) and not stored.
domain::Hold NewHold(const CallContext& ctx, Timestamp now, const PlaceHoldInput& in);

// Stores `hold` (its placed_by_request_id set) as one of `st`'s active holds, audits
// "hold.placed" for `request_id` and schedules its "hold.expire" job when it expires.
// Does not Reconcile.
Status AddHoldInTx(domain::Tx& tx, ChangeRecorder& rec, AccountState& st, const domain::Hold& hold,
                   const std::string& request_id);

// Ends the active hold `hold_id` of `st` (lifted or expired) for `request_id`: release time,
// `reason_code`, audit "hold.lifted"/"hold.expired"; removes it from st.holds and returns it
// as stored. kConflict "hold_not_active" when it is not among st's active holds. Does not
// Reconcile.
Result<domain::Hold> ReleaseHoldInTx(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const std::string& hold_id, domain::HoldState final_state,
                                     const std::string& reason_code, const std::string& request_id);

// Moves the account's lifecycle to `to` in `st` with its audit entry
// ("account.lifecycle_<to>") for `request_id`. Reconcile stores the account.
Status SetLifecycle(ChangeRecorder& rec, AccountState& st, domain::AccountLifecycle to,
                    const std::string& request_id);

// How LiftInTx ends a hold: lifted by hand or expired, and the request's origin when it is
// not the one the hold type implies (automated lifts: expiry, a payment that cleared it).
struct LiftArgs {
  std::string hold_id;
  domain::HoldState final_state;
  domain::Origin origin_override;
  bool has_origin_override;
};

// Lifts (or expires) an active hold inside `tx` under ctx's actor and reason code: records a
// completed `reconnection` request (`status_sync` when the hold did not block service) with
// its audit entry, and re-derives statuses (Reconcile). kNotFound for an unknown hold,
// kConflict "hold_not_active" when it is no longer active. Used by LiftHold, ExpireHold and
// the automated reconnection after a payment.
Result<ChangeOutcome> LiftInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                               Timestamp now, const LiftArgs& args);

// Places the hold `in` asks for inside `tx` under ctx's actor and reason code: records a
// completed `suspension` request (origin from the hold type: non_payment involuntary,
// technical_fault technical, ...) with its audit entries, and re-derives statuses. Does not
// check the reason code against the tenant's list (callers with a person's reason do).
// kNotFound (param "service_id") for a service not on the account; the errors of
// domain::ValidateNewHold otherwise. Used by PlaceHold and the inbound events.
Result<ChangeOutcome> PlaceHoldInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                    Timestamp now, const PlaceHoldInput& in);

// Moves the account's lifecycle inside `tx` (see AccountUseCases::ChangeLifecycle for the
// request each move records; marking dormant is an automated `status_sync`). `extra` is added
// to the request's payload. Honors ctx.if_match; kConflict "illegal_transition" for a move the
// lifecycle does not allow. Does not check the reason code.
Result<ChangeOutcome> ChangeLifecycleInTx(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                          Timestamp now, const std::string& account_id,
                                          AccountAction action,
                                          const boost::json::object& extra = {});

// The API view of an account, with the profile opened by the keyring.
Result<AccountView> BuildView(domain::Tx& tx, const Keyring& keyring, domain::Account account,
                              std::vector<domain::Service> services,
                              const std::vector<domain::Hold>& holds);
Result<AccountView> LoadView(domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id,
                             const std::string& account_id);

// Profile <-> JSON text (the sealed plaintext). ProfileFromJson reads missing or mistyped
// fields as their defaults, so profiles sealed before a field existed still open.
std::string ProfileToJson(const domain::Profile& p);
domain::Profile ProfileFromJson(const std::string& text);

// The text field of the profile named `field` ("name", "email", "phone", "address",
// "billing_address"); null for any other name.
const std::string* ProfileField(const domain::Profile& p, std::string_view field);

// The named text fields of `p` (see ProfileField) for an audit entry, each as
// "sealed:<base64>" under the account's data key: the log never holds them in clear, and
// erasing the key erases them there too. kInternal for a name that is not a text field.
Result<boost::json::object> SealedProfileFields(domain::Tx& tx, const Keyring& keyring,
                                                const std::string& tenant_id,
                                                const std::string& account_id,
                                                const domain::Profile& p,
                                                const std::vector<std::string>& fields);

// Opens data sealed for the account (Keyring::OpenFor). kConflict "personal_data_erased"
// when the account's data key was destroyed.
Result<std::string> OpenAccountData(domain::Tx& tx, const Keyring& keyring,
                                    const domain::Account& account, std::string_view sealed);

// The account's profile, opened by the keyring. kConflict "personal_data_erased" when the
// account's data key was destroyed.
Result<domain::Profile> OpenProfile(domain::Tx& tx, const Keyring& keyring,
                                    const domain::Account& account);

}  // namespace sb::app
