// GET /v1/portal/request-types (declared in http/handlers/portal.h).

#include <vector>

#include "http/exchange.h"
#include "http/handlers/portal.h"
#include "http/problem.h"

namespace sb::http::handlers::portal {

Response ListRequestTypes(Exchange& ex) {
  std::vector<domain::RequestType> candidates(kSelfService.begin(), kSelfService.end());
  auto types = ex.api().policy_packs.TypesAccepting(ex.ctx(), candidates, "customer_request");
  if (!types.ok()) return ProblemResponse(types.status());
  boost::json::array data;
  for (domain::RequestType t : *types) {
    data.push_back({{"object", "portal_request_type"}, {"type", domain::Name(t)}});
  }
  Response r = JsonResponse(200, {{"object", "list"},
                                  {"data", std::move(data)},
                                  {"has_more", false},
                                  {"next_cursor", nullptr}});
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace sb::http::handlers::portal
