// Health, readiness, metrics, the API contract, the plan catalogue, the caller's identity and
// the test clock.

#include "http/handlers/system.h"

#include "app/accounts/accounts.h"
#include "app/notifications/notification_queue.h"
#include "app/reports/kpi_queries.h"
#include "crypto/crypto.h"
#include "http/exchange.h"
#include "http/json_view.h"
#include "http/metrics.h"
#include "http/openapi.h"
#include "http/problem.h"

namespace sb::http::handlers::system {

Response Healthz(Exchange&) { return JsonResponse(200, {{"status", "ok"}}); }

Response Readyz(Exchange& ex) {
  Status s = ex.api().store.Ping();
  if (!s.ok()) return ProblemResponse(Status::Unavailable("The database does not answer."));
  return JsonResponse(200, {{"status", "ready"}});
}

// The request gauges cover requests created in this window before the scrape.
constexpr Timestamp kKpiMetricsWindow = 24 * kMillisPerHour;

// The scraper's credentials: "Authorization: Bearer <metrics.token>". A missing or wrong
// token is answered like a missing API key, and the token is compared in constant time.
bool ScraperAuthenticated(Exchange& ex) {
  const std::string& token = ex.options().metrics_token;
  std::optional<std::string> auth = ex.request().Header("Authorization");
  if (token.empty() || !auth || auth->rfind("Bearer ", 0) != 0) return false;
  return crypto::ConstantTimeEqual(std::string_view(*auth).substr(7), token);
}

Response MetricsText(Exchange& ex) {
  if (!ScraperAuthenticated(ex)) {
    Response denied = ProblemResponse(
        Status::Unauthenticated("The metrics token is required (Authorization: Bearer <token>)."));
    denied.SetHeader("WWW-Authenticate", "Bearer");
    return denied;
  }
  Response r;
  r.SetHeader("Content-Type", "text/plain; version=0.0.4");
  r.body = ex.metrics().Render();
  // Without the tenant list (database down) the HTTP metrics are still worth answering.
  Result<app::RecentKpis> kpis = ex.api().kpis.RecentForAllTenants(kKpiMetricsWindow);
  if (kpis.ok()) r.body += RenderRequestKpis(*kpis);
  if (ex.api().notification_composer != nullptr) {
    Result<std::int64_t> waiting = ex.api().notification_composer->Waiting();
    if (waiting.ok()) r.body += RenderNotificationsWaiting(*waiting);
  }
  return r;
}

// The document is the same for the life of the binary: clients may keep it a while and
// revalidate it with its ETag.
Response OpenApi(Exchange& ex) {
  Response r;
  r.SetHeader("ETag", OpenApiETag());
  r.SetHeader("Cache-Control", "public, max-age=300");
  std::optional<std::string> known = ex.request().Header("If-None-Match");
  if (known && (known->find(OpenApiETag()) != std::string::npos || *known == "*")) {
    r.status = 304;
    return r;
  }
  r.SetHeader("Content-Type", "application/json");
  r.body = OpenApiJson();
  return r;
}

Response ListPlans(Exchange& ex) {
  Result<std::vector<domain::Plan>> plans = ex.api().accounts.ListPlans(ex.ctx());
  if (!plans.ok()) return ProblemResponse(plans.status());
  domain::Page<domain::Plan> page;
  page.items = std::move(*plans);
  return JsonResponse(200, ListJson(page));
}

// Who the caller is: what a client needs to build its own URLs (the events URL names the
// tenant) and to check which key it is running with. Reads only the authenticated context.
Response WhoAmI(Exchange& ex) {
  const app::CallContext& ctx = ex.ctx();
  boost::json::object o{{"object", "whoami"},
                        {"tenant_id", ctx.tenant_id},
                        {"actor_type", std::string(domain::Name(ctx.actor.type))}};
  o["key_id"] = ctx.actor.type == domain::ActorType::kApiKey ? boost::json::value(ctx.actor.id)
                                                             : boost::json::value(nullptr);
  o["user_id"] = ctx.actor.type == domain::ActorType::kUser ? boost::json::value(ctx.actor.id)
                                                            : boost::json::value(nullptr);
  if (ctx.actor.role) {
    o["role"] = std::string(domain::Name(*ctx.actor.role));
  } else {
    o["role"] = nullptr;
  }
  return JsonResponse(200, o);
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

}  // namespace sb::http::handlers::system
