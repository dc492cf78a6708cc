// POST /v1/portal/requests/{id}/offer (declared in http/handlers/portal.h).

#include "app/requests/requests.h"
#include "http/exchange.h"
#include "http/handlers/portal.h"
#include "http/handlers/requests.h"
#include "http/handlers/write_answer.h"
#include "http/problem.h"

namespace sb::http::handlers::portal {

Response AnswerOffer(Exchange& ex) {
  Result<requests::OfferAnswer> offer = requests::ReadOfferAnswer(ex);
  if (!offer.ok()) return ProblemResponse(offer.status());
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
    return ex.api().engine.AnswerOffer(ex.ctx(), request->id, offer->accept, offer->offer_code,
                                       answer);
  });
}

}  // namespace sb::http::handlers::portal
