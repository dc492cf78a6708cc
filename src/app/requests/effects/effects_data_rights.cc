// data_access and data_erasure (see effects.h): subject access writes the export
// (app/rights/data_export.h); erasure destroys the account's data key, so every sealed copy
// of the customer's personal data stops opening while the audit log keeps verifying.
#include <algorithm>

#include "app/accounts/account_data.h"
#include "app/policy/policy_cache.h"
#include "app/requests/effects/effects_common.h"
#include "app/rights/data_export.h"

namespace sb::app::effects {

namespace json = boost::json;

namespace {

// kConflict "personal_data_erased" when the account's data key was destroyed.
Status NotErased(domain::Tx& tx, const domain::Account& account) {
  auto key = tx.GetSubjectKey(account.tenant_id, account.id);
  if (key.ok() && key->destroyed_at) {
    return Status::Conflict("personal_data_erased", "personal data of this account was erased");
  }
  if (!key.ok() && key.status().code() != Code::kNotFound) return key.status();
  return Status::Ok();
}

// kConflict "open_requests" when `pack` says so and a request of the account other than
// `self` is open.
Status NoOtherOpenRequest(domain::Tx& tx, const domain::PolicyPack& pack,
                          const domain::Account& account, const std::string& self) {
  if (!pack.data_rights.erasure_blocked_by_open_requests) return Status::Ok();
  SB_ASSIGN_OR_RETURN(auto open, tx.ListOpenRequests(account.tenant_id, account.id));
  auto other = std::find_if(open.begin(), open.end(),
                            [&](const domain::Request& r) { return r.id != self; });
  if (other == open.end()) return Status::Ok();
  return Status::Conflict("open_requests", "request " + other->id + " of the account is still " +
                                               std::string(domain::Name(other->state)) +
                                               "; finish or cancel it before an erasure");
}

}  // namespace

Result<json::object> PrepareDataAccess(domain::Tx& tx, const Deps&, const CallContext&,
                                       const AccountState& state, const PrepareArgs& args) {
  SB_RETURN_IF_ERROR(OnlyFields(*args.payload, {}));
  SB_RETURN_IF_ERROR(NoService(args.service_id));
  SB_RETURN_IF_ERROR(NotErased(tx, state.account));
  return json::object();
}

Result<json::object> ApplyDataAccess(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                     AccountState& state, const domain::Request& request,
                                     const domain::RequestPolicy&) {
  SB_RETURN_IF_ERROR(NotErased(tx, state.account));
  SB_ASSIGN_OR_RETURN(json::object result,
                      WriteDataExport(tx, deps.keyring, state.account, request.id, rec.now()));
  SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kCustomerData, "data_export.created",
                               "request", request.id, state.account.id, request.id, {},
                               result["data_export"].as_object()));
  return result;
}

Result<json::object> PrepareDataErasure(domain::Tx& tx, const Deps&, const CallContext&,
                                        const AccountState& state, const PrepareArgs& args) {
  SB_RETURN_IF_ERROR(OnlyFields(*args.payload, {}));
  SB_RETURN_IF_ERROR(NoService(args.service_id));
  SB_RETURN_IF_ERROR(NotErased(tx, state.account));
  if (args.pack) SB_RETURN_IF_ERROR(NoOtherOpenRequest(tx, *args.pack, state.account, ""));
  return json::object();
}

Result<json::object> ApplyDataErasure(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                      AccountState& state, const domain::Request& request,
                                      const domain::RequestPolicy&) {
  SB_RETURN_IF_ERROR(NotErased(tx, state.account));
  SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, state.account.tenant_id, rec.now()));
  SB_RETURN_IF_ERROR(NoOtherOpenRequest(tx, policy->pack, state.account, request.id));
  SB_RETURN_IF_ERROR(tx.DestroySubjectKey(state.account.tenant_id, state.account.id, rec.now()));
  deps.keyring.Forget(state.account.tenant_id, state.account.id);
  // The ciphertext no longer opens; the row need not keep it either.
  state.account.profile_sealed.clear();
  json::object after{{"data_key", "destroyed"}, {"erased_at", FormatRfc3339(rec.now())}};
  SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kCustomerData, "customer_data.erased",
                               "account", state.account.id, state.account.id, request.id, {},
                               after));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, state, &request));
  return json::object{{"erased", true}, {"erased_at", FormatRfc3339(rec.now())}};
}

}  // namespace sb::app::effects
