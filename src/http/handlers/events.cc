// Inbound events from client systems: POST /v1/events/{tenant_id}. No API key: the sender
// proves itself with the tenant's signing secret (Standard Webhooks headers), and the raw
// body goes to the use case untouched because the signature covers its exact bytes.

#include "http/handlers/events.h"

#include "app/events/events.h"
#include "http/exchange.h"
#include "http/problem.h"

namespace sb::http::handlers::events {

namespace json = boost::json;

Response ReceiveEvent(Exchange& ex) {
  const Request& req = ex.request();
  app::EventHeaders headers{req.Header("webhook-id").value_or(""),
                            req.Header("webhook-timestamp").value_or(""),
                            req.Header("webhook-signature").value_or("")};
  auto r = ex.api().events.Receive(ex.Param("tenant_id"), headers, req.body);
  if (!r.ok()) return ProblemResponse(r.status());
  json::array ids;
  for (const auto& id : r->request_ids) ids.emplace_back(id);
  return JsonResponse(200, {{"received", true},
                            {"duplicate", r->duplicate},
                            {"outcome", r->outcome},
                            {"request_ids", std::move(ids)}});
}

}  // namespace sb::http::handlers::events
