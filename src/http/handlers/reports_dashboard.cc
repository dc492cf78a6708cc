// The supervisor's dashboard: one read, cheap enough to poll every few seconds
// (docs/PERFORMANCE.md).

#include "app/reports/kpi_queries.h"
#include "http/exchange.h"
#include "http/handlers/reports.h"
#include "http/problem.h"

namespace sb::http::handlers::reports {
namespace {

namespace json = boost::json;

json::value NumberOrNull(const std::optional<double>& v) {
  if (!v) return nullptr;
  return *v;
}

json::object BulkJson(const app::BulkProgress& p) {
  json::object o{{"id", p.job.id},
                 {"state", domain::BulkJobStateName(p.job.state)},
                 {"total_rows", p.job.total_rows},
                 {"done_rows", p.job.done_rows()},
                 {"failed_rows", p.job.failed_rows},
                 {"remaining_rows", p.remaining},
                 {"rows_per_second", p.rows_per_second}};
  o["eta_seconds"] = p.eta_seconds ? json::value(*p.eta_seconds) : json::value(nullptr);
  return o;
}

json::object FiguresJson(const domain::Dashboard& d) {
  json::object backlog;
  for (const auto& [type, states] : d.backlog) {
    json::object by_state;
    for (const auto& [state, n] : states) by_state[domain::Name(state)] = n;
    backlog[domain::Name(type)] = std::move(by_state);
  }
  json::object processing;
  for (const auto& [type, hours] : d.processing_by_hour) {
    json::array rows;
    for (const domain::HourlyProcessing& h : hours) {
      rows.push_back({{"hour", FormatRfc3339(h.hour)},
                      {"completed", h.completed},
                      {"p50_seconds", NumberOrNull(h.p50_seconds)},
                      {"p95_seconds", NumberOrNull(h.p95_seconds)}});
    }
    processing[domain::Name(type)] = std::move(rows);
  }
  json::object agents;
  for (const auto& [agent, n] : d.throughput_by_agent) agents[agent] = n;
  return {{"from", FormatRfc3339(d.from)},
          {"to", FormatRfc3339(d.to)},
          {"backlog", std::move(backlog)},
          {"sla_compliance", NumberOrNull(d.sla_compliance)},
          {"breaches_today", d.breaches_today},
          {"success_rate", NumberOrNull(d.success_rate)},
          {"processing_by_hour", std::move(processing)},
          {"throughput_by_agent", std::move(agents)},
          {"csat", {{"mean", NumberOrNull(d.csat_mean)}, {"count", d.csat_count}}}};
}

}  // namespace

// GET /v1/kpis/dashboard
Response GetDashboard(Exchange& ex) {
  Result<app::DashboardView> view = ex.api().kpis.Dashboard(ex.ctx());
  if (!view.ok()) return ProblemResponse(view.status());
  json::object body = FiguresJson(view->figures);
  json::array jobs;
  for (const app::BulkProgress& p : view->bulk_jobs) jobs.push_back(BulkJson(p));
  body["bulk_jobs"] = std::move(jobs);
  Response r = JsonResponse(200, body);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace sb::http::handlers::reports
