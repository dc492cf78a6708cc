// A customer's satisfaction answer, posted by the portal page the completion email links to.
// No key and no session: the link's token is the credential (a wrong one is a failed
// authentication of the source address, Access::kCredentials).

#include "app/reports/csat.h"
#include "domain/reports.h"
#include "http/exchange.h"
#include "http/handlers/reports.h"
#include "http/problem.h"

namespace sb::http::handlers::reports {

// POST /v1/csat {"token", "score", "comment"}
Response RecordCsat(Exchange& ex) {
  if (ex.api().csat == nullptr) {
    return ProblemResponse(
        Status::Unavailable("satisfaction answers are not wired in this server"));
  }
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  app::CsatInput in;
  in.token = body->RequiredString("token", 256);
  in.score = static_cast<int>(body->Int("score", 1, 5).value_or(0));
  in.comment = body->String("comment", domain::kMaxCsatComment).value_or("");
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  if (Status s = ex.api().csat->Answer(in, ex.ctx().correlation_id); !s.ok()) {
    return ProblemResponse(s);
  }
  return JsonResponse(201, {{"object", "csat_answer"}, {"score", in.score}});
}

}  // namespace sb::http::handlers::reports
