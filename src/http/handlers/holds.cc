// Holds: place on an account or one of its services (a suspension request), list, read one,
// lift one (a request lifting exactly that hold).

#include "http/handlers/holds.h"

#include "app/accounts/accounts.h"
#include "http/exchange.h"
#include "http/handler.h"
#include "http/handlers/write_answer.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::holds {

Result<app::PlaceHoldInput> ReadHold(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return body.status();
  app::PlaceHoldInput in;
  in.account_id = ex.Param("id");
  std::string type = body->RequiredString("hold_type");
  in.service_id = body->String("service_id");
  in.blocks_service = body->Bool("blocks_service");
  in.blocks_billing = body->Bool("blocks_billing");
  in.blocks_changes = body->Bool("blocks_changes");
  in.source = body->String("source").value_or("");
  in.owner = body->String("owner").value_or("");
  std::optional<std::string> expires = body->String("expires_at");
  SB_RETURN_IF_ERROR(ReadRequestOptions(*body, &in.request));
  SB_RETURN_IF_ERROR(body->Finish());
  std::optional<domain::HoldType> t = domain::Parse<domain::HoldType>(type);
  if (!t) {
    return Status::Invalid("hold_type", "Unknown hold type '" + type + "'.", "invalid_value");
  }
  in.type = *t;
  if (expires) {
    in.expires_at = ParseRfc3339(*expires);
    if (!in.expires_at) {
      return Status::Invalid("expires_at", "'expires_at' must be an RFC 3339 time.",
                             "invalid_value");
    }
  }
  return in;
}

Response PlaceHold(Exchange& ex) {
  Result<app::PlaceHoldInput> in = ReadHold(ex);
  if (!in.ok()) return ProblemResponse(in.status());
  return RespondWrite(ex, 201, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
    return ex.api().accounts.PlaceHold(ex.ctx(), *in, answer);
  });
}

Response ListHolds(Exchange& ex) {
  std::optional<bool> active;
  if (Status s = ex.QueryBool("active", &active); !s.ok()) return ProblemResponse(s);
  auto holds = ex.api().accounts.ListHolds(ex.ctx(), ex.Param("id"), active.value_or(false));
  if (!holds.ok()) return ProblemResponse(holds.status());
  domain::Page<domain::Hold> page;
  page.items = std::move(*holds);
  return JsonResponse(200, ListJson(page));
}

Response GetHold(Exchange& ex) {
  auto hold = ex.api().accounts.GetHold(ex.ctx(), ex.Param("id"));
  if (!hold.ok()) return ProblemResponse(hold.status());
  return JsonResponse(200, ToJson(*hold));
}

Response LiftHold(Exchange& ex) {
  auto body = ex.Body(/*allow_empty=*/true);
  if (!body.ok()) return ProblemResponse(body.status());
  app::RequestOptions opts;
  Status s = ReadRequestOptions(*body, &opts);
  if (s.ok()) s = body->Finish();
  if (!s.ok()) return ProblemResponse(s);
  return RespondWrite(ex, 200, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
    return ex.api().accounts.LiftHold(ex.ctx(), ex.Param("id"), opts, answer);
  });
}

}  // namespace sb::http::handlers::holds
