// Reconciliation of an N-account file on SQLite, through the use case the server runs: N
// accounts with one service each are written straight into a fresh store (the bench measures
// the comparison, not account creation), then a CSV file of N rows, 1% planted to differ
// (a third each: a service status, an account status, an amount due), is compared
// (Reconciliations::RunFile). Prints one JSON line: the rate in accounts/s, the drift found
// and the process's RSS before and after the run, to show memory stays flat.
//
//   reconciliation 1000000 /tmp/recon-bench

#include "app/reconciliation/reconciliation.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "app/core/keyring.h"
#include "app/tenants/tenant_admin.h"
#include "crypto/crypto.h"
#include "process_stats.h"
#include "storage/open.h"

using sb::bench::PeakRssMb;
using sb::bench::RssMb;
using sb::bench::Seconds;
using sb::bench::Steady;

namespace {

int Fail(const std::string& what, const sb::Status& s) {
  std::cerr << "reconciliation: " << what << ": " << s.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: reconciliation ACCOUNTS DIR\n";
    return 2;
  }
  const int n = std::stoi(argv[1]);
  const std::filesystem::path dir = argv[2];
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto opened = sb::storage::OpenStore("sqlite:" + (dir / "bench.db").string(), {});
  if (!opened.ok()) return Fail("open", opened.status());
  sb::domain::Store& store = *opened->store;
  sb::SystemClock clock;
  sb::app::Keyring keyring(sb::crypto::RandomBytes(32));
  sb::app::Deps deps{store, clock, keyring};
  auto tenant = sb::app::AdminUseCases(deps).CreateTenant("Bench");
  if (!tenant.ok()) return Fail("tenant", tenant.status());

  auto t0 = Steady::now();
  for (int from = 0; from < n; from += 10000) {
    sb::Status s = store.Write([&](sb::domain::Tx& tx) -> sb::Status {
      for (int i = from; i < std::min(n, from + 10000); ++i) {
        sb::domain::Account a;
        a.tenant_id = tenant->id;
        a.id = "acc_b" + std::to_string(i);
        a.external_ref = "B-" + std::to_string(i);
        a.amount_due_minor = 1000;
        a.created_at = a.updated_at = clock.Now();
        SB_RETURN_IF_ERROR(tx.InsertAccount(a));
        sb::domain::Service svc;
        svc.tenant_id = tenant->id;
        svc.id = "svc_b" + std::to_string(i);
        svc.account_id = a.id;
        svc.plan_code = "mobile_basic";
        svc.created_at = svc.updated_at = clock.Now();
        SB_RETURN_IF_ERROR(tx.InsertService(svc));
      }
      return sb::Status::Ok();
    });
    if (!s.ok()) return Fail("seed", s);
  }
  double seed_s = Seconds(t0);

  const std::string file = (dir / "billing.csv").string();
  {
    std::ofstream out(file, std::ios::binary);
    out << "external_ref,service_id,service_status,account_status,amount_due_minor\r\n";
    for (int i = 0; i < n; ++i) {
      int k = i % 100;
      out << "B-" << i << ",svc_b" << i << "," << (k == 7 ? "suspended" : "active") << ","
          << (k == 37 ? "dormant" : "active") << "," << (k == 67 ? "2500" : "1000") << "\r\n";
    }
  }
  sb::app::CallContext ctx;
  ctx.tenant_id = tenant->id;
  ctx.actor = {sb::domain::ActorType::kUser, "usr_bench", sb::domain::Role::kSupervisor};
  ctx.correlation_id = "bench";
  long rss_before = RssMb();
  auto t1 = Steady::now();
  std::ifstream in(file, std::ios::binary);
  auto out = sb::app::Reconciliations(deps).RunFile(ctx, "billing", sb::app::BulkFormat::kCsv, in,
                                                    "bench");
  if (!out.ok()) return Fail("run", out.status());
  double run_s = Seconds(t1);
  const auto& run = out->run;
  if (run.drift() != n / 100 * 3 || run.rows_rejected != 0) {
    std::cerr << "reconciliation: found " << run.drift() << " differences, rejected "
              << run.rows_rejected << "\n";
    return 1;
  }
  std::cout << "{\"accounts\":" << n << ",\"seed_s\":" << seed_s << ",\"run_s\":" << run_s
            << ",\"accounts_per_s\":" << static_cast<long>(n / run_s)
            << ",\"drift\":" << run.drift() << ",\"repairs_filed\":" << run.repairs_filed
            << ",\"queued\":" << run.queued << ",\"rss_before_mb\":" << rss_before
            << ",\"rss_after_mb\":" << RssMb() << ",\"peak_rss_mb\":" << PeakRssMb() << "}\n";
  return 0;
}
