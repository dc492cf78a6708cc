#pragma once

// The handlers of KPI reports, each answering the route named above it. The routes
// themselves (method, path, who may call) are listed in http/routes.cc.

#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::reports {

// GET /v1/kpis.
Response GetKpis(Exchange& ex);

// GET /v1/kpis/dashboard: the supervisor's dashboard (reports_dashboard.cc).
Response GetDashboard(Exchange& ex);

// GET /v1/reports/requests and GET /v1/reports/audit-entries: streamed downloads in CSV or JSON
// lines (reports_exports.cc).
Response ExportRequests(Exchange& ex);
Response ExportAuditEntries(Exchange& ex);

// POST /v1/csat: a customer's satisfaction answer, by the link's token (reports_csat.cc).
Response RecordCsat(Exchange& ex);

// A required RFC 3339 query parameter; 400 naming it when missing or malformed.
Result<Timestamp> RequiredTime(const Exchange& ex, const std::string& name);

}  // namespace sb::http::handlers::reports
