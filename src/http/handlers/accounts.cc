// /v1/accounts: create, list, get, update the profile and the customer's notification
// preferences (a personal_info_update request), lifecycle moves (activation, termination,
// reactivation, status_sync requests).

#include "http/handlers/accounts.h"

#include "app/accounts/accounts.h"
#include "domain/reports.h"
#include "http/exchange.h"
#include "http/handler.h"
#include "http/handlers/scoring.h"
#include "http/handlers/write_answer.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::accounts {

Response CreateAccount(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  app::CreateAccountInput in;
  in.external_ref = body->RequiredString("external_ref");
  in.profile.name = body->String("name").value_or("");
  in.profile.email = body->String("email").value_or("");
  in.profile.phone = body->String("phone").value_or("");
  in.profile.address = body->String("address").value_or("");
  in.currency = body->String("currency").value_or("EUR");
  in.amount_due_minor = body->Int("amount_due_minor", 0, 1'000'000'000'000).value_or(0);
  in.kyc_level = static_cast<int>(body->Int("kyc_level", 0, 3).value_or(0));
  in.region = body->String("region").value_or("");
  in.pending_activation = body->Bool("pending_activation").value_or(false);
  in.plan_codes = body->StringArray("plans").value_or(std::vector<std::string>{});
  std::optional<boost::json::object> prefs = body->Object("notification_preferences");
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  if (prefs) {
    auto patch = app::ReadPreferencesPatch(*prefs, "notification_preferences");
    if (!patch.ok()) return ProblemResponse(patch.status());
    in.notification_preferences = std::move(patch).value();
  }
  if (in.external_ref.empty()) {
    return ProblemResponse(Status::Invalid("external_ref", "'external_ref' must not be empty."));
  }
  return RespondWrite(ex, 201, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
    return ex.api().accounts.CreateAccount(ex.ctx(), in, answer);
  });
}

Response ListAccounts(Exchange& ex) {
  domain::AccountFilter f;
  Status s = ex.ReadPaging(&f.limit, &f.starting_after);
  if (s.ok()) s = ex.QueryEnum("status", &f.status);
  if (!s.ok()) return ProblemResponse(s);
  f.external_ref = ex.Query("external_ref");
  f.region = ex.Query("region");
  if (f.region && !domain::IsRegionCode(*f.region)) {
    return ProblemResponse(Status::Invalid(
        "region", "'region' must be 1 to 64 letters, digits, '.', '_' or '-'.", "invalid"));
  }
  auto page = ex.api().accounts.ListAccounts(ex.ctx(), f);
  if (!page.ok()) return ProblemResponse(page.status());
  return JsonResponse(200, ListJson(*page));
}

Response GetAccount(Exchange& ex) {
  if (ex.Query("as_of")) return GetAccountAsOf(ex);
  auto view = ex.api().accounts.GetAccount(ex.ctx(), ex.Param("id"));
  if (!view.ok()) return ProblemResponse(view.status());
  // The answer's nodes live until it is serialized below: one block, released at once.
  unsigned char scratch[8192];
  boost::json::monotonic_resource arena(scratch, sizeof scratch);
  boost::json::object body = ToJson(*view, &arena);
  if (ex.api().scoring != nullptr) {  // only suspended or dormant accounts, once a model exists
    auto score = ex.api().scoring->ScoreAccount(ex.ctx(), view->account);
    if (!score.ok()) return ProblemResponse(score.status());
    if (*score) body["score"] = scoring::ScoreJson(**score);
  }
  Response r = JsonResponse(200, body);
  r.SetHeader("ETag", "\"" + std::to_string(view->account.version) + "\"");
  return r;
}

Response UpdateAccount(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  app::ProfilePatch patch;
  patch.name = body->String("name");
  patch.email = body->String("email");
  patch.phone = body->String("phone");
  patch.address = body->String("address");
  patch.notification_preferences = body->Object("notification_preferences");
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  return RespondWrite(ex, 200, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
    return ex.api().accounts.UpdateProfile(ex.ctx(), ex.Param("id"), patch, answer);
  });
}

HandlerFn Lifecycle(app::AccountAction action) {
  return [action](Exchange& ex) {
    auto body = ex.Body(/*allow_empty=*/true);
    if (!body.ok()) return ProblemResponse(body.status());
    app::RequestOptions opts;
    Status s = ReadRequestOptions(*body, &opts);
    if (s.ok()) s = body->Finish();
    if (!s.ok()) return ProblemResponse(s);
    return RespondWrite(ex, 200, [&](const app::AnswerFn<app::ChangeOutcome>& answer) {
      return ex.api().accounts.ChangeLifecycle(ex.ctx(), ex.Param("id"), action, opts, answer);
    });
  };
}

}  // namespace sb::http::handlers::accounts
