// Services of an account: add, list, change plan, terminate.

#include "http/handlers/services.h"

#include "app/accounts/accounts.h"
#include "http/exchange.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::services {

// Reads {"plan": "<code>"}.
Result<std::string> ReadPlan(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return body.status();
  std::string plan = body->RequiredString("plan");
  SB_RETURN_IF_ERROR(body->Finish());
  if (plan.empty()) return Status::Invalid("plan", "'plan' must not be empty.");
  return plan;
}

Response AddService(Exchange& ex) {
  Result<std::string> plan = ReadPlan(ex);
  if (!plan.ok()) return ProblemResponse(plan.status());
  return RespondChange(ex, 201, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
    return ex.api().accounts.AddService(ex.ctx(), ex.Param("id"), *plan, answer);
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
  Result<std::string> plan = ReadPlan(ex);
  if (!plan.ok()) return ProblemResponse(plan.status());
  return RespondChange(ex, 200, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
    return ex.api().accounts.ChangePlan(ex.ctx(), ex.Param("id"), *plan, answer);
  });
}

Response Terminate(Exchange& ex) {
  auto body = ex.Body(/*allow_empty=*/true);
  if (!body.ok()) return ProblemResponse(body.status());
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  return RespondChange(ex, 200, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
    return ex.api().accounts.TerminateService(ex.ctx(), ex.Param("id"), answer);
  });
}

}  // namespace sb::http::handlers::services
