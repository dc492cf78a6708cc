// One-time verification codes: sent to the contact on record, checked when the customer reads
// one back (app/verification/verification_codes.h).

#include "http/handlers/verification_codes.h"

#include "app/verification/verification_codes.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::verification_codes {
namespace {

namespace json = boost::json;

Status NotWired() { return Status::Unavailable("Verification codes are not served here."); }

// A refusal, with Retry-After when it is a limit or the lock.
Response Refused(const Status& s, int retry_after_seconds) {
  Response r = ProblemResponse(s);
  if (s.code() == Code::kRateLimited && retry_after_seconds > 0) {
    r.SetHeader("Retry-After", std::to_string(retry_after_seconds));
  }
  return r;
}

json::object SentJson(const app::SentCode& c, bool dry_run) {
  return {{"id", c.id},
          {"account_id", c.account_id},
          {"channel", c.channel},
          {"destination", c.destination},
          {"expires_at", FormatRfc3339(c.expires_at)},
          {"dry_run", dry_run}};
}

}  // namespace

Response Send(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string channel = body->RequiredString("channel", 16);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  if (ex.api().verification_codes == nullptr) return ProblemResponse(NotWired());
  bool dry_run = ex.ctx().dry_run;
  auto render = [&](const app::SentCode& c) {
    return JsonResponse(dry_run ? 200 : 202, SentJson(c, dry_run));
  };
  app::AnswerFn<app::SentCode> answer = [&](const app::SentCode& c) { return ToStored(render(c)); };
  int retry_after = 0;
  auto sent = ex.api().verification_codes->Send(
      ex.ctx(), ex.Param("id"), channel, app::CodePurpose::kVerification, &retry_after, answer);
  if (!sent.ok()) return Refused(sent.status(), retry_after);
  return render(*sent);
}

Response Check(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string channel = body->RequiredString("channel", 16);
  std::string code = body->RequiredString("code", 64);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  if (ex.api().verification_codes == nullptr) return ProblemResponse(NotWired());
  auto render = [&](const app::CheckedCode& c) {
    return JsonResponse(200, ToJson(*c.verification));
  };
  app::AnswerFn<app::CheckedCode> answer = [&](const app::CheckedCode& c) {
    return ToStored(render(c));
  };
  int retry_after = 0;
  auto checked = ex.api().verification_codes->Check(ex.ctx(), ex.Param("id"), channel,
                                                    app::CodePurpose::kVerification, code,
                                                    &retry_after, answer);
  if (!checked.ok()) return Refused(checked.status(), retry_after);
  return render(*checked);
}

}  // namespace sb::http::handlers::verification_codes
