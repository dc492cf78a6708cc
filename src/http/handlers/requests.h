#pragma once

// The handlers of requests and the work queue, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include <string>

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::requests {

// POST /v1/requests.
Response Submit(Exchange& ex);

// GET /v1/requests/{id}.
Response GetRequest(Exchange& ex);

// GET /v1/requests.
Response ListRequests(Exchange& ex);

// POST /v1/requests/{id}/approve.
Response Approve(Exchange& ex);

// POST /v1/requests/{id}/reject.
Response Reject(Exchange& ex);

// POST /v1/requests/{id}/cancel.
Response Cancel(Exchange& ex);

// POST /v1/requests/{id}/assign.
Response Assign(Exchange& ex);

// POST /v1/requests/{id}/comments.
Response AddComment(Exchange& ex);

// POST /v1/requests/{id}/offer.
Response AnswerOffer(Exchange& ex);

// The body of an answer to an offer, for this route and the portal's: "decision" (accept or
// decline) and, to accept, "offer_code". Problems name the field.
struct OfferAnswer {
  bool accept = false;
  std::string offer_code;
};
Result<OfferAnswer> ReadOfferAnswer(Exchange& ex);

// GET /v1/accounts/{id}/timeline.
Response Timeline(Exchange& ex);

}  // namespace sb::http::handlers::requests
