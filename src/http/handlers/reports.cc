// Request-engine KPIs of the caller's tenant over a window.

#include "http/handlers/reports.h"

#include "app/reports/kpi_queries.h"
#include "domain/reports.h"
#include "http/exchange.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::reports {

boost::json::value NumberOrNull(const std::optional<double>& v) {
  if (!v) return nullptr;
  return *v;
}

boost::json::object ToJson(const domain::TypeKpis& k) {
  boost::json::object backlog;
  for (const auto& [state, count] : k.backlog) backlog[domain::Name(state)] = count;
  return {{"volume", k.volume},
          {"completed", k.completed},
          {"rejected", k.rejected},
          {"cancelled", k.cancelled},
          {"failed", k.failed},
          {"success_rate", NumberOrNull(k.success_rate)},
          {"processing_seconds",
           {{"median", NumberOrNull(k.median_processing_seconds)},
            {"p95", NumberOrNull(k.p95_processing_seconds)}}},
          {"sla_compliance", NumberOrNull(k.sla_compliance)},
          {"csat", {{"mean", NumberOrNull(k.csat_mean)}, {"count", k.csat_count}}},
          {"backlog", std::move(backlog)}};
}

// A required RFC 3339 query parameter; 400 naming it when missing or malformed.
Result<Timestamp> RequiredTime(const Exchange& ex, const std::string& name) {
  std::optional<std::string> text = ex.Query(name);
  if (!text) return Status::Invalid(name, "'" + name + "' is required.", "missing_field");
  std::optional<Timestamp> ts = ParseRfc3339(*text);
  if (!ts) return Status::Invalid(name, "'" + name + "' must be an RFC 3339 time.", "invalid");
  return *ts;
}

namespace {

// GET /v1/kpis?from=&to=&group_by=
Response GroupedAnswer(Exchange& ex, Timestamp from, Timestamp to, domain::KpiGroupBy by) {
  Result<domain::GroupedKpis> kpis = ex.api().kpis.Grouped(ex.ctx(), from, to, by);
  if (!kpis.ok()) return ProblemResponse(kpis.status());
  boost::json::object groups;
  for (const auto& [key, k] : kpis->groups) groups[key] = ToJson(k);
  return JsonResponse(200, {{"from", FormatRfc3339(kpis->from)},
                            {"to", FormatRfc3339(kpis->to)},
                            {"group_by", domain::Name(kpis->by)},
                            {"groups", std::move(groups)}});
}

}  // namespace

// GET /v1/kpis?from=&to=
Response GetKpis(Exchange& ex) {
  Result<Timestamp> from = RequiredTime(ex, "from");
  if (!from.ok()) return ProblemResponse(from.status());
  Result<Timestamp> to = RequiredTime(ex, "to");
  if (!to.ok()) return ProblemResponse(to.status());
  if (std::optional<std::string> group = ex.Query("group_by")) {
    std::optional<domain::KpiGroupBy> by = domain::ParseKpiGroupBy(*group);
    if (!by) {
      return ProblemResponse(
          Status::Invalid("group_by", "'group_by' must be agent, team, origin, channel or region.",
                          "invalid_value"));
    }
    return GroupedAnswer(ex, *from, *to, *by);
  }
  Result<domain::Kpis> kpis = ex.api().kpis.Get(ex.ctx(), *from, *to);
  if (!kpis.ok()) return ProblemResponse(kpis.status());
  boost::json::object types;
  for (const auto& [type, k] : kpis->types) types[domain::Name(type)] = ToJson(k);
  return JsonResponse(200, {{"from", FormatRfc3339(kpis->from)},
                            {"to", FormatRfc3339(kpis->to)},
                            {"types", std::move(types)}});
}

}  // namespace sb::http::handlers::reports
