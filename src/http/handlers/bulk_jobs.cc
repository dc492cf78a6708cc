// Bulk jobs: the upload, a job's progress (as JSON and as server-sent events), its controls
// and its per-row results as CSV.

#include "http/handlers/bulk_jobs.h"

#include <cctype>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/bulk/bulk_jobs.h"
#include "app/bulk/bulk_results.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::bulk_jobs {
namespace {

namespace json = boost::json;

// How often the event stream looks at the job, and how often it says it is alive when nothing
// moved (so that proxies keep the connection).
constexpr auto kEventPoll = std::chrono::milliseconds(250);
constexpr int kHeartbeatPolls = 20;
// Rows read per page while the results are written out.
constexpr int kResultsPage = 1000;

json::value TimeOrNull(const std::optional<Timestamp>& t) {
  if (!t) return nullptr;
  return json::string(FormatRfc3339(*t));
}

json::object JobJson(const app::BulkProgress& p) {
  const domain::BulkJob& j = p.job;
  json::object o{{"id", j.id},
                 {"object", "bulk_job"},
                 {"state", domain::BulkJobStateName(j.state)},
                 {"format", j.format},
                 {"file_sha256", j.file_sha256},
                 {"total_rows", j.total_rows},
                 {"done_rows", j.done_rows()},
                 {"applied_rows", j.applied_rows},
                 {"failed_rows", j.failed_rows},
                 {"skipped_rows", j.skipped_rows},
                 {"cancelled_rows", p.cancelled},
                 {"remaining_rows", p.remaining},
                 {"rows_per_second", p.rows_per_second},
                 {"created_at", FormatRfc3339(j.created_at)},
                 {"started_at", TimeOrNull(j.started_at)},
                 {"finished_at", TimeOrNull(j.finished_at)}};
  o["eta_seconds"] = p.eta_seconds ? json::value(*p.eta_seconds) : json::value(nullptr);
  return o;
}

// 400 (the file cannot be read) or 422 (rows are invalid), naming each row's column and code.
Response Rejection(const app::BulkSubmitOutcome& out) {
  const app::BulkRowError& first = out.errors.front();
  std::string where =
      "row " + std::to_string(first.row) + (first.column.empty() ? "" : ", column " + first.column);
  Response r = out.malformed ? MalformedUpload(first)
                             : ProblemResponse(422, "invalid_rows",
                                               std::to_string(out.error_count) +
                                                   " rows are invalid (first at " + where + ": " +
                                                   first.code + "). Nothing was stored.",
                                               first.column);
  boost::system::error_code ec;
  json::value body = json::parse(r.body, ec);
  if (ec || !body.is_object()) return r;
  body.as_object()["errors"] = app::RowErrorsJson(out.errors);
  body.as_object()["error_count"] = out.error_count;
  r.body = json::serialize(body);
  return r;
}

json::object PlanJson(const app::BulkSubmitOutcome& out) {
  json::array rows;
  for (const auto& p : out.plan) {
    rows.push_back({{"row", p.row},
                    {"account_id", p.account_id},
                    {"type", domain::Name(p.type)},
                    {"action", p.action}});
  }
  bool truncated = static_cast<std::int64_t>(out.plan.size()) < out.rows;
  return {{"dry_run", true},
          {"rows", out.rows},
          {"plan", std::move(rows)},
          {"plan_truncated", truncated}};
}

Response JobResponse(int status, const app::BulkProgress& p) {
  Response r = JsonResponse(status, JobJson(p));
  r.SetHeader("Location", "/v1/bulk-jobs/" + p.job.id);
  return r;
}

Response Unwired() {
  return ProblemResponse(Status::Unavailable("bulk jobs are not wired in this server"));
}

using ControlFn = Result<app::BulkProgress> (app::BulkJobs::*)(
    const app::CallContext&, const std::string&, const app::AnswerFn<app::BulkProgress>&) const;

Response Control(Exchange& ex, ControlFn fn) {
  if (ex.api().bulk == nullptr) return Unwired();
  app::AnswerFn<app::BulkProgress> answer = [](const app::BulkProgress& p) {
    return ToStored(JobResponse(200, p));
  };
  Result<app::BulkProgress> p = (ex.api().bulk->*fn)(ex.ctx(), ex.Param("id"), answer);
  if (!p.ok()) return ProblemResponse(p.status());
  return JobResponse(200, *p);
}

}  // namespace

Response Submit(Exchange& ex) {
  if (ex.api().bulk == nullptr) return Unwired();
  std::optional<app::BulkFormat> format = ex.UploadFormat();
  if (!format) {
    return ProblemResponse(415, "unsupported_media_type",
                           "Send the rows as text/csv or application/x-ndjson.", "Content-Type");
  }
  std::unique_ptr<std::istream> file = ex.UploadBody();
  std::istream& in = *file;
  app::AnswerFn<app::BulkSubmitOutcome> answer = [](const app::BulkSubmitOutcome& out) {
    return ToStored(JobResponse(202, app::ProgressOf(*out.job, out.job->created_at)));
  };
  std::string sha256 = ex.request().spooled ? ex.request().spooled->sha256 : std::string();
  Result<app::BulkSubmitOutcome> out = ex.api().bulk->Submit(ex.ctx(), *format, in, answer, sha256);
  if (!out.ok()) return ProblemResponse(out.status());
  if (out->rejected) return Rejection(*out);
  if (!out->job) return JsonResponse(200, PlanJson(*out));
  return JobResponse(202, app::ProgressOf(*out->job, out->job->created_at));
}

Response List(Exchange& ex) {
  if (ex.api().bulk == nullptr) return Unwired();
  int limit = 20;
  std::string after;
  Status paging = ex.ReadPaging(&limit, &after);
  if (!paging.ok()) return ProblemResponse(paging);
  auto page = ex.api().bulk->List(ex.ctx(), after, limit);
  if (!page.ok()) return ProblemResponse(page.status());
  return JsonResponse(200, ListJson(*page, JobJson));
}

Response Get(Exchange& ex) {
  if (ex.api().bulk == nullptr) return Unwired();
  Result<app::BulkProgress> p = ex.api().bulk->Get(ex.ctx(), ex.Param("id"));
  if (!p.ok()) return ProblemResponse(p.status());
  return JsonResponse(200, JobJson(*p));
}

Response Events(Exchange& ex) {
  if (ex.api().bulk == nullptr) return Unwired();
  app::BulkJobs* bulk = ex.api().bulk;
  app::CallContext ctx = ex.ctx();
  std::string id = ex.Param("id");
  Result<app::BulkProgress> first = bulk->Get(ctx, id);
  if (!first.ok()) return ProblemResponse(first.status());
  Response r;
  r.status = 200;
  r.SetHeader("Content-Type", "text/event-stream");
  r.SetHeader("Cache-Control", "no-store");
  // The stream: one `progress` event now and on every change, until the job has finished.
  struct State {
    std::string last;
    bool sent_first = false;
    bool finished = false;
  };
  auto state = std::make_shared<State>();
  r.stream = [bulk, ctx, id, state, first = *first](std::string* out) mutable -> bool {
    if (state->finished) return false;
    app::BulkProgress p = first;
    for (int polls = 0; state->sent_first; ++polls) {
      std::this_thread::sleep_for(kEventPoll);
      Result<app::BulkProgress> now = bulk->Get(ctx, id);
      if (!now.ok()) return false;
      p = *now;
      if (json::serialize(JobJson(p)) != state->last) break;
      if (polls >= kHeartbeatPolls) {
        *out = ": alive\n\n";
        return true;
      }
    }
    state->sent_first = true;
    state->last = json::serialize(JobJson(p));
    *out = "event: progress\ndata: " + state->last + "\n\n";
    state->finished = domain::IsFinished(p.job.state);
    return !state->finished;
  };
  return r;
}

Response Results(Exchange& ex) {
  if (ex.api().bulk == nullptr) return Unwired();
  app::BulkJobs* bulk = ex.api().bulk;
  app::CallContext ctx = ex.ctx();
  std::string id = ex.Param("id");
  Result<app::BulkProgress> job = bulk->Get(ctx, id);
  if (!job.ok()) return ProblemResponse(job.status());
  Response r;
  r.status = 200;
  r.SetHeader("Content-Type", "text/csv; charset=utf-8");
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + id + "-results.csv\"");
  r.SetHeader("Cache-Control", "no-store");
  domain::BulkJobState job_state = job->job.state;
  auto after = std::make_shared<std::int64_t>(-1);
  r.stream = [bulk, ctx, id, after, job_state](std::string* out) -> bool {
    if (*after < 0) {
      *out = app::ResultsCsvHeader();
      *after = 0;
      return true;
    }
    Result<std::vector<domain::BulkRow>> rows = bulk->Results(ctx, id, *after, kResultsPage);
    if (!rows.ok()) return false;
    for (const domain::BulkRow& row : *rows) {
      *out += app::ResultsCsvLine(row, job_state);
      *after = row.row_no;
    }
    return static_cast<int>(rows->size()) == kResultsPage;
  };
  return r;
}

Response Pause(Exchange& ex) { return Control(ex, &app::BulkJobs::Pause); }
Response Resume(Exchange& ex) { return Control(ex, &app::BulkJobs::Resume); }
Response Cancel(Exchange& ex) { return Control(ex, &app::BulkJobs::Cancel); }

}  // namespace sb::http::handlers::bulk_jobs
