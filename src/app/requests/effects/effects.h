#pragma once

// The effect of each request type (docs/ARCHITECTURE.md, "Domain"), in two steps the request engine
// calls inside its transaction:
//   Prepare  when the request is filed: reads the type's payload strictly (unknown fields
//            refused; errors name "payload.<field>"), refuses what can never succeed on this
//            account as it stands (409 with a stable reason), and returns the payload to
//            store with the request. Personal data in it is sealed under the account's data
//            key (field "sealed", base64), so payload_json never holds it in clear.
//   Apply    once the request is approved (at once, or later when what it waited for
//            arrived): makes the change with its audit entries attributed to the request,
//            re-derives statuses (Reconcile), and returns the result JSON stored on the
//            request. Preconditions are checked again: the account may have moved since.
// Fees are not part of an effect: the engine books them as billing adjustments.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/account_state.h"
#include "app/core/change.h"
#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/policy.h"
#include "domain/ports/store.h"

namespace sb::app {

// What Prepare needs to know about the request being filed.
struct PrepareArgs {
  domain::RequestType type = domain::RequestType::kStatusSync;
  domain::Origin origin = domain::Origin::kVoluntary;
  std::optional<std::string> service_id;          // checked to belong to the account when set
  const boost::json::object* payload = nullptr;   // REQUIRES: set (empty object when none)
  const domain::RequestPolicy* policy = nullptr;  // REQUIRES: set
  const domain::PolicyPack* pack = nullptr;       // the whole pack (protected holds)
};

using PrepareFn = Result<boost::json::object> (*)(domain::Tx& tx, const Deps& deps,
                                                  const CallContext& ctx, const AccountState& state,
                                                  const PrepareArgs& args);
using ApplyFn = Result<boost::json::object> (*)(domain::Tx& tx, const Deps& deps,
                                                ChangeRecorder& rec, AccountState& state,
                                                const domain::Request& request,
                                                const domain::RequestPolicy& policy);

// The effect half of a request type's registry row (the domain half is
// domain/request_types.h): which Prepare and Apply run it. effects.cc has one per type.
struct EffectBinding {
  domain::RequestType type;
  PrepareFn prepare;
  ApplyFn apply;
};

// The binding of `type`, or null for a type without one (a bug the registry test catches).
const EffectBinding* FindEffect(domain::RequestType type);

// The type's Prepare. kInternal for a type without an effect binding.
Result<boost::json::object> PrepareEffect(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                          const AccountState& state, const PrepareArgs& args);

// REQUIRES: `state` is the request's account, loaded in this transaction; `request` carries
// the payload Prepare returned.
Result<boost::json::object> ApplyEffect(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                        AccountState& state, const domain::Request& request,
                                        const domain::RequestPolicy& policy);

// The account's active holds the checks of `request` see: those a lift (a reconnection or
// status_sync with payload.hold_ids) names are left out, so a request lifting a fraud review
// or a fault is not held back by the very hold it lifts.
std::vector<domain::Hold> HoldsSeenByChecks(const std::vector<domain::Hold>& holds,
                                            const domain::Request& request);

namespace effects {
// reconnection, reactivation, activation, suspension, termination, plan_change,
// billing_adjustment, status_sync (effects_status.cc).
Result<boost::json::object> PrepareStatus(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                          const AccountState& state, const PrepareArgs& args);
Result<boost::json::object> ApplyStatus(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                        AccountState& state, const domain::Request& request,
                                        const domain::RequestPolicy& policy);
// personal_info_update, billing_info_update, access_change, ownership_transfer,
// security_settings_change (profile_effects.cc).
Result<boost::json::object> PrepareProfile(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                           const AccountState& state, const PrepareArgs& args);
Result<boost::json::object> ApplyProfile(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                         AccountState& state, const domain::Request& request,
                                         const domain::RequestPolicy& policy);
// data_access: writes the subject access export (app/rights/data_export.h); data_erasure:
// destroys the account's data key (effects_data_rights.cc). Neither takes a payload field or
// a service; both refuse an erased account (409 "personal_data_erased"), and an erasure
// refuses while another request of the account is open when the pack's data_rights say so
// (409 "open_requests").
Result<boost::json::object> PrepareDataAccess(domain::Tx& tx, const Deps& deps,
                                              const CallContext& ctx, const AccountState& state,
                                              const PrepareArgs& args);
Result<boost::json::object> ApplyDataAccess(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                            AccountState& state, const domain::Request& request,
                                            const domain::RequestPolicy& policy);
Result<boost::json::object> PrepareDataErasure(domain::Tx& tx, const Deps& deps,
                                               const CallContext& ctx, const AccountState& state,
                                               const PrepareArgs& args);
Result<boost::json::object> ApplyDataErasure(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                             AccountState& state, const domain::Request& request,
                                             const domain::RequestPolicy& policy);
}  // namespace effects

}  // namespace sb::app
