// Streamed exports of requests and audit entries, in CSV or JSON lines. The answer is written
// a page at a time through Response::stream (as the bulk job results are), so a download of a
// million rows holds one page in memory.

#include <memory>

#include "app/reports/report_exports.h"
#include "domain/reports.h"
#include "http/exchange.h"
#include "http/handlers/reports.h"
#include "http/problem.h"

namespace sb::http::handlers::reports {
namespace {

struct Download {
  app::ExportFormat format = app::ExportFormat::kCsv;
  std::string content_type;
  std::string extension;
};

// `format=csv|jsonl` wins; else an Accept naming JSON lines; else CSV. 400 naming `format` for
// any other value.
Result<Download> DownloadOf(const Exchange& ex) {
  std::optional<std::string> format = ex.Query("format");
  bool jsonl = false;
  if (format) {
    if (*format == "jsonl") {
      jsonl = true;
    } else if (*format != "csv") {
      return Status::Invalid("format", "'format' must be csv or jsonl.", "invalid_value");
    }
  } else {
    std::string accept = ex.request().Header("Accept").value_or("");
    jsonl = accept.find("application/x-ndjson") != std::string::npos ||
            accept.find("application/jsonl") != std::string::npos;
  }
  if (jsonl) return Download{app::ExportFormat::kJsonLines, "application/x-ndjson", "jsonl"};
  return Download{app::ExportFormat::kCsv, "text/csv; charset=utf-8", "csv"};
}

Response StreamHeaders(const Download& d, const std::string& name) {
  Response r;
  r.status = 200;
  r.SetHeader("Content-Type", d.content_type);
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + name + "." + d.extension + "\"");
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Status ReadRequestFilter(const Exchange& ex, domain::RequestReportFilter* f) {
  SB_ASSIGN_OR_RETURN(f->from, RequiredTime(ex, "from"));
  SB_ASSIGN_OR_RETURN(f->to, RequiredTime(ex, "to"));
  SB_RETURN_IF_ERROR(ex.QueryEnum("type", &f->type));
  SB_RETURN_IF_ERROR(ex.QueryEnum("state", &f->state));
  SB_RETURN_IF_ERROR(ex.QueryEnum("origin", &f->origin));
  SB_RETURN_IF_ERROR(ex.QueryEnum("channel", &f->channel));
  f->actor_id = ex.Query("actor_id");
  f->region = ex.Query("region");
  if (f->region && !domain::IsRegionCode(*f->region)) {
    return Status::Invalid("region", "'region' must be 1 to 64 letters, digits, '.', '_' or '-'.");
  }
  return Status::Ok();
}

}  // namespace

// GET /v1/reports/requests?from=&to=[&type=&state=&origin=&channel=&actor_id=&region=&format=]
Response ExportRequests(Exchange& ex) {
  if (ex.api().exports == nullptr) {
    return ProblemResponse(Status::Unavailable("exports are not wired in this server"));
  }
  domain::RequestReportFilter f;
  Status s = ReadRequestFilter(ex, &f);
  Result<Download> d = s.ok() ? DownloadOf(ex) : Result<Download>(s);
  if (!d.ok()) return ProblemResponse(d.status());
  const app::ReportExports* exports = ex.api().exports;
  app::CallContext ctx = ex.ctx();
  auto first = exports->RequestsPage(ctx, f, {});
  if (!first.ok()) return ProblemResponse(first.status());
  struct State {
    std::vector<domain::RequestReportRow> page;
    bool header_sent = false;
  };
  auto state = std::make_shared<State>();
  state->page = std::move(first).value();
  Response r = StreamHeaders(*d, "requests");
  app::ExportFormat format = d->format;
  r.stream = [exports, ctx, f, state, format](std::string* out) -> bool {
    if (!state->header_sent && format == app::ExportFormat::kCsv) *out = app::RequestsCsvHeader();
    if (!state->header_sent) {
      state->header_sent = true;
      if (!state->page.empty()) return true;
    }
    for (const domain::RequestReportRow& row : state->page) *out += app::ToLine(row, format);
    if (static_cast<int>(state->page.size()) < app::kExportPage) return false;
    domain::ReportCursor after{state->page.back().created_at, state->page.back().id};
    auto next = exports->RequestsPage(ctx, f, after);
    if (!next.ok()) return false;
    state->page = std::move(next).value();
    return !state->page.empty() || !out->empty();
  };
  return r;
}

// GET /v1/reports/audit-entries?from=&to=[&category=&actor_id=&format=]
Response ExportAuditEntries(Exchange& ex) {
  if (ex.api().exports == nullptr) {
    return ProblemResponse(Status::Unavailable("exports are not wired in this server"));
  }
  domain::AuditFilter f;
  Result<Timestamp> from = RequiredTime(ex, "from");
  if (!from.ok()) return ProblemResponse(from.status());
  Result<Timestamp> to = RequiredTime(ex, "to");
  if (!to.ok()) return ProblemResponse(to.status());
  f.created_from = *from;
  f.created_to = *to;
  if (Status s = ex.QueryEnum("category", &f.category); !s.ok()) return ProblemResponse(s);
  f.actor_id = ex.Query("actor_id");
  Result<Download> d = DownloadOf(ex);
  if (!d.ok()) return ProblemResponse(d.status());
  const app::ReportExports* exports = ex.api().exports;
  app::CallContext ctx = ex.ctx();
  auto first = exports->AuditPage(ctx, f, "");
  if (!first.ok()) return ProblemResponse(first.status());
  struct State {
    std::vector<domain::AuditEntry> page;
    bool header_sent = false;
  };
  auto state = std::make_shared<State>();
  state->page = std::move(first).value();
  Response r = StreamHeaders(*d, "audit-entries");
  app::ExportFormat format = d->format;
  r.stream = [exports, ctx, f, state, format](std::string* out) -> bool {
    if (!state->header_sent && format == app::ExportFormat::kCsv) *out = app::AuditCsvHeader();
    if (!state->header_sent) {
      state->header_sent = true;
      if (!state->page.empty()) return true;
    }
    for (const domain::AuditEntry& e : state->page) *out += app::ToLine(e, format);
    if (static_cast<int>(state->page.size()) < app::kExportPage) return false;
    auto next = exports->AuditPage(ctx, f, state->page.back().id);
    if (!next.ok()) return false;
    state->page = std::move(next).value();
    return !state->page.empty() || !out->empty();
  };
  return r;
}

}  // namespace sb::http::handlers::reports
