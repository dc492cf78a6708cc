// AccountUseCases: services (add, list, change plan, terminate) and the plan catalogue.
#include "app/accounts/account_data.h"
#include "app/accounts/account_state.h"
#include "app/accounts/accounts.h"
#include "app/accounts/plan_history.h"
#include "app/core/change.h"
#include "crypto/crypto.h"
#include "domain/holds.h"

namespace sb::app {

namespace json = boost::json;
using domain::AuditCategory;
using domain::RequestType;
using domain::ServiceStatus;

namespace {

Result<domain::Plan> ActivePlan(domain::Tx& tx, const std::string& tenant_id,
                                const std::string& code) {
  auto plan = tx.GetPlan(tenant_id, code);
  if (!plan.ok() || !plan->active) {
    if (plan.ok() || plan.status().code() == Code::kNotFound) {
      return Status::Unprocessable("unknown_plan", "no active plan '" + code + "'", "plan");
    }
    return plan.status();
  }
  return plan;
}

// Loads the account owning `service_id` and points `it` at the service in its state.
Result<AccountState> StateOfService(domain::Tx& tx, const std::string& tenant_id,
                                    const std::string& service_id, size_t* index) {
  auto svc = tx.GetService(tenant_id, service_id);
  if (!svc.ok()) {
    return svc.status().code() == Code::kNotFound ? Status::NotFound("service") : svc.status();
  }
  SB_ASSIGN_OR_RETURN(AccountState st, LoadAccountState(tx, tenant_id, svc->account_id));
  for (size_t i = 0; i < st.services.size(); ++i) {
    if (st.services[i].id == service_id) {
      *index = i;
      return st;
    }
  }
  return Status::NotFound("service");
}

}  // namespace

Result<ChangeOutcome> AccountUseCases::AddService(const CallContext& ctx,
                                                  const std::string& account_id,
                                                  const std::string& plan_code,
                                                  const AnswerFn<ChangeOutcome>& answer) const {
  return RunChange<ChangeOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
        SB_ASSIGN_OR_RETURN(AccountState st, LoadAccountState(tx, ctx.tenant_id, account_id));
        SB_RETURN_IF_ERROR(domain::CheckAccountOpen(st.account));
        SB_RETURN_IF_ERROR(domain::CheckChangesAllowed(st.holds));
        SB_ASSIGN_OR_RETURN(auto plan, ActivePlan(tx, ctx.tenant_id, plan_code));
        domain::Service s;
        s.tenant_id = ctx.tenant_id;
        s.id = crypto::NewId("svc", now);
        s.account_id = account_id;
        s.plan_code = plan.code;
        s.status = domain::DeriveServiceStatus(s, st.holds, st.account.lifecycle);
        s.created_at = s.updated_at = now;
        SB_RETURN_IF_ERROR(tx.InsertService(s));
        st.services.insert(st.services.begin(), s);
        ChangeRecorder rec(tx, ctx, now);
        SB_ASSIGN_OR_RETURN(
            auto req,
            rec.CompletedRequest(RequestType::kActivation, domain::Origin::kVoluntary, account_id,
                                 s.id, {{"plan", plan.code}},
                                 {{"service_id", s.id}, {"status", domain::Name(s.status)}}));
        SB_RETURN_IF_ERROR(RecordPlan(tx, s, req.id, now));
        SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kSubscription, "service.added", "service", s.id,
                                     account_id, req.id, {},
                                     {{"plan", s.plan_code}, {"status", domain::Name(s.status)}}));
        SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
        SB_ASSIGN_OR_RETURN(auto view,
                            BuildView(tx, deps_.keyring, st.account, st.services, st.holds));
        return ChangeOutcome{std::move(req), std::move(view), std::nullopt, std::move(s)};
      });
}

Result<std::vector<domain::Service>> AccountUseCases::ListServices(
    const CallContext& ctx, const std::string& account_id) const {
  std::vector<domain::Service> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto acc = tx.GetAccount(ctx.tenant_id, account_id);
    if (!acc.ok())
      return acc.status().code() == Code::kNotFound ? Status::NotFound("account") : acc.status();
    SB_ASSIGN_OR_RETURN(out, tx.ListServices(ctx.tenant_id, account_id));
    return Status::Ok();
  }));
  return out;
}

Result<ChangeOutcome> AccountUseCases::ChangePlan(const CallContext& ctx,
                                                  const std::string& service_id,
                                                  const std::string& plan_code,
                                                  const AnswerFn<ChangeOutcome>& answer) const {
  return RunChange<ChangeOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
        size_t i = 0;
        SB_ASSIGN_OR_RETURN(AccountState st, StateOfService(tx, ctx.tenant_id, service_id, &i));
        SB_RETURN_IF_ERROR(domain::CheckAccountOpen(st.account));
        domain::Service& s = st.services[i];
        if (s.status == ServiceStatus::kTerminated) {
          return Status::Conflict("service_terminated", "service " + s.id + " is terminated");
        }
        SB_RETURN_IF_ERROR(domain::CheckChangesAllowed(st.holds));
        SB_ASSIGN_OR_RETURN(auto plan, ActivePlan(tx, ctx.tenant_id, plan_code));
        if (plan.code == s.plan_code) {
          return Status::Conflict("plan_unchanged", "the service is already on plan " + plan.code,
                                  "plan");
        }
        json::object before{{"plan", s.plan_code}};
        json::object after{{"plan", plan.code}};
        s.plan_code = plan.code;
        s.version += 1;
        s.updated_at = now;
        SB_RETURN_IF_ERROR(tx.UpdateService(s));
        ChangeRecorder rec(tx, ctx, now);
        SB_ASSIGN_OR_RETURN(
            auto req, rec.CompletedRequest(RequestType::kPlanChange, domain::Origin::kVoluntary,
                                           s.account_id, s.id, after, after));
        SB_RETURN_IF_ERROR(RecordPlan(tx, s, req.id, now));
        SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kServicePlan, "service.plan_changed", "service",
                                     s.id, s.account_id, req.id, before, after));
        domain::Service changed = s;
        SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
        SB_ASSIGN_OR_RETURN(auto view,
                            BuildView(tx, deps_.keyring, st.account, st.services, st.holds));
        return ChangeOutcome{std::move(req), std::move(view), std::nullopt, std::move(changed)};
      });
}

Result<ChangeOutcome> AccountUseCases::TerminateService(
    const CallContext& ctx, const std::string& service_id,
    const AnswerFn<ChangeOutcome>& answer) const {
  return RunChange<ChangeOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
        SB_RETURN_IF_ERROR(RequireReason(tx, ctx));
        size_t i = 0;
        SB_ASSIGN_OR_RETURN(AccountState st, StateOfService(tx, ctx.tenant_id, service_id, &i));
        SB_RETURN_IF_ERROR(domain::CheckAccountOpen(st.account));
        domain::Service& s = st.services[i];
        if (s.status == ServiceStatus::kTerminated) {
          return Status::Conflict("service_terminated",
                                  "service " + s.id + " is already terminated");
        }
        s.terminated_at = now;  // Reconcile derives the terminated status and audits it.
        ChangeRecorder rec(tx, ctx, now);
        SB_ASSIGN_OR_RETURN(
            auto req, rec.CompletedRequest(RequestType::kTermination, domain::Origin::kVoluntary,
                                           s.account_id, s.id, {{"service_id", s.id}},
                                           {{"status", "terminated"}}));
        SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, req.id));
        domain::Service changed = st.services[i];
        SB_ASSIGN_OR_RETURN(auto view,
                            BuildView(tx, deps_.keyring, st.account, st.services, st.holds));
        return ChangeOutcome{std::move(req), std::move(view), std::nullopt, std::move(changed)};
      });
}

Result<std::vector<domain::Plan>> AccountUseCases::ListPlans(const CallContext& ctx) const {
  std::vector<domain::Plan> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, tx.ListPlans(ctx.tenant_id));
    return Status::Ok();
  }));
  return out;
}

}  // namespace sb::app
