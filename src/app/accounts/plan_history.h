#pragma once

// Each service's plan over time (domain::PlanHistoryEntry), and what a reactivation of a
// closed account gives back: the services the account had when it closed, each on the plan
// it had then or, when the reactivation policy says `restore_plans: previous`, on the plan
// it had before its last plan change.

#include <boost/json.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "app/accounts/account_state.h"
#include "app/core/change.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/policy.h"
#include "domain/ports/store.h"

namespace sb::app {

// Appends to the plan history that `service` is on its plan_code from `at` on, set by
// `request_id`. Every change of a service's plan (adding it, a plan change, a restore)
// records one, in the transaction of the change.
Status RecordPlan(domain::Tx& tx, const domain::Service& service, const std::string& request_id,
                  Timestamp at);

// A service a reactivation gives back, and the plan it comes back on.
struct ServiceRestore {
  std::size_t service = 0;      // index into AccountState::services
  std::string plan_at_closure;  // the plan it had when the account closed
  std::string plan;             // the plan it comes back on
};

// The services the closed account `st` had when it closed (those its closing terminated,
// not the ones terminated before), oldest first, each with the plan it comes back on under
// `mode`. A previous plan the catalogue no longer offers gives way to the plan at closure.
// Empty for an account that is not closed.
Result<std::vector<ServiceRestore>> ServicesToRestore(domain::Tx& tx, const AccountState& st,
                                                      domain::PlanRestore mode);

// Brings the services of `restores` back on their plans for `request_id`: no longer
// terminated, their status derived from st's holds and lifecycle (REQUIRES: the lifecycle is
// already active), each audited ("service.restored", and "service.plan_changed" with its
// plan history entry when the plan differs from the one at closure), and listed in
// `st.restored` for the Reconcile that follows to announce. Does not Reconcile.
Status RestoreServices(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                       const std::vector<ServiceRestore>& restores, const std::string& request_id);

// What RestoreServices did, for a request's result: [{service_id, status, plan,
// plan_at_closure}] in the order of `restores`.
boost::json::array RestoredJson(const AccountState& st,
                                const std::vector<ServiceRestore>& restores);

}  // namespace sb::app
