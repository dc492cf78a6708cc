// SQLite under a failing disk (tests/support/fault_vfs.h): for each N over a range, the Nth
// write or sync of the database files fails (an I/O error, a full disk) while writers are
// committing through the store's group commit. Whatever N: no writer is told "done" for a
// write that is not in the database once it is reopened, the store recovers in place (the
// next write succeeds), what was acknowledged before the fault stays, and the file passes
// PRAGMA integrity_check.

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/open.h"
#include "tests/storage/contract.h"
#include "tests/support/fault_vfs.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

constexpr int kWriters = 6;
constexpr int kWritesEach = 4;

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  std::string result = "cannot open";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return result;
}

struct FaultOutcome {
  bool fired = false;
  int acknowledged = 0;
  int failed_but_kept = 0;  // told "failed", found committed: allowed (a retry replays)
};

// One round: a fresh database, the fault armed at call `n`, concurrent writers, then the
// checks. `dir` is an empty directory of the round's own.
FaultOutcome Round(const std::string& dir, FaultOn on, int n, int rc) {
  FaultOutcome out;
  std::string path = dir + "/db.sqlite";
  std::mutex mu;
  std::set<std::string> acked, failed;
  {
    auto opened = storage::OpenStore("sqlite:" + path);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (!opened.ok()) return out;
    Store& store = *opened->store;
    EXPECT_TRUE(store.Write([](Tx& tx) { return tx.InsertTenant(FullTenant("ten_a")); }).ok());
    acked.insert("");  // the tenant, checked below
    FaultVfs::Arm(on, n, rc);
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriters; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0; i < kWritesEach; ++i) {
          std::string id = "acc_" + std::to_string(t) + "_" + std::to_string(i);
          Status s = store.Write(
              [&](Tx& tx) { return tx.InsertAccount(FullAccount("ten_a", id, "ref_" + id)); });
          std::lock_guard<std::mutex> lock(mu);
          (s.ok() ? acked : failed).insert(id);
        }
      });
    }
    for (auto& w : writers) w.join();
    out.fired = FaultVfs::Fired();
    FaultVfs::Disarm();
    // The disk is back: the same store writes again without being reopened.
    Status after = store.Write(
        [](Tx& tx) { return tx.InsertAccount(FullAccount("ten_a", "acc_after", "ref_after")); });
    EXPECT_TRUE(after.ok()) << "no recovery after the fault: " << after.ToString();
    if (after.ok()) acked.insert("acc_after");
  }
  auto reopened = storage::OpenStore("sqlite:" + path);
  EXPECT_TRUE(reopened.ok()) << reopened.status().ToString();
  if (!reopened.ok()) return out;
  Store& store = *reopened->store;
  EXPECT_TRUE(store.Read([](Tx& tx) { return tx.GetTenant("ten_a").status(); }).ok());
  for (const auto& id : acked) {
    if (id.empty()) continue;
    Status s = store.Read([&](Tx& tx) { return tx.GetAccount("ten_a", id, false).status(); });
    EXPECT_TRUE(s.ok()) << "acknowledged write " << id << " lost: " << s.ToString();
  }
  for (const auto& id : failed) {
    out.failed_but_kept +=
        store.Read([&](Tx& tx) { return tx.GetAccount("ten_a", id, false).status(); }).ok();
  }
  out.acknowledged = static_cast<int>(acked.size()) - 1;
  reopened->store.reset();
  EXPECT_EQ(IntegrityCheck(path), "ok");
  return out;
}

struct Fault {
  FaultOn on;
  int rc;
  const char* name;
};

class SqliteFaults : public ::testing::TestWithParam<Fault> {};

TEST_P(SqliteFaults, NoFailedCommitIsAcknowledgedAndTheStoreRecovers) {
  FaultVfs::Install();
  const Fault& fault = GetParam();
  int fired = 0;
  int kept = 0;
  // Every position early on (the first batches, where a fault meets the most states), then
  // every fourth.
  for (int n = 1; n <= 60; n += n < 16 ? 1 : 4) {
    SCOPED_TRACE(std::string(fault.name) + " at call " + std::to_string(n));
    std::string tmpl = (std::filesystem::temp_directory_path() / "sb-fault-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    FaultOutcome o = Round(tmpl, fault.on, n, fault.rc);
    std::error_code ignored;
    std::filesystem::remove_all(tmpl, ignored);
    if (HasFailure()) break;
    if (!o.fired) break;  // past the last call the writes make: every N was tried
    ++fired;
    kept += o.failed_but_kept;
  }
  EXPECT_GT(fired, 0) << "the fault never fired";
  std::printf("%s: fault fired at %d positions, %d writes reported failed yet committed\n",
              fault.name, fired, kept);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, SqliteFaults,
    ::testing::Values(Fault{FaultOn::kWrite, SQLITE_IOERR_WRITE, "write_ioerr"},
                      Fault{FaultOn::kWrite, SQLITE_FULL, "write_full"},
                      Fault{FaultOn::kSync, SQLITE_IOERR_FSYNC, "sync_ioerr"},
                      Fault{FaultOn::kSync, SQLITE_FULL, "sync_full"}),
    [](const ::testing::TestParamInfo<Fault>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sb::testing
