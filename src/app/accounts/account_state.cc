#include "app/accounts/account_state.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "app/core/job_kinds.h"
#include "app/core/json_fields.h"
#include "app/requests/request_flow.h"
#include "crypto/crypto.h"
#include "domain/holds.h"

namespace sb::app {

namespace json = boost::json;
using domain::AuditCategory;

Result<AccountState> LoadAccountState(domain::Tx& tx, const std::string& tenant_id,
                                      const std::string& account_id) {
  AccountState st;
  auto acc = tx.GetAccount(tenant_id, account_id, /*for_update=*/true);
  if (!acc.ok()) {
    if (acc.status().code() == Code::kNotFound) return Status::NotFound("account");
    return acc.status();
  }
  st.account = std::move(acc).value();
  SB_ASSIGN_OR_RETURN(st.services, tx.ListServices(tenant_id, account_id));
  SB_ASSIGN_OR_RETURN(st.holds, tx.ListHolds(tenant_id, account_id, /*active_only=*/true));
  return st;
}

Status CheckChangesAllowed(const AccountState& state, std::optional<domain::HoldType> cleared) {
  SB_RETURN_IF_ERROR(domain::CheckAccountOpen(state.account));
  return domain::CheckChangesAllowed(state.holds, cleared);
}

Result<std::vector<domain::Hold>> LiftClearedHolds(domain::Tx& tx, ChangeRecorder& rec,
                                                   AccountState& st,
                                                   const domain::Request& request) {
  std::vector<domain::Hold> lifted;
  std::optional<domain::HoldType> cleared = domain::HoldClearedBy(request.type);
  if (!cleared) return lifted;
  std::vector<std::string> ids;
  for (const domain::Hold& h : st.holds) {
    if (h.state == domain::HoldState::kActive && h.type == *cleared) ids.push_back(h.id);
  }
  for (const std::string& id : ids) {
    SB_ASSIGN_OR_RETURN(domain::Hold h, ReleaseHoldInTx(tx, rec, st, id, domain::HoldState::kLifted,
                                                        "data_updated", request.id));
    lifted.push_back(std::move(h));
  }
  return lifted;
}

namespace {

std::string ServiceAction(domain::ServiceStatus to) {
  switch (to) {
    case domain::ServiceStatus::kSuspended:
      return "service.suspended";
    case domain::ServiceStatus::kActive:
      return "service.reconnected";
    case domain::ServiceStatus::kTerminated:
      return "service.terminated";
    case domain::ServiceStatus::kPending:
      return "service.pending";
  }
  return "service.changed";
}

std::string AccountEvent(domain::AccountStatus to) {
  return "account." + std::string(domain::Name(to));
}

// The objects a fact's event carries (as the API shows them; the account without its personal
// data, which never leaves in an event).
json::object ServiceEventData(const domain::Service& s) {
  return {{"id", s.id},
          {"object", "service"},
          {"account_id", s.account_id},
          {"plan", s.plan_code},
          {"status", domain::Name(s.status)},
          {"version", s.version},
          {"updated_at", FormatRfc3339(s.updated_at)},
          {"terminated_at", TimeOrNull(s.terminated_at)}};
}

json::object AccountEventData(const domain::Account& a) {
  return {{"id", a.id},
          {"object", "account"},
          {"external_ref", a.external_ref},
          {"status", domain::Name(a.status)},
          {"lifecycle", domain::Name(a.lifecycle)},
          {"version", a.version},
          {"updated_at", FormatRfc3339(a.updated_at)}};
}

// A status change Reconcile wrote, announced once the account row is stored.
struct Fact {
  std::string event_type;
  const domain::Service* service = nullptr;  // null: the account
  json::object previous;
};

// Writes one outbox event per fact (docs/ARCHITECTURE.md, "Events and webhooks" envelope) in the
// change's transaction, whoever caused it. This is the one place status changes are announced, so a
// pack's notifications never name these events (domain::kStatusFactEvents).
Status AnnounceFacts(domain::Tx& tx, const ChangeRecorder& rec, const AccountState& st,
                     const std::vector<Fact>& facts, const domain::Request* r) {
  for (const Fact& f : facts) {
    json::object data = f.service ? ServiceEventData(*f.service) : AccountEventData(st.account);
    SB_RETURN_IF_ERROR(
        EmitChange(tx, rec.context(), rec.now(), f.event_type, r, st.account.id, data, f.previous));
  }
  return Status::Ok();
}

}  // namespace

Status Reconcile(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                 const domain::Request* request) {
  const std::string& acc_id = st.account.id;
  const std::string request_id = request ? request->id : std::string();
  std::vector<Fact> facts;
  for (const auto& [id, was] : std::exchange(st.restored, {})) {
    for (domain::Service& s : st.services) {
      if (s.id == id && s.status != was) {
        facts.push_back({ServiceAction(s.status), &s, {{"status", domain::Name(was)}}});
      }
    }
  }
  for (domain::Service& s : st.services) {
    domain::ServiceStatus to = domain::DeriveServiceStatus(s, st.holds, st.account.lifecycle);
    if (to == s.status) continue;
    json::object before{{"status", domain::Name(s.status)}};
    json::object after{{"status", domain::Name(to)}};
    s.status = to;
    if (to == domain::ServiceStatus::kTerminated && !s.terminated_at) s.terminated_at = rec.now();
    s.version += 1;
    s.updated_at = rec.now();
    SB_RETURN_IF_ERROR(tx.UpdateService(s));
    SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kSubscription, ServiceAction(to), "service", s.id,
                                 acc_id, request_id, before, after));
    // Only the three facts a client acts on are announced (a service is never derived back
    // to pending once it left it).
    if (to != domain::ServiceStatus::kPending) facts.push_back({ServiceAction(to), &s, before});
  }
  domain::AccountStatus to = domain::DeriveAccountStatus(st.account.lifecycle, st.holds);
  if (to != st.account.status) {
    json::object before{{"status", domain::Name(st.account.status)}};
    json::object after{{"status", domain::Name(to)}};
    st.account.status = to;
    SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kAccountStatus, AccountEvent(to), "account", acc_id,
                                 acc_id, request_id, before, after));
    facts.push_back({"account.status_changed", nullptr, before});
  }
  std::int64_t loaded = st.account.version;
  st.account.version += 1;
  st.account.updated_at = rec.now();
  SB_RETURN_IF_ERROR(tx.UpdateAccount(st.account, loaded));
  return AnnounceFacts(tx, rec, st, facts, request);
}

Status AnnounceState(domain::Tx& tx, const ChangeRecorder& rec, const AccountState& st,
                     const domain::Request* request) {
  json::object data = AccountEventData(st.account);
  data["amount_due_minor"] = st.account.amount_due_minor;
  data["currency"] = st.account.currency;
  json::array services;
  for (const domain::Service& s : st.services) services.push_back(ServiceEventData(s));
  data["services"] = std::move(services);
  return Emit(tx, rec.context(), rec.now(), "account.reconciled", request, st.account.id, data);
}

json::object HoldJson(const domain::Hold& h) {
  json::object o{{"hold_id", h.id},
                 {"hold_type", domain::Name(h.type)},
                 {"state", domain::Name(h.state)},
                 {"blocks_service", h.blocks_service},
                 {"blocks_billing", h.blocks_billing},
                 {"blocks_changes", h.blocks_changes}};
  if (h.service_id) o["service_id"] = *h.service_id;
  if (h.expires_at) o["expires_at"] = FormatRfc3339(*h.expires_at);
  return o;
}

json::object StatusSummary(const AccountState& st) {
  json::object services;
  for (const auto& s : st.services) services[s.id] = domain::Name(s.status);
  return {{"account_status", domain::Name(st.account.status)}, {"services", services}};
}

AccountState PreviewStatuses(AccountState st) {
  for (auto& s : st.services) {
    s.status = domain::DeriveServiceStatus(s, st.holds, st.account.lifecycle);
  }
  st.account.status = domain::DeriveAccountStatus(st.account.lifecycle, st.holds);
  return st;
}

domain::Hold NewHold(const CallContext& ctx, Timestamp now, const PlaceHoldInput& in) {
  domain::HoldFlags flags = domain::DefaultFlags(in.type);
  domain::Hold h;
  h.tenant_id = ctx.tenant_id;
  h.id = crypto::NewId("hld", now);
  h.account_id = in.account_id;
  h.service_id = in.service_id;
  h.type = in.type;
  h.blocks_service = in.blocks_service.value_or(flags.blocks_service);
  h.blocks_billing = in.blocks_billing.value_or(flags.blocks_billing);
  h.blocks_changes = in.blocks_changes.value_or(flags.blocks_changes);
  h.source = in.source;
  h.owner = in.owner;
  h.reason_code = ctx.reason_code;
  h.comment = ctx.comment;
  h.placed_at = now;
  h.expires_at = in.expires_at;
  return h;
}

Status AddHoldInTx(domain::Tx& tx, ChangeRecorder& rec, AccountState& st, const domain::Hold& hold,
                   const std::string& request_id) {
  SB_RETURN_IF_ERROR(tx.InsertHold(hold));
  st.holds.insert(st.holds.begin(), hold);
  SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kAccountStatus, "hold.placed", "hold", hold.id,
                               hold.account_id, request_id, {}, HoldJson(hold)));
  if (!hold.expires_at) return Status::Ok();
  domain::Job job;
  job.tenant_id = hold.tenant_id;
  job.id = crypto::NewId("job", rec.now());
  job.kind = kHoldExpireJob;
  job.subject_id = hold.id;
  job.payload_json = "{}";
  job.run_at = *hold.expires_at;
  job.created_at = rec.now();
  return tx.InsertJob(job);
}

Result<domain::Hold> ReleaseHoldInTx(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const std::string& hold_id, domain::HoldState final_state,
                                     const std::string& reason_code,
                                     const std::string& request_id) {
  auto it = std::find_if(st.holds.begin(), st.holds.end(), [&](const domain::Hold& h) {
    return h.id == hold_id && h.state == domain::HoldState::kActive;
  });
  if (it == st.holds.end()) {
    return Status::Conflict("hold_not_active", "hold " + hold_id + " is no longer active");
  }
  domain::Hold h = *it;
  st.holds.erase(it);
  json::object before = HoldJson(h);
  h.state = final_state;
  h.released_at = rec.now();
  h.released_reason_code = reason_code;
  h.released_by_request_id = request_id;
  SB_RETURN_IF_ERROR(tx.UpdateHold(h));
  const char* action = final_state == domain::HoldState::kExpired ? "hold.expired" : "hold.lifted";
  SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kAccountStatus, action, "hold", h.id, h.account_id,
                               request_id, before, HoldJson(h)));
  return h;
}

Status SetLifecycle(ChangeRecorder& rec, AccountState& st, domain::AccountLifecycle to,
                    const std::string& request_id) {
  json::object before{{"lifecycle", domain::Name(st.account.lifecycle)}};
  json::object after{{"lifecycle", domain::Name(to)}};
  st.account.lifecycle = to;
  return rec.Audit(AuditCategory::kAccountStatus,
                   "account.lifecycle_" + std::string(domain::Name(to)), "account", st.account.id,
                   st.account.id, request_id, before, after);
}

}  // namespace sb::app
