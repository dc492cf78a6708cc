// Point-in-time account reads (GET /v1/accounts/{id}?as_of, app/audit/account_as_of.h) on
// SQLite: one account whose log holds ENTRIES entries (its creation, two services, then holds
// placed and lifted with the status entries each writes, as the engine writes them) among
// OTHERS entries of other accounts of the same tenant, every write sequenced and signed as
// under load. Then READS reads at instants drawn across the account's history, each the whole
// use case: the entries up to the instant, the rebuild, and the proof of every entry used.
//
//   account_as_of [ENTRIES] [OTHERS] [READS] [DIR]     (defaults 1000 100000 500 a temp dir)
//
// Prints one JSON line: p50, p95, max in milliseconds, entries used per answer.

#include "app/audit/account_as_of.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "app/audit/audit_log.h"
#include "app/core/keyring.h"
#include "app/tenants/tenant_admin.h"
#include "crypto/crypto.h"
#include "process_stats.h"
#include "storage/open.h"

using sb::bench::Seconds;
using sb::bench::Steady;
namespace domain = sb::domain;

namespace {

int Fail(const std::string& what, const sb::Status& s) {
  std::cerr << "account_as_of: " << what << ": " << s.ToString() << "\n";
  return 1;
}

// A clock the bench moves: one second per write, so instants fall between entries.
class StepClock : public sb::Clock {
 public:
  sb::Timestamp Now() const override { return now_; }
  void Step() { now_ += 1000; }

 private:
  sb::Timestamp now_ = 1767225600000;  // 2026-01-01
};

struct Writer {
  std::string tenant;
  std::string account;
  std::int64_t n = 0;

  domain::AuditEntry Entry(const std::string& action, const std::string& subject_type,
                           const std::string& subject_id, std::string after, sb::Timestamp at) {
    domain::AuditEntry e;
    e.tenant_id = tenant;
    e.id = sb::crypto::NewId("aud", at);
    e.category = domain::AuditCategory::kAccountStatus;
    e.action = action;
    e.actor = {domain::ActorType::kApiKey, "key_bench", domain::Role::kAgent};
    e.reason_code = "non_payment";
    e.request_id = "req_bench" + std::to_string(n++);
    e.subject_type = subject_type;
    e.subject_id = subject_id;
    e.account_id = account;
    e.before_json = "{}";
    e.after_json = std::move(after);
    e.created_at = at;
    return e;
  }
};

std::string HoldAfter(const std::string& state) {
  return R"({"hold_id":"h","hold_type":"non_payment","state":")" + state +
         R"(","blocks_service":true,"blocks_billing":false,"blocks_changes":false})";
}

// The account's own history: creation, two services, then a hold placed and lifted again and
// again (hold, service and account entries each time) until it holds `entries` entries.
std::vector<std::vector<domain::AuditEntry>> History(Writer& w, std::int64_t entries,
                                                     StepClock& clock) {
  std::vector<std::vector<domain::AuditEntry>> writes;
  clock.Step();
  writes.push_back(
      {w.Entry(
           "account.created", "account", w.account,
           R"({"status":"active","lifecycle":"active","external_ref":"BENCH-1","currency":"EUR","amount_due_minor":0,"kyc_level":2,"failed_payments":0,"profile":"sealed"})",
           clock.Now()),
       w.Entry("service.added", "service", "svc_bench1",
               R"({"plan":"mobile_basic","status":"active"})", clock.Now()),
       w.Entry("service.added", "service", "svc_bench2",
               R"({"plan":"mobile_basic","status":"active"})", clock.Now())});
  std::int64_t count = 3;
  for (int i = 0; count < entries; ++i) {
    clock.Step();
    bool place = i % 2 == 0;
    std::string hold = "hld_bench" + std::to_string(i / 2);
    std::string status = place ? "suspended" : "active";
    writes.push_back({w.Entry(place ? "hold.placed" : "hold.lifted", "hold", hold,
                              HoldAfter(place ? "active" : "lifted"), clock.Now()),
                      w.Entry("service." + status, "service", "svc_bench1",
                              R"({"status":")" + status + "\"}", clock.Now()),
                      w.Entry("service." + status, "service", "svc_bench2",
                              R"({"status":")" + status + "\"}", clock.Now()),
                      w.Entry("account." + status, "account", w.account,
                              R"({"status":")" + status + "\"}", clock.Now())});
    count += 4;
  }
  return writes;
}

}  // namespace

int main(int argc, char** argv) {
  const std::int64_t entries = argc > 1 ? std::stoll(argv[1]) : 1000;
  const std::int64_t others = argc > 2 ? std::stoll(argv[2]) : 100000;
  const int reads = argc > 3 ? std::stoi(argv[3]) : 500;
  std::filesystem::path dir = argc > 4 ? std::filesystem::path(argv[4])
                                       : std::filesystem::temp_directory_path() / "sb_as_of";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  sb::crypto::Init();
  auto opened = sb::storage::OpenStore("sqlite:" + (dir / "bench.db").string(), {});
  if (!opened.ok()) return Fail("open", opened.status());
  StepClock clock;
  sb::app::Keyring keyring(sb::crypto::RandomBytes(32));
  sb::app::Deps deps{*opened->store, clock, keyring};
  auto tenant = sb::app::AdminUseCases(deps).CreateTenant("Bench");
  if (!tenant.ok()) return Fail("tenant", tenant.status());
  sb::app::AuditLog log(deps);
  if (sb::Status s = log.EnsureSigningKey(); !s.ok()) return Fail("signing key", s);

  Writer mine{tenant->id, "acc_bench_target"};
  Writer theirs{tenant->id, ""};
  auto history = History(mine, entries, clock);
  const sb::Timestamp first = history.front().front().created_at;
  const std::int64_t others_per_write = std::max<std::int64_t>(1, others / history.size());
  auto t0 = Steady::now();
  for (auto& write : history) {
    sb::Status s = opened->store->Write([&](domain::Tx& tx) -> sb::Status {
      for (domain::AuditEntry& e : write) SB_RETURN_IF_ERROR(tx.InsertAuditEntry(e));
      for (std::int64_t k = 0; k < others_per_write; ++k) {
        theirs.account = "acc_other" + std::to_string(theirs.n % 5000);
        SB_RETURN_IF_ERROR(tx.InsertAuditEntry(theirs.Entry(
            "hold.placed", "hold", "hld_o", HoldAfter("active"), write[0].created_at)));
      }
      return sb::Status::Ok();
    });
    if (!s.ok()) return Fail("write", s);
    auto sequenced = log.SequencePending();
    if (!sequenced.ok()) return Fail("sequence", sequenced.status());
  }
  const double generate_s = Seconds(t0);
  const sb::Timestamp last = clock.Now();
  clock.Step();

  sb::app::AccountHistory reader(deps, log);
  sb::app::CallContext ctx;
  ctx.tenant_id = tenant->id;
  ctx.actor = {domain::ActorType::kApiKey, "key_bench", domain::Role::kAuditor};
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<sb::Timestamp> instant(first + 500, last + 500);
  std::vector<double> ms;
  std::size_t used = 0;
  for (int i = 0; i < reads; ++i) {
    sb::Timestamp at = i == 0 ? last + 500 : instant(rng);
    auto t = Steady::now();
    auto past = reader.AsOf(ctx, mine.account, at);
    ms.push_back(Seconds(t) * 1000);
    if (!past.ok()) return Fail("as_of", past.status());
    used = std::max(used, past->entries.size());
    for (const auto& u : past->entries) {
      if (!u.proof) return Fail("as_of", sb::Status::Internal("an entry without its proof"));
    }
  }
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[static_cast<std::size_t>(q * (ms.size() - 1))]; };
  std::cout << "{\"bench\":\"account_as_of\",\"account_entries\":" << entries
            << ",\"other_entries\":" << others_per_write * history.size() << ",\"reads\":" << reads
            << ",\"generate_seconds\":" << generate_s << ",\"p50_ms\":" << at(0.5)
            << ",\"p95_ms\":" << at(0.95) << ",\"max_ms\":" << ms.back()
            << ",\"max_entries_used\":" << used << "}\n";
  return 0;
}
