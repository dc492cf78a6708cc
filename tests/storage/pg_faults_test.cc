// PostgreSQL failing under the store: the server's backends terminated while writes are in
// flight (pg_terminate_backend, 25 rounds 30 ms apart), and the whole server restarted under load.
// Either way no writer is told "done" for a write that is not in the database, every acknowledged
// write is there, and the pool recovers on its own: broken connections are replaced and writes
// succeed again without reopening the store.

#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/open.h"
#include "tests/storage/contract.h"
#include "tests/support/pg_test_roles.h"
#include "tests/support/test_stores.h"

namespace sb::testing {
namespace {

using namespace sb::domain;
using SteadyClock = std::chrono::steady_clock;

// Writers that insert accounts until stopped, remembering which writes were acknowledged.
class Writers {
 public:
  explicit Writers(Store& store) : store_(store) {
    for (int t = 0; t < 6; ++t) threads_.emplace_back([this, t] { Run(t); });
  }
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  // REQUIRES: stopped.
  const std::set<std::string>& acked() const { return acked_; }
  // Acknowledged so far; while running.
  size_t AckedSoFar() {
    std::lock_guard<std::mutex> lock(mu_);
    return acked_.size();
  }
  int failed() const { return failed_; }

 private:
  void Run(int t) {
    for (int i = 0; !stop_; ++i) {
      std::string id = "acc_" + std::to_string(t) + "_" + std::to_string(i);
      Status s = store_.Write(
          [&](Tx& tx) { return tx.InsertAccount(FullAccount("ten_a", id, "ref_" + id)); });
      std::lock_guard<std::mutex> lock(mu_);
      if (s.ok()) {
        acked_.insert(id);
      } else {
        ++failed_;
        // A refused connection while the server is down: do not spin.
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
  }

  Store& store_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::set<std::string> acked_;
  int failed_ = 0;
};

// Runs `sql` (one row, one integer column) on `url`; its value, or -1 on any failure.
long Count(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  long n = -1;
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
      n = std::atol(PQgetvalue(r, 0, 0));
    PQclear(r);
  }
  PQfinish(c);
  return n;
}

// Every acknowledged write is in the database, read back over a fresh store.
void ExpectAllThere(const std::string& app_url, const std::set<std::string>& acked) {
  storage::OpenOptions options;
  options.migrate = false;
  options.pg_pool_size = 1;
  auto opened = storage::OpenStore(app_url, options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  int lost = 0;
  for (const auto& id : acked) {
    lost += !opened->store->Read([&](Tx& tx) { return tx.GetAccount("ten_a", id, false).status(); })
                 .ok();
  }
  EXPECT_EQ(lost, 0) << "of " << acked.size() << " acknowledged writes";
}

TEST(PgFaults, BackendsTerminatedMidTransactionLoseNothingAcknowledged) {
  const char* admin = std::getenv("SB_TEST_PG_URL");
  PostgresTestDatabase db = NewPostgresTestDatabase();
  ASSERT_TRUE(db.store);
  SB_ASSERT_OK(db.store->Write([](Tx& tx) { return tx.InsertTenant(FullTenant("ten_a")); }));

  Writers writers(*db.store);
  // Terminate every backend of the app role on this database, over and over, while the
  // writers run: most are in the middle of a transaction.
  std::string kill_all =
      "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
      "WHERE datname = '" +
      db.name + "' AND usename = '" + kPgTestAppRole + "'";
  long terminated = 0;
  for (int round = 0; round < 25; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    long n = Count(admin, kill_all);
    ASSERT_GE(n, 0) << "pg_terminate_backend failed";
    terminated += n;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  writers.Stop();
  EXPECT_GT(terminated, 0);
  EXPECT_GT(writers.acked().size(), 0u);

  // The pool replaced what was broken: writes succeed again on the same store.
  for (int i = 0; i < 8; ++i) {
    std::string id = "acc_after_" + std::to_string(i);
    SB_EXPECT_OK(db.store->Write(
        [&](Tx& tx) { return tx.InsertAccount(FullAccount("ten_a", id, "r" + id)); }));
  }
  ExpectAllThere(db.app_url, writers.acked());
  std::printf("terminate: %ld backends terminated, %zu writes acknowledged, %d failed\n",
              terminated, writers.acked().size(), writers.failed());
}

// A cluster of the test's own (scripts/pg_test_cluster.sh), so restarting it disturbs no
// other test.
class OwnCluster {
 public:
  OwnCluster() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sb-pgrestart-XXXXXX").string();
    if (mkdtemp(tmpl.data()) != nullptr) dir_ = tmpl;
    url_ = Script("start");
  }
  ~OwnCluster() { Script("stop"); }
  const std::string& url() const { return url_; }
  bool Restart() { return !dir_.empty() && std::system(Command("restart").c_str()) == 0; }

 private:
  std::string Command(const std::string& what) const {
    return "bash " SB_SOURCE_DIR "/scripts/pg_test_cluster.sh " + what + " " + dir_;
  }
  std::string Script(const std::string& what) {
    if (dir_.empty()) return {};
    FILE* p = popen(Command(what).c_str(), "r");
    if (p == nullptr) return {};
    std::string out;
    char buf[256];
    while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
    pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }
  std::string dir_;
  std::string url_;
};

TEST(PgFaults, ServerRestartedUnderLoadLosesNothingAcknowledged) {
  OwnCluster cluster;
  ASSERT_FALSE(cluster.url().empty()) << "cannot start a PostgreSQL cluster";
  PgTestUrls urls = CreatePgTestDatabase(cluster.url(), "sb_restart");
  ASSERT_FALSE(urls.app.empty());
  storage::OpenOptions options;
  options.pg_pool_size = 4;
  options.owner_url = urls.owner;
  auto opened = storage::OpenStore(urls.app, options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& store = *opened->store;
  SB_ASSERT_OK(store.Write([](Tx& tx) { return tx.InsertTenant(FullTenant("ten_a")); }));

  Writers writers(store);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  size_t before = writers.AckedSoFar();
  ASSERT_TRUE(cluster.Restart());
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  writers.Stop();
  EXPECT_GT(before, 0u);
  // Writes went on after the restart, on replaced connections.
  EXPECT_GT(writers.acked().size(), before);
  SB_EXPECT_OK(store.Write(
      [](Tx& tx) { return tx.InsertAccount(FullAccount("ten_a", "acc_after", "ref_after")); }));
  ExpectAllThere(urls.app, writers.acked());
  std::printf("restart: %zu writes acknowledged, %d failed\n", writers.acked().size(),
              writers.failed());
}

}  // namespace
}  // namespace sb::testing
