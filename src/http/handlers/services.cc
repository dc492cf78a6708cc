// Services of an account: add (an activation request), list, change plan (plan_change),
// terminate (termination).

#include "http/handlers/services.h"

#include "app/accounts/accounts.h"
#include "http/exchange.h"
#include "http/handler.h"
#include "http/handlers/write_answer.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::services {

// Reads {"plan_code": "<code>"} and the request options.
Result<std::string> ReadPlan(Exchange& ex, app::RequestOptions* opts) {
  auto body = ex.Body();
  if (!body.ok()) return body.status();
  std::string plan = body->RequiredString("plan_code");
  SB_RETURN_IF_ERROR(ReadRequestOptions(*body, opts));
  SB_RETURN_IF_ERROR(body->Finish());
  if (plan.empty()) return Status::Invalid("plan_code", "'plan_code' must not be empty.");
  return plan;
}

Response AddService(Exchange& ex) {
  app::RequestOptions opts;
  Result<std::string> plan = ReadPlan(ex, &opts);
  if (!plan.ok()) return ProblemResponse(plan.status());
  return RespondWrite(ex, 201, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
    return ex.api().accounts.AddService(ex.ctx(), ex.Param("id"), *plan, opts, answer);
  });
}

Response ListServices(Exchange& ex) {
  auto services = ex.api().accounts.ListServices(ex.ctx(), ex.Param("id"));
  if (!services.ok()) return ProblemResponse(services.status());
  domain::Page<domain::Service> page;
  page.items = std::move(*services);
  return JsonResponse(200, ListJson(page));
}

Response ChangePlan(Exchange& ex) {
  app::RequestOptions opts;
  Result<std::string> plan = ReadPlan(ex, &opts);
  if (!plan.ok()) return ProblemResponse(plan.status());
  return RespondWrite(ex, 200, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
    return ex.api().accounts.ChangePlan(ex.ctx(), ex.Param("id"), *plan, opts, answer);
  });
}

Response Terminate(Exchange& ex) {
  auto body = ex.Body(/*allow_empty=*/true);
  if (!body.ok()) return ProblemResponse(body.status());
  app::RequestOptions opts;
  Status s = ReadRequestOptions(*body, &opts);
  if (s.ok()) s = body->Finish();
  if (!s.ok()) return ProblemResponse(s);
  return RespondWrite(ex, 200, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
    return ex.api().accounts.TerminateService(ex.ctx(), ex.Param("id"), opts, answer);
  });
}

}  // namespace sb::http::handlers::services
