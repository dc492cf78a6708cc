// Requests (the record of every change) and an account's timeline.

#include "app/accounts.h"
#include "http/exchange.h"
#include "http/handler.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http {
namespace {

Response GetRequest(Exchange& ex) {
  auto r = ex.api().requests.GetRequest(ex.ctx(), ex.Param("id"));
  if (!r.ok()) return ProblemResponse(r.status());
  return JsonResponse(200, ToJson(*r));
}

Response ListRequests(Exchange& ex) {
  domain::RequestFilter f;
  Status s = ex.ReadPaging(&f.limit, &f.starting_after);
  if (s.ok()) s = ex.QueryEnum("state", &f.state);
  if (s.ok()) s = ex.QueryEnum("type", &f.type);
  if (!s.ok()) return ProblemResponse(s);
  f.account_id = ex.Query("account_id");
  auto page = ex.api().requests.ListRequests(ex.ctx(), f);
  if (!page.ok()) return ProblemResponse(page.status());
  return JsonResponse(200, ListJson(*page));
}

Response Timeline(Exchange& ex) {
  int limit = 20;
  std::string after;
  if (Status s = ex.ReadPaging(&limit, &after); !s.ok()) return ProblemResponse(s);
  auto page = ex.api().requests.Timeline(ex.ctx(), ex.Param("id"), after, limit);
  if (!page.ok()) return ProblemResponse(page.status());
  return JsonResponse(200, ListJson(*page));
}

}  // namespace

void AddRequestRoutes(Router& router) {
  router.Add({"GET", "/v1/requests/{id}", Access::kRead, GetRequest});
  router.Add({"GET", "/v1/requests", Access::kRead, ListRequests});
  router.Add({"GET", "/v1/accounts/{id}/timeline", Access::kRead, Timeline});
}

}  // namespace sb::http
