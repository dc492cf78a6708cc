// `audit verify` and `audit export` on a large log, on SQLite, through the use cases the CLI
// runs (AuditLog::VerifyDatabase, AuditLog::ExportBundle).
//
//   audit_verify generate ENTRIES DIR   a fresh store in DIR with one tenant whose log holds
//                                       ENTRIES entries, sequenced by the server's sequencer
//                                       after each write of 1-200 entries (one signed
//                                       checkpoint each, as under load)
//   audit_verify verify DIR             verifies every tenant's log
//   audit_verify export DIR TENANT      writes TENANT's evidence bundle to DIR/bundle.json
//
// Each mode runs in a process of its own so that `verify` reports the verify's own peak RSS.
// Prints one JSON line.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>

#include "app/audit/audit_log.h"
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
  std::cerr << "audit_verify: " << what << ": " << s.ToString() << "\n";
  return 1;
}

// An entry of the size and shape the request engine writes for a hold being placed.
sb::domain::AuditEntry Entry(const std::string& tenant, std::int64_t i, sb::Timestamp at) {
  sb::domain::AuditEntry e;
  e.tenant_id = tenant;
  e.id = sb::crypto::NewId("aud", at);  // as the server makes them: in the order made
  e.category = sb::domain::AuditCategory::kAccountStatus;
  e.action = i % 2 ? "hold.lifted" : "hold.placed";
  e.actor = {sb::domain::ActorType::kApiKey, "key_bench", sb::domain::Role::kAgent};
  e.reason_code = "non_payment";
  e.request_id = "req_bench" + std::to_string(i / 2);
  e.subject_type = "hold";
  e.subject_id = "hld_bench" + std::to_string(i / 2);
  e.account_id = "acc_bench" + std::to_string(i % 100000);
  e.before_json = R"({"state":"active","blocks_service":true,"expires_at":null})";
  e.after_json = R"({"state":"lifted","blocks_service":true,"lifted_at":1796122372370})";
  e.created_at = at;
  return e;
}

// The bench's store in DIR and what the use cases need with it.
struct Bench {
  explicit Bench(sb::storage::Opened opened)
      : opened(std::move(opened)), deps{*this->opened.store, clock, keyring} {}
  sb::storage::Opened opened;
  sb::SystemClock clock;
  sb::app::Keyring keyring{sb::crypto::RandomBytes(32)};
  sb::app::Deps deps;
};

sb::Result<std::unique_ptr<Bench>> Open(const std::filesystem::path& dir) {
  auto opened = sb::storage::OpenStore("sqlite:" + (dir / "bench.db").string(), {});
  if (!opened.ok()) return opened.status();
  return std::make_unique<Bench>(std::move(opened).value());
}

int Generate(std::int64_t n, const std::filesystem::path& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto bench = Open(dir);
  if (!bench.ok()) return Fail("open", bench.status());
  sb::app::Deps& deps = (*bench)->deps;
  sb::domain::Store& store = deps.store;
  const sb::Clock& clock = deps.clock;
  auto tenant = sb::app::AdminUseCases(deps).CreateTenant("Bench");
  if (!tenant.ok()) return Fail("tenant", tenant.status());
  sb::app::AuditLog log(deps);
  if (sb::Status s = log.EnsureSigningKey(); !s.ok()) return Fail("signing key", s);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> batch(1, 200);
  auto t0 = Steady::now();
  std::int64_t checkpoints = 0;
  for (std::int64_t i = 0; i < n;) {
    std::int64_t end = std::min(n, i + batch(rng));
    sb::Status s = store.Write([&](sb::domain::Tx& tx) -> sb::Status {
      for (std::int64_t k = i; k < end; ++k) {
        SB_RETURN_IF_ERROR(tx.InsertAuditEntry(Entry(tenant->id, k, clock.Now())));
      }
      return sb::Status::Ok();
    });
    if (!s.ok()) return Fail("entries", s);
    auto sequenced = log.SequencePending();
    if (!sequenced.ok()) return Fail("sequence", sequenced.status());
    ++checkpoints;
    i = end;
  }
  std::cout << "{\"mode\":\"generate\",\"entries\":" << n << ",\"checkpoints\":" << checkpoints
            << ",\"tenant\":\"" << tenant->id << "\",\"seconds\":" << Seconds(t0)
            << ",\"db_mb\":" << std::filesystem::file_size(dir / "bench.db") / (1024 * 1024)
            << "}\n";
  return 0;
}

int Verify(const std::filesystem::path& dir) {
  auto bench = Open(dir);
  if (!bench.ok()) return Fail("open", bench.status());
  sb::app::AuditLog log((*bench)->deps);
  const long rss_before = RssMb();
  auto t0 = Steady::now();
  auto reports = log.VerifyDatabase("");
  const double verify_s = Seconds(t0);
  if (!reports.ok()) return Fail("verify", reports.status());
  std::int64_t entries = 0;
  std::int64_t checkpoints = 0;
  std::string tenant;
  bool ok = true;
  for (const sb::app::VerifyReport& r : *reports) {
    ok = ok && r.ok;
    if (!r.ok)
      std::cerr << "audit_verify: " << r.tenant_id << " " << r.kind << ": " << r.detail << "\n";
    if (r.entries_checked > entries) tenant = r.tenant_id;
    entries = std::max(entries, r.entries_checked);
    checkpoints = std::max(checkpoints, r.checkpoints_checked);
  }
  std::cout << "{\"mode\":\"verify\",\"ok\":" << (ok ? "true" : "false")
            << ",\"entries\":" << entries << ",\"checkpoints\":" << checkpoints
            << ",\"seconds\":" << verify_s
            << ",\"entries_per_second\":" << static_cast<std::int64_t>(entries / verify_s)
            << ",\"rss_before_mb\":" << rss_before << ",\"peak_rss_mb\":" << PeakRssMb()
            << ",\"tenant\":\"" << tenant << "\"}\n";
  return ok ? 0 : 1;
}

int Export(const std::filesystem::path& dir, const std::string& tenant) {
  auto bench = Open(dir);
  if (!bench.ok()) return Fail("open", bench.status());
  sb::app::AuditLog log((*bench)->deps);
  const long rss_before = RssMb();
  auto t0 = Steady::now();
  std::ofstream bundle(dir / "bundle.json", std::ios::binary | std::ios::trunc);
  sb::Status exported = log.ExportBundle(tenant, bundle);
  bundle.close();
  const double export_s = Seconds(t0);
  if (!exported.ok()) return Fail("export", exported);
  std::cout << "{\"mode\":\"export\",\"seconds\":" << export_s
            << ",\"bundle_mb\":" << std::filesystem::file_size(dir / "bundle.json") / (1024 * 1024)
            << ",\"rss_before_mb\":" << rss_before << ",\"peak_rss_mb\":" << PeakRssMb() << "}\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "generate" && argc == 4) return Generate(std::stoll(argv[2]), argv[3]);
  if (mode == "verify" && argc == 3) return Verify(argv[2]);
  if (mode == "export" && argc == 4) return Export(argv[2], argv[3]);
  std::cerr << "usage: audit_verify generate ENTRIES DIR | verify DIR | export DIR TENANT\n";
  return 2;
}
