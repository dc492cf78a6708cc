// POST /v1/portal/requests/{id}/offer (declared in http/handlers/portal.h).

#include "app/requests/requests.h"
#include "http/exchange.h"
#include "http/handlers/portal.h"
#include "http/handlers/write_answer.h"
#include "http/problem.h"

namespace sb::http::handlers::portal {

Response AnswerOffer(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string decision = body->RequiredString("decision", 16);
  std::string code = body->String("offer_code", 64).value_or("");
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  if (decision != "accept" && decision != "decline") {
    return ProblemResponse(
        Status::Invalid("decision", "decision must be accept or decline.", "invalid_value"));
  }
  if (decision == "accept" && code.empty()) {
    return ProblemResponse(
        Status::Invalid("offer_code", "Accepting needs the offer_code.", "missing_field"));
  }
  // Another account's request is answered as one that does not exist: a customer learns
  // nothing of other customers' requests, not even that an id is taken.
  auto request = ex.api().requests.GetRequest(ex.ctx(), ex.Param("id"));
  if (!request.ok() && request.status().code() != Code::kNotFound) {
    return ProblemResponse(request.status());
  }
  if (!request.ok() || request->account_id != ex.ctx().actor.id) {
    return ProblemResponse(Status::NotFound("request"));
  }
  return RespondOutcome(ex, 200, [&](const app::AnswerFn<app::RequestOutcome>& answer) {
    return ex.api().engine.AnswerOffer(ex.ctx(), request->id, decision == "accept", code, answer);
  });
}

}  // namespace sb::http::handlers::portal
