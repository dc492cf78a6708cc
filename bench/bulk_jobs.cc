// A bulk job of N rows, through the same use cases the server runs: N accounts are
// made first (32 threads, so that group commit merges them), then one CSV file of N
// suspension rows (a non_payment hold each) is validated and stored (BulkJobs::Submit) and
// run slice after slice (BulkJobs::RunSlice) until the job completes. Prints one JSON line:
// the times of each stage, rows/s of the run and the process's peak RSS. Judge it beside
// `raw_limit sqlite|postgres holds` (the same rows written straight through the database), as
// bench/bulk_compare.sh does in one run.
//
//   bulk_jobs 100000 /tmp/bulk-bench [ROWS_PER_TRANSACTION[xPARALLEL]] [DATABASE_URL [OWNER_URL]]
//
// ROWS_PER_TRANSACTION and PARALLEL set BulkOptions' rows_per_transaction and
// parallel_transactions ("16x4"; the defaults when left out).
// Without DATABASE_URL the store is SQLite in the directory; a PostgreSQL URL is opened as
// the server opens it (OWNER_URL migrates, the URL's role is held by row-level security).

#include "app/bulk/bulk_jobs.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "app/accounts/accounts.h"
#include "app/core/keyring.h"
#include "app/tenants/tenant_admin.h"
#include "crypto/crypto.h"
#include "process_stats.h"
#include "storage/open.h"

using sb::bench::PeakRssMb;
using sb::bench::Seconds;
using sb::bench::Steady;

namespace {

int Fail(const std::string& what, const sb::Status& s) {
  std::cerr << "bulk_jobs: " << what << ": " << s.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bulk_jobs ROWS DIR [ROWS_PER_TRANSACTION[xPARALLEL]] [DATABASE_URL "
                 "[OWNER_URL]]\n";
    return 2;
  }
  const int rows = std::stoi(argv[1]);
  const std::filesystem::path dir = argv[2];
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  sb::storage::OpenOptions options;
  std::string url = "sqlite:" + (dir / "bench.db").string();
  if (argc > 4) url = argv[4];
  if (argc > 5) options.owner_url = argv[5];
  const std::string backend = url.rfind("sqlite:", 0) == 0 ? "sqlite" : "postgres";
  auto opened = sb::storage::OpenStore(url, options);
  if (!opened.ok()) return Fail("open", opened.status());
  sb::domain::Store& store = *opened->store;
  sb::SystemClock clock;
  sb::app::Keyring keyring(sb::crypto::RandomBytes(32));
  sb::app::Deps deps{store, clock, keyring};
  sb::app::AdminUseCases admin(deps);
  if (auto seeded = admin.SeedDemoIfEmpty(); !seeded.ok()) return Fail("seed", seeded.status());
  auto tenants = admin.ListTenants();
  if (!tenants.ok() || tenants->empty()) return Fail("tenant", tenants.status());
  const std::string tenant = tenants->front().id;

  sb::app::CallContext ctx;
  ctx.tenant_id = tenant;
  ctx.actor = {sb::domain::ActorType::kUser, "usr_bench", sb::domain::Role::kSupervisor};
  ctx.channel = sb::domain::Channel::kApi;
  ctx.correlation_id = "bench";

  // Accounts, 32 writers at once.
  auto t0 = Steady::now();
  sb::app::AccountUseCases accounts(deps);
  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 32; ++w) {
    writers.emplace_back([&] {
      for (int i = next++; i < rows; i = next++) {
        sb::app::CreateAccountInput in;
        in.external_ref = "B-" + std::to_string(i);
        in.plan_codes = {"mobile_basic"};
        if (!accounts.CreateAccount(ctx, in).ok()) ++failed;
      }
    });
  }
  for (auto& t : writers) t.join();
  if (failed > 0) {
    std::cerr << "bulk_jobs: " << failed << " accounts failed\n";
    return 1;
  }
  double accounts_s = Seconds(t0);

  // The file, written to disk as an upload is.
  const std::string file = (dir / "rows.csv").string();
  {
    std::ofstream out(file, std::ios::binary);
    out << "external_ref,type,reason_code,payload.hold_type\r\n";
    for (int i = 0; i < rows; ++i) {
      out << "B-" << i << ",suspension,non_payment,non_payment\r\n";
    }
  }
  sb::app::BulkOptions bulk_options;
  if (argc > 3) {
    const std::string shape = argv[3];
    bulk_options.rows_per_transaction = std::stoi(shape);
    if (auto x = shape.find('x'); x != std::string::npos) {
      bulk_options.parallel_transactions = std::stoi(shape.substr(x + 1));
    }
  }
  sb::app::BulkJobs bulk(deps, bulk_options);
  auto t1 = Steady::now();
  std::ifstream in(file, std::ios::binary);
  auto submitted = bulk.Submit(ctx, sb::app::BulkFormat::kCsv, in);
  if (!submitted.ok()) return Fail("submit", submitted.status());
  if (submitted->rejected || !submitted->job) {
    std::cerr << "bulk_jobs: rejected, first: " << submitted->errors.front().code << "\n";
    return 1;
  }
  double submit_s = Seconds(t1);
  const std::string job = submitted->job->id;

  auto t2 = Steady::now();
  while (true) {
    sb::Status s = bulk.RunSlice(tenant, job);
    if (!s.ok()) return Fail("run", s);
    auto p = bulk.Get(ctx, job);
    if (!p.ok()) return Fail("get", p.status());
    if (sb::domain::IsFinished(p->job.state)) {
      if (p->job.applied_rows != rows) {
        std::cerr << "bulk_jobs: applied " << p->job.applied_rows << " of " << rows << "\n";
        return 1;
      }
      break;
    }
  }
  double run_s = Seconds(t2);
  std::printf(
      "{\"bench\":\"bulk_jobs\",\"backend\":\"%s\",\"rows\":%d,\"rows_per_transaction\":%d,"
      "\"parallel_transactions\":%d,"
      "\"accounts_s\":%.1f,\"validate_and_store_s\":%.1f,\"run_s\":%.1f,\"rows_per_s\":%.0f,"
      "\"peak_rss_mb\":%ld}\n",
      backend.c_str(), rows, bulk_options.rows_per_transaction, bulk.ParallelTransactions(),
      accounts_s, submit_s, run_s, rows / run_s, PeakRssMb());
  return 0;
}
