// Evidence about a customer (identity proven, consent given, data confirmed) that request
// checks read.

#include "http/handlers/verifications.h"

#include "app/accounts/accounts.h"
#include "app/requests/requests.h"
#include "http/exchange.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::verifications {

Result<app::VerificationInput> ReadVerification(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return body.status();
  app::VerificationInput in;
  std::string kind = body->RequiredString("kind");
  in.party = body->String("party").value_or("owner");
  in.method = body->RequiredString("method");
  in.level = static_cast<int>(body->Int("level", 1, 3).value_or(0));
  std::optional<std::string> at = body->String("verified_at");
  in.request_id = body->String("request_id").value_or("");
  SB_RETURN_IF_ERROR(body->Finish());
  std::optional<domain::VerificationKind> k = domain::Parse<domain::VerificationKind>(kind);
  if (!k)
    return Status::Invalid("kind", "kind must be identity, consent or data_confirmation.",
                           "invalid_value");
  in.kind = *k;
  if (at) {
    in.verified_at = ParseRfc3339(*at);
    if (!in.verified_at) {
      return Status::Invalid("verified_at", "verified_at must be an RFC 3339 time.",
                             "invalid_value");
    }
  }
  return in;
}

Response Record(Exchange& ex) {
  Result<app::VerificationInput> in = ReadVerification(ex);
  if (!in.ok()) return ProblemResponse(in.status());
  bool dry_run = ex.ctx().dry_run;
  auto render = [&](const domain::Verification& v) {
    boost::json::object body = ToJson(v);
    body["dry_run"] = dry_run;
    return JsonResponse(dry_run ? 200 : 201, body);
  };
  app::AnswerFn<domain::Verification> answer = [&](const domain::Verification& v) {
    return ToStored(render(v));
  };
  auto v = ex.api().engine.RecordVerification(ex.ctx(), ex.Param("id"), *in, answer);
  if (!v.ok()) return ProblemResponse(v.status());
  return render(*v);
}

Response List(Exchange& ex) {
  auto list = ex.api().engine.ListVerifications(ex.ctx(), ex.Param("id"));
  if (!list.ok()) return ProblemResponse(list.status());
  domain::Page<domain::Verification> page;
  page.items = std::move(*list);
  return JsonResponse(200, ListJson(page));
}

}  // namespace sb::http::handlers::verifications
