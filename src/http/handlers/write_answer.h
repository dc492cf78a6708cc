#pragma once

// The one shape of a write's answer, for the direct account routes and POST /v1/requests
// alike: the request as GET /v1/requests/{id} shows it, plus "dry_run", "follow_ups" (the
// requests booked with it, e.g. a fee), "account" (the account after the call) and "hold" /
// "service" when the request concerns one.

#include <boost/json.hpp>
#include <functional>
#include <vector>

#include "app/accounts/accounts.h"
#include "app/requests/requests.h"
#include "http/exchange.h"
#include "http/json_reader.h"

namespace sb::http {

// Reads the optional fields every direct write accepts besides its own: "origin" (default:
// the one the change implies), "consent": {"method": "..."} (recorded as consent for the
// request, as POST /v1/requests does) and "priority". Call before body.Finish().
Status ReadRequestOptions(JsonReader& body, app::RequestOptions* opts);

// The answer body. `account`, `hold` and `service` may be null (left out).
boost::json::object WriteJson(const domain::Request& request,
                              const std::vector<domain::Request>& follow_ups,
                              const app::AccountView* account, const domain::Hold* hold,
                              const domain::Service* service, Timestamp now, bool dry_run);

// Runs a direct write (a shortcut filing one request): `done_status` (200, or 201 for what
// creates a resource; 200 on a dry run) when the request completed, 202 when it did not
// (waiting in awaiting_payment, awaiting_customer, awaiting_approval or verifying, or
// rejected by a check: then nothing but the request was written). ETag: the account version.
// The answer stored for an Idempotency-Key is exactly the one sent.
Response RespondWrite(Exchange& ex, int done_status, const ChangeCall& call);

using OutcomeCall =
    std::function<Result<app::RequestOutcome>(const app::AnswerFn<app::RequestOutcome>&)>;

// Runs a request use case (filing, queue actions) answering `status` (200 on a dry run), with
// Location for a 201.
Response RespondOutcome(Exchange& ex, int status, const OutcomeCall& call);

}  // namespace sb::http
