// Health, readiness, metrics, the plan catalogue and the test clock.

#include "app/accounts/accounts.h"
#include "app/reports/kpi_queries.h"
#include "http/exchange.h"
#include "http/handler.h"
#include "http/json_view.h"
#include "http/metrics.h"
#include "http/problem.h"

namespace sb::http {
namespace {

Response Healthz(Exchange&) { return JsonResponse(200, {{"status", "ok"}}); }

Response Readyz(Exchange& ex) {
  Status s = ex.api().store.Ping();
  if (!s.ok()) return ProblemResponse(Status::Unavailable("The database does not answer."));
  return JsonResponse(200, {{"status", "ready"}});
}

// The request gauges cover requests created in this window before the scrape.
constexpr Timestamp kKpiMetricsWindow = 24 * kMillisPerHour;

Response MetricsText(Exchange& ex) {
  Response r;
  r.SetHeader("Content-Type", "text/plain; version=0.0.4");
  r.body = ex.metrics().Render();
  // Without the tenant list (database down) the HTTP metrics are still worth answering.
  Result<app::RecentKpis> kpis = ex.api().kpis.RecentForAllTenants(kKpiMetricsWindow);
  if (kpis.ok()) r.body += RenderRequestKpis(*kpis);
  return r;
}

Response ListPlans(Exchange& ex) {
  Result<std::vector<domain::Plan>> plans = ex.api().accounts.ListPlans(ex.ctx());
  if (!plans.ok()) return ProblemResponse(plans.status());
  domain::Page<domain::Plan> page;
  page.items = std::move(*plans);
  return JsonResponse(200, ListJson(page));
}

// {"set": "<RFC 3339>"} or {"advance_seconds": N}; answers the new now.
Response MoveClock(Exchange& ex) {
  AdjustableClock* clock = ex.options().test_clock;
  if (clock == nullptr) return ProblemResponse(Status::NotFound("Route"));
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::optional<std::string> set = body->String("set");
  std::optional<std::int64_t> advance =
      body->Int("advance_seconds", -10LL * 365 * 86400, 10LL * 365 * 86400);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  if (set.has_value() == advance.has_value()) {
    return ProblemResponse(
        Status::Invalid("set", "Give exactly one of 'set' and 'advance_seconds'.", "invalid"));
  }
  if (set) {
    std::optional<Timestamp> ts = ParseRfc3339(*set);
    if (!ts) return ProblemResponse(Status::Invalid("set", "'set' must be RFC 3339.", "invalid"));
    clock->Set(*ts);
  } else {
    clock->Advance(*advance * kMillisPerSecond);
  }
  return JsonResponse(200, {{"now", FormatRfc3339(clock->Now())}});
}

}  // namespace

void AddSystemRoutes(Router& router, const ServerOptions& options) {
  router.Add({"GET", "/healthz", Access::kPublic, Healthz});
  router.Add({"GET", "/readyz", Access::kPublic, Readyz});
  router.Add({"GET", "/metrics", Access::kPublic, MetricsText});
  router.Add({"GET", "/v1/plans", Access::kRead, ListPlans});
  if (options.test_clock != nullptr) {
    router.Add({"POST", "/v1/test/clock", Access::kAdmin, MoveClock});
  }
}

}  // namespace sb::http
