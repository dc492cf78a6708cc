// `switchboard bulk ...` (bulk_commands.h).
#include "cli/bulk_commands.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "app/bulk/bulk_results.h"
#include "app/bulk/record_file.h"
#include "crypto/crypto.h"

namespace sb::cli {
namespace {

// The server's own console: what it files, it files as the system with the admin role.
app::CallContext ConsoleContext(const std::string& tenant_id) {
  app::CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "cli", domain::Role::kAdmin};
  ctx.channel = domain::Channel::kSystem;
  ctx.correlation_id = "cli:bulk";
  return ctx;
}

app::BulkFormat FormatOf(const std::string& file) {
  auto ends_with = [&](const char* ext) {
    std::string e(ext);
    return file.size() >= e.size() && file.compare(file.size() - e.size(), e.size(), e) == 0;
  };
  return ends_with(".csv") || ends_with(".CSV") ? app::BulkFormat::kCsv : app::BulkFormat::kNdjson;
}

int Refused(const Status& s, std::ostream& err) {
  err << "switchboard: " << s.message() << "\n";
  return 1;
}

std::string Figures(const app::BulkProgress& p) {
  const domain::BulkJob& j = p.job;
  char rate[32];
  std::snprintf(rate, sizeof(rate), "%.1f", p.rows_per_second);
  std::string line =
      j.id + " " + std::string(domain::BulkJobStateName(j.state)) +
      " total=" + std::to_string(j.total_rows) + " applied=" + std::to_string(j.applied_rows) +
      " failed=" + std::to_string(j.failed_rows) + " skipped=" + std::to_string(j.skipped_rows) +
      " cancelled=" + std::to_string(p.cancelled) + " remaining=" + std::to_string(p.remaining) +
      " rate=" + rate + "/s";
  if (p.eta_seconds) line += " eta=" + std::to_string(*p.eta_seconds) + "s";
  return line;
}

// "[#####.....]  52% 5200/10000 rows, 812/s, eta 6s", redrawn in place.
void DrawBar(const app::BulkProgress& p, std::ostream& err) {
  constexpr int kWidth = 30;
  std::int64_t total = std::max<std::int64_t>(1, p.job.total_rows);
  int filled = static_cast<int>(kWidth * p.job.done_rows() / total);
  err << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
      << (100 * p.job.done_rows() / total) << "% " << p.job.done_rows() << "/" << p.job.total_rows
      << " rows, " << static_cast<std::int64_t>(p.rows_per_second) << "/s";
  if (p.eta_seconds) err << ", eta " << *p.eta_seconds << "s";
  err << "   " << std::flush;
}

int Wait(const app::BulkJobs& bulk, const app::CallContext& ctx, const std::string& id, bool bar,
         std::ostream& out, std::ostream& err) {
  while (true) {
    Result<app::BulkProgress> p = bulk.Get(ctx, id);
    if (!p.ok()) return Refused(p.status(), err);
    if (bar) DrawBar(*p, err);
    if (domain::IsFinished(p->job.state)) {
      if (bar) err << "\n";
      out << Figures(*p) << "\n";
      return p->job.state == domain::BulkJobState::kCompleted ? 0 : 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

}  // namespace

int RunBulkSubmit(const app::BulkJobs& bulk, const Clock&, const BulkSubmitArgs& args,
                  std::ostream& out, std::ostream& err) {
  std::ifstream file(args.file, std::ios::binary);
  if (!file) {
    err << "switchboard: cannot read " << args.file << "\n";
    return 1;
  }
  app::CallContext ctx = ConsoleContext(args.tenant_id);
  ctx.dry_run = args.dry_run;
  std::optional<std::string> sha = crypto::Sha256OfFile(args.file);
  Result<app::BulkSubmitOutcome> r =
      bulk.Submit(ctx, FormatOf(args.file), file, nullptr, sha ? crypto::Hex(*sha) : std::string());
  if (!r.ok()) return Refused(r.status(), err);
  if (r->rejected) {
    for (const app::BulkRowError& e : r->errors) {
      err << app::RowErrorPlace(e) << ": " << e.code << "\n";
    }
    err << "switchboard: " << r->error_count << (r->malformed ? " error" : " invalid rows")
        << "; nothing was stored\n";
    return 1;
  }
  if (!r->job) {
    for (const app::BulkPlanRow& p : r->plan) {
      out << "{\"row\":" << p.row << ",\"account_id\":\"" << p.account_id << "\",\"type\":\""
          << domain::Name(p.type) << "\",\"action\":\"" << p.action << "\"}\n";
    }
    err << r->rows << " rows are valid; nothing was stored (dry run)\n";
    return 0;
  }
  out << r->job->id << "\n";
  if (!args.wait) return 0;
  return Wait(bulk, ctx, r->job->id, args.progress_bar, out, err);
}

int RunBulkStatus(const app::BulkJobs& bulk, const std::string& tenant_id, const std::string& id,
                  std::ostream& out, std::ostream& err) {
  Result<app::BulkProgress> p = bulk.Get(ConsoleContext(tenant_id), id);
  if (!p.ok()) return Refused(p.status(), err);
  out << Figures(*p) << "\n";
  return 0;
}

int RunBulkControl(const app::BulkJobs& bulk, const std::string& tenant_id, const std::string& id,
                   const std::string& action, std::ostream& out, std::ostream& err) {
  app::CallContext ctx = ConsoleContext(tenant_id);
  Result<app::BulkProgress> p = action == "pause"    ? bulk.Pause(ctx, id)
                                : action == "resume" ? bulk.Resume(ctx, id)
                                                     : bulk.Cancel(ctx, id);
  if (!p.ok()) return Refused(p.status(), err);
  out << Figures(*p) << "\n";
  return 0;
}

int RunBulkResults(const app::BulkJobs& bulk, const std::string& tenant_id, const std::string& id,
                   std::ostream& out, std::ostream& err) {
  app::CallContext ctx = ConsoleContext(tenant_id);
  Result<app::BulkProgress> job = bulk.Get(ctx, id);
  if (!job.ok()) return Refused(job.status(), err);
  out << app::ResultsCsvHeader();
  std::int64_t after = 0;
  while (true) {
    auto rows = bulk.Results(ctx, id, after, 1000);
    if (!rows.ok()) return Refused(rows.status(), err);
    for (const domain::BulkRow& row : *rows) {
      out << app::ResultsCsvLine(row, job->job.state);
      after = row.row_no;
    }
    if (rows->size() < 1000) return 0;
  }
}

}  // namespace sb::cli
