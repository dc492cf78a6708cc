#include "app/accounts/plan_history.h"

#include <algorithm>
#include <optional>

#include "crypto/crypto.h"
#include "domain/holds.h"

namespace sb::app {
namespace {

using domain::ServiceStatus;

// When the account closed: its latest completed account-level termination. Without one (an
// account closed before requests were kept), the latest termination among its services.
Result<std::optional<Timestamp>> ClosedAt(domain::Tx& tx, const AccountState& st) {
  domain::RequestFilter f;
  f.account_id = st.account.id;
  f.type = domain::RequestType::kTermination;
  f.state = domain::RequestState::kCompleted;
  f.limit = 100;
  SB_ASSIGN_OR_RETURN(auto page, tx.ListRequests(st.account.tenant_id, f));
  for (const domain::Request& r : page.items) {
    if (!r.service_id && r.completed_at) return std::optional<Timestamp>(r.completed_at);
  }
  std::optional<Timestamp> latest;
  for (const domain::Service& s : st.services) {
    if (s.terminated_at && (!latest || *s.terminated_at > *latest)) latest = s.terminated_at;
  }
  return latest;
}

// The plan `service_id` had before it came to `current`: the latest entry of its history
// on another plan; `current` when it never had another.
std::string PreviousPlan(const std::vector<domain::PlanHistoryEntry>& history,
                         const std::string& service_id, const std::string& current) {
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->service_id == service_id && it->plan_code != current) return it->plan_code;
  }
  return current;
}

// Whether the catalogue still offers `code`.
Result<bool> Offered(domain::Tx& tx, const std::string& tenant_id, const std::string& code) {
  auto plan = tx.GetPlan(tenant_id, code);
  if (plan.ok()) return plan->active;
  if (plan.status().code() == Code::kNotFound) return false;
  return plan.status();
}

}  // namespace

Status RecordPlan(domain::Tx& tx, const domain::Service& service, const std::string& request_id,
                  Timestamp at) {
  domain::PlanHistoryEntry e;
  e.tenant_id = service.tenant_id;
  e.id = crypto::NewId("plh", at);
  e.account_id = service.account_id;
  e.service_id = service.id;
  e.plan_code = service.plan_code;
  e.request_id = request_id;
  e.at = at;
  return tx.InsertPlanHistory(e);
}

Result<std::vector<ServiceRestore>> ServicesToRestore(domain::Tx& tx, const AccountState& st,
                                                      domain::PlanRestore mode) {
  std::vector<ServiceRestore> out;
  if (st.account.lifecycle != domain::AccountLifecycle::kClosed) return out;
  SB_ASSIGN_OR_RETURN(std::optional<Timestamp> closed_at, ClosedAt(tx, st));
  if (!closed_at) return out;
  std::vector<domain::PlanHistoryEntry> history;
  if (mode == domain::PlanRestore::kPrevious) {
    SB_ASSIGN_OR_RETURN(history, tx.ListPlanHistory(st.account.tenant_id, st.account.id));
  }
  for (std::size_t i = 0; i < st.services.size(); ++i) {
    const domain::Service& s = st.services[i];
    if (!s.terminated_at || *s.terminated_at < *closed_at) continue;
    ServiceRestore r{i, s.plan_code, s.plan_code};
    if (mode == domain::PlanRestore::kPrevious) {
      std::string previous = PreviousPlan(history, s.id, s.plan_code);
      SB_ASSIGN_OR_RETURN(bool offered, Offered(tx, s.tenant_id, previous));
      if (offered) r.plan = previous;
    }
    out.push_back(std::move(r));
  }
  // st.services is newest first; give them back in the order they were added.
  std::reverse(out.begin(), out.end());
  return out;
}

Status RestoreServices(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                       const std::vector<ServiceRestore>& restores, const std::string& request_id) {
  for (const ServiceRestore& r : restores) {
    domain::Service& s = st.services[r.service];
    boost::json::object before{{"status", domain::Name(s.status)}, {"plan", s.plan_code}};
    s.terminated_at.reset();
    s.status = ServiceStatus::kActive;  // no longer terminated: derive from the holds
    s.status = domain::DeriveServiceStatus(s, st.holds, st.account.lifecycle);
    s.plan_code = r.plan;
    s.version += 1;
    s.updated_at = rec.now();
    SB_RETURN_IF_ERROR(tx.UpdateService(s));
    st.restored.emplace_back(s.id, ServiceStatus::kTerminated);
    boost::json::object after{{"status", domain::Name(s.status)}, {"plan", s.plan_code}};
    SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSubscription, "service.restored",
                                 "service", s.id, st.account.id, request_id, before, after));
    if (r.plan == r.plan_at_closure) continue;
    SB_RETURN_IF_ERROR(RecordPlan(tx, s, request_id, rec.now()));
    SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kServicePlan, "service.plan_changed",
                                 "service", s.id, st.account.id, request_id,
                                 {{"plan", r.plan_at_closure}}, {{"plan", r.plan}}));
  }
  return Status::Ok();
}

boost::json::array RestoredJson(const AccountState& st,
                                const std::vector<ServiceRestore>& restores) {
  boost::json::array out;
  for (const ServiceRestore& r : restores) {
    const domain::Service& s = st.services[r.service];
    out.push_back({{"service_id", s.id},
                   {"status", domain::Name(s.status)},
                   {"plan", r.plan},
                   {"plan_at_closure", r.plan_at_closure}});
  }
  return out;
}

}  // namespace sb::app
