// Reconciliation: a source system's file compared, the runs' reports, their drift items (as
// JSON pages or a streamed CSV) and the drift queue an agent works.

#include "http/handlers/reconciliation.h"

#include <memory>

#include "app/reconciliation/reconciliation.h"
#include "app/reports/report_exports.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::reconciliation {
namespace {

namespace json = boost::json;
using domain::DriftItem;
using domain::ReconciliationRun;

// Items written per page of the CSV download.
constexpr int kCsvPage = 1000;

json::value OrNull(const std::string& s) {
  if (s.empty()) return nullptr;
  return json::value(s);
}

json::object RunJson(const ReconciliationRun& r) {
  json::value rejected = json::parse(r.rejected_json);
  json::object drift{{"service_status", r.service_status_drift},
                     {"account_status", r.account_status_drift},
                     {"amount_due", r.amount_due_drift},
                     {"total", r.drift()}};
  return {{"id", OrNull(r.id)},
          {"object", "reconciliation_run"},
          {"source", r.source},
          {"origin", r.origin},
          {"format", r.format},
          {"file_sha256", r.file_sha256},
          {"rows_read", r.rows_read},
          {"rows_rejected", r.rows_rejected},
          {"rows_in_step", r.rows_in_step},
          {"drift", std::move(drift)},
          {"repairs_filed", r.repairs_filed},
          {"queued", r.queued},
          {"already_open", r.already_open},
          {"rejected", std::move(rejected)},
          {"created_at", FormatRfc3339(r.created_at)},
          {"finished_at",
           r.finished_at ? json::value(FormatRfc3339(r.finished_at)) : json::value(nullptr)}};
}

json::object ItemJson(const DriftItem& d) {
  return {
      {"id", d.id},
      {"object", "drift_item"},
      {"run_id", d.run_id},
      {"source", d.source},
      {"account_id", d.account_id},
      {"external_ref", d.external_ref},
      {"service_id", OrNull(d.service_id)},
      {"kind", domain::Name(d.kind)},
      {"switchboard_value", d.switchboard_value},
      {"source_value", d.source_value},
      {"truth", domain::Name(d.truth)},
      {"action", d.action},
      {"request_id", OrNull(d.request_id)},
      {"known_item_id", OrNull(d.known_item_id)},
      {"open", d.open},
      {"resolution", OrNull(d.resolution)},
      {"note", d.note},
      {"found_at", FormatRfc3339(d.found_at)},
      {"closed_at", d.closed_at ? json::value(FormatRfc3339(*d.closed_at)) : json::value(nullptr)}};
}

std::string CsvHeader() {
  return "id,run_id,source,kind,account_id,external_ref,service_id,switchboard_value,"
         "source_value,truth,action,request_id,open,resolution,found_at\r\n";
}

std::string CsvLine(const DriftItem& d) {
  const std::string cells[] = {d.id,
                               d.run_id,
                               d.source,
                               std::string(domain::Name(d.kind)),
                               d.account_id,
                               d.external_ref,
                               d.service_id,
                               d.switchboard_value,
                               d.source_value,
                               std::string(domain::Name(d.truth)),
                               d.action,
                               d.request_id,
                               d.open ? "true" : "false",
                               d.resolution,
                               FormatRfc3339(d.found_at)};
  std::string line;
  for (const std::string& c : cells) {
    if (!line.empty()) line += ',';
    line += app::CsvCell(c);
  }
  return line + "\r\n";
}

Response Unwired() {
  return ProblemResponse(Status::Unavailable("reconciliation is not wired in this server"));
}

// A page as the tenant's lists answer it (ListJson).
template <typename T>
Response PageResponse(const domain::Page<T>& page, json::object (*to_json)(const T&)) {
  return JsonResponse(200, ListJson(page, to_json));
}

// The list filters both item routes take: open, kind, paging.
Status ReadItemFilter(const Exchange& ex, domain::DriftItemFilter* f) {
  SB_RETURN_IF_ERROR(ex.QueryBool("open", &f->open));
  if (std::optional<std::string> kind = ex.Query("kind")) {
    f->kind = domain::ParseDriftKind(*kind);
    if (!f->kind) {
      return Status::Invalid("kind", "'kind' must be service_status, account_status or amount_due.",
                             "invalid_value");
    }
  }
  return ex.ReadPaging(&f->limit, &f->starting_after);
}

}  // namespace

Response Run(Exchange& ex) {
  if (ex.api().reconciliations == nullptr) return Unwired();
  std::optional<app::BulkFormat> format = ex.UploadFormat();
  if (!format) {
    return ProblemResponse(415, "unsupported_media_type",
                           "Send the rows as text/csv or application/x-ndjson.", "Content-Type");
  }
  std::string source = ex.Query("source").value_or("");
  std::unique_ptr<std::istream> file = ex.UploadBody();
  std::string sha256 = ex.request().spooled ? ex.request().spooled->sha256 : std::string();
  Result<app::ReconciliationOutcome> out =
      ex.api().reconciliations->RunFile(ex.ctx(), source, *format, *file, sha256);
  if (!out.ok()) return ProblemResponse(out.status());
  if (out->malformed) return MalformedUpload(out->error);
  json::object body = RunJson(out->run);
  body["dry_run"] = out->dry_run;
  body["duplicate"] = out->duplicate;
  if (out->dry_run) {
    json::array items;
    for (const auto& d : out->items) items.push_back(ItemJson(d));
    body["items"] = std::move(items);
    return JsonResponse(200, body);
  }
  Response r = JsonResponse(out->duplicate ? 200 : 201, body);
  r.SetHeader("Location", "/v1/reconciliations/" + out->run.id);
  return r;
}

Response List(Exchange& ex) {
  if (ex.api().reconciliations == nullptr) return Unwired();
  int limit = 20;
  std::string after;
  Status paging = ex.ReadPaging(&limit, &after);
  if (!paging.ok()) return ProblemResponse(paging);
  auto page = ex.api().reconciliations->List(ex.ctx(), after, limit);
  if (!page.ok()) return ProblemResponse(page.status());
  return PageResponse(*page, &RunJson);
}

Response Get(Exchange& ex) {
  if (ex.api().reconciliations == nullptr) return Unwired();
  auto run = ex.api().reconciliations->Get(ex.ctx(), ex.Param("id"));
  if (!run.ok()) return ProblemResponse(run.status());
  return JsonResponse(200, RunJson(*run));
}

Response Items(Exchange& ex) {
  app::Reconciliations* recon = ex.api().reconciliations;
  if (recon == nullptr) return Unwired();
  domain::DriftItemFilter f;
  f.run_id = ex.Param("id");
  Status read = ReadItemFilter(ex, &f);
  if (!read.ok()) return ProblemResponse(read);
  std::optional<std::string> format = ex.Query("format");
  if (format && *format != "csv" && *format != "json") {
    return ProblemResponse(
        Status::Invalid("format", "'format' must be json or csv.", "invalid_value"));
  }
  if (!format || *format == "json") {
    auto page = recon->Items(ex.ctx(), f);
    if (!page.ok()) return ProblemResponse(page.status());
    return PageResponse(*page, &ItemJson);
  }
  // Every item as CSV, a page at a time: the run is checked first, so that an unknown run is
  // a 404 rather than an empty file.
  auto run = recon->Get(ex.ctx(), f.run_id);
  if (!run.ok()) return ProblemResponse(run.status());
  Response r;
  r.status = 200;
  r.SetHeader("Content-Type", "text/csv; charset=utf-8");
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + f.run_id + "-drift.csv\"");
  r.SetHeader("Cache-Control", "no-store");
  app::CallContext ctx = ex.ctx();
  f.limit = kCsvPage;
  auto state = std::make_shared<std::pair<domain::DriftItemFilter, bool>>(f, false);
  r.stream = [recon, ctx, state](std::string* out) -> bool {
    auto& [filter, started] = *state;
    if (!started) {
      started = true;
      *out = CsvHeader();
      return true;
    }
    auto page = recon->Items(ctx, filter);
    if (!page.ok()) return false;
    for (const DriftItem& d : page->items) *out += CsvLine(d);
    if (!page->has_more) return false;
    filter.starting_after = page->next_cursor;
    return true;
  };
  return r;
}

Response Queue(Exchange& ex) {
  if (ex.api().reconciliations == nullptr) return Unwired();
  domain::DriftItemFilter f;
  f.open = true;
  Status read = ReadItemFilter(ex, &f);
  if (!read.ok()) return ProblemResponse(read);
  auto page = ex.api().reconciliations->Items(ex.ctx(), f);
  if (!page.ok()) return ProblemResponse(page.status());
  return PageResponse(*page, &ItemJson);
}

Response Resolve(Exchange& ex) {
  if (ex.api().reconciliations == nullptr) return Unwired();
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string resolution = body->RequiredString("resolution", 16);
  std::string note = body->String("note", 500).value_or("");
  Status s = body->Finish();
  if (!s.ok()) return ProblemResponse(s);
  app::AnswerFn<DriftItem> answer = [](const DriftItem& d) {
    return ToStored(JsonResponse(200, ItemJson(d)));
  };
  auto item = ex.api().reconciliations->Resolve(ex.ctx(), ex.Param("id"), resolution, note, answer);
  if (!item.ok()) return ProblemResponse(item.status());
  return JsonResponse(200, ItemJson(*item));
}

}  // namespace sb::http::handlers::reconciliation
