// AccountUseCases: services (add, list, read, change plan, terminate), each change filed as a
// request through the engine (account_requests.h), and the plan catalogue.
#include "app/accounts/account_requests.h"
#include "app/accounts/accounts.h"
#include "app/core/change.h"

namespace sb::app {

using domain::RequestType;

namespace {

// The account of the tenant's service `service_id` (the request is filed on it).
Result<std::string> AccountOfService(domain::Tx& tx, const std::string& tenant_id,
                                     const std::string& service_id) {
  auto svc = tx.GetService(tenant_id, service_id);
  if (!svc.ok()) {
    return svc.status().code() == Code::kNotFound ? Status::NotFound("service") : svc.status();
  }
  return svc->account_id;
}

SubmitInput Filed(RequestType type, const RequestOptions& opts) {
  SubmitInput in;
  in.type = type;
  if (opts.origin) in.origin = *opts.origin;
  in.origin_chosen = opts.origin.has_value();
  in.consent_method = opts.consent_method;
  in.priority = opts.priority;
  return in;
}

// Files a request of `type` on the service, its payload `payload`.
Result<ChangeOutcome> OnService(const Deps& deps, const CallContext& ctx,
                                const std::string& service_id, SubmitInput in,
                                const AnswerFn<ChangeOutcome>& answer) {
  return RunChange<ChangeOutcome>(
      deps, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
        SB_ASSIGN_OR_RETURN(in.account_id, AccountOfService(tx, ctx.tenant_id, service_id));
        in.service_id = service_id;
        return SubmitChange(tx, deps, ctx, now, in);
      });
}

}  // namespace

Result<ChangeOutcome> AccountUseCases::AddService(const CallContext& ctx,
                                                  const std::string& account_id,
                                                  const std::string& plan_code,
                                                  const RequestOptions& opts,
                                                  const AnswerFn<ChangeOutcome>& answer) const {
  SubmitInput in = Filed(RequestType::kActivation, opts);
  in.account_id = account_id;
  in.payload = {{"plan_code", plan_code}};
  return RunChange<ChangeOutcome>(deps_, ctx, answer,
                                  [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
                                    return SubmitChange(tx, deps_, ctx, now, in);
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

Result<ServiceOfAccount> AccountUseCases::GetService(const CallContext& ctx,
                                                     const std::string& service_id) const {
  ServiceOfAccount out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto svc = tx.GetService(ctx.tenant_id, service_id);
    if (!svc.ok()) {
      return svc.status().code() == Code::kNotFound ? Status::NotFound("service") : svc.status();
    }
    SB_ASSIGN_OR_RETURN(auto account, tx.GetAccount(ctx.tenant_id, svc->account_id));
    out = {std::move(*svc), account.external_ref};
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<ServiceOfAccount>> AccountUseCases::ServicesOfParty(
    const CallContext& ctx, const std::string& party) const {
  std::vector<ServiceOfAccount> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto account = tx.GetAccount(ctx.tenant_id, party);
    if (account.status().code() == Code::kNotFound)
      account = tx.GetAccountByRef(ctx.tenant_id, party);
    if (!account.ok()) {
      return account.status().code() == Code::kNotFound
                 ? Status::NotFound("account", "relatedParty.id")
                 : account.status();
    }
    SB_ASSIGN_OR_RETURN(auto services, tx.ListServices(ctx.tenant_id, account->id));
    for (auto& s : services) out.push_back({std::move(s), account->external_ref});
    return Status::Ok();
  }));
  return out;
}

Result<ChangeOutcome> AccountUseCases::ChangePlan(const CallContext& ctx,
                                                  const std::string& service_id,
                                                  const std::string& plan_code,
                                                  const RequestOptions& opts,
                                                  const AnswerFn<ChangeOutcome>& answer) const {
  SubmitInput in = Filed(RequestType::kPlanChange, opts);
  in.payload = {{"plan_code", plan_code}};
  return OnService(deps_, ctx, service_id, std::move(in), answer);
}

Result<ChangeOutcome> AccountUseCases::TerminateService(
    const CallContext& ctx, const std::string& service_id, const RequestOptions& opts,
    const AnswerFn<ChangeOutcome>& answer) const {
  return OnService(deps_, ctx, service_id, Filed(RequestType::kTermination, opts), answer);
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
