#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <latch>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "domain/ports/store.h"
#include "storage/migrations.h"
#include "storage/open.h"
#include "storage/postgres/pg_conn.h"
#include "tests/storage/contract.h"
#include "tests/support/test_stores.h"

namespace sb::testing {

namespace {

using namespace sb::domain;

TEST(PgSmoke, RoundTrips) {
  auto store = NewPostgresTestStore();
  ASSERT_EQ(store->Backend(), "postgres");
  ASSERT_TRUE(store->Ping().ok());
  Status s = store->Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertTenant({"ten_1", "Acme", 1}));
    EXPECT_EQ(tx.InsertTenant({"ten_1", "Acme", 1}).code(), Code::kConflict);
    Account a;
    a.tenant_id = "ten_1";
    a.id = "acc_1";
    a.external_ref = "A-1";
    a.profile_sealed = std::string("\0\x01\xff", 3);
    a.last_payment_at = 5;
    SB_RETURN_IF_ERROR(tx.InsertAccount(a));
    a.id = "acc_2";
    EXPECT_EQ(tx.InsertAccount(a).code(), Code::kConflict);
    a.external_ref = "A-2";
    SB_RETURN_IF_ERROR(tx.InsertAccount(a));
    auto got = tx.GetAccount("ten_1", "acc_1", true);
    EXPECT_TRUE(got.ok());
    EXPECT_EQ(got->profile_sealed, std::string("\0\x01\xff", 3));
    EXPECT_EQ(got->last_payment_at, 5);
    a.version = 2;
    EXPECT_EQ(tx.UpdateAccount(a, 7).code(), Code::kPreconditionFailed);
    SB_RETURN_IF_ERROR(tx.UpdateAccount(a, 1));
    Request r;
    r.tenant_id = "ten_1";
    r.id = "req_1";
    r.account_id = "acc_1";
    r.actor.role = Role::kAdmin;
    r.history = {{RequestState::kReceived, 10}, {RequestState::kCompleted, 20}};
    SB_RETURN_IF_ERROR(tx.InsertRequest(r));
    auto rr = tx.GetRequest("ten_1", "req_1");
    EXPECT_TRUE(rr.ok());
    EXPECT_EQ(rr->history.size(), 2u);
    EXPECT_EQ(rr->history[1].state, RequestState::kCompleted);
    EXPECT_EQ(rr->history[1].at, 20);
    EXPECT_EQ(rr->actor.role, Role::kAdmin);
    EXPECT_EQ(tx.GetLogSize("ten_1").value(), 0);
    SB_RETURN_IF_ERROR(tx.SetLogSize("ten_1", 3));
    EXPECT_EQ(tx.GetLogSize("ten_1").value(), 3);
    Job j;
    j.tenant_id = "ten_1";
    j.id = "job_1";
    j.run_at = 100;
    SB_RETURN_IF_ERROR(tx.InsertJob(j));
    auto claimed = tx.ClaimDueJobs(100, 10, 50);
    EXPECT_EQ(claimed->size(), 1u);
    EXPECT_EQ((*claimed)[0].locked_until, 150);
    EXPECT_EQ(tx.ClaimDueJobs(120, 10, 50)->size(), 0u);
    EXPECT_EQ(tx.ClaimDueJobs(150, 10, 50)->size(), 1u);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  s = store->Read([](Tx& tx) {
    AccountFilter f;
    f.limit = 1;
    auto page = tx.ListAccounts("ten_1", f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_EQ(page->items.size(), 1u);
    EXPECT_TRUE(page->has_more);
    EXPECT_EQ(page->items[0].id, "acc_2");
    EXPECT_EQ(page->items[0].version, 2);
    f.starting_after = page->next_cursor;
    page = tx.ListAccounts("ten_1", f);
    EXPECT_EQ(page->items[0].id, "acc_1");
    EXPECT_FALSE(page->has_more);
    EXPECT_EQ(tx.GetAccount("ten_1", "acc_1", true)->id, "acc_1");
    EXPECT_EQ(tx.GetTenant("ten_2").status().code(), Code::kNotFound);
    EXPECT_EQ(tx.InsertTenant({"ten_3", "x", 1}).code(), Code::kInternal);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  s = store->Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertTenant({"ten_9", "x", 1}));
    return Status::Aborted();
  });
  EXPECT_EQ(s.code(), Code::kAborted);
  s = store->Read([](Tx& tx) { return tx.GetTenant("ten_9").status(); });
  EXPECT_EQ(s.code(), Code::kNotFound);
}

// Statements sent together in one round trip (Conn::ExecAll, Conn::CommitAfter): answered in
// order; one that fails fails the whole and ends the pipeline, so the connection serves the
// next transaction; COMMIT after a failed statement never runs.
TEST(PgSmoke, APipelineAnswersInOrderAndAFailureEndsIt) {
  using storage::postgres::Conn;
  using storage::postgres::Params;
  using storage::postgres::Stmt;
  static const Stmt kInsert{"smoke_pipeline_insert", "INSERT INTO smoke_pipeline VALUES ($1)"};
  static const Stmt kCount{"smoke_pipeline_count", "SELECT count(*) FROM smoke_pipeline"};
  const char* url = std::getenv("SB_TEST_PG_URL");
  ASSERT_NE(url, nullptr);
  auto conn = Conn::Connect(url);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  Conn& c = **conn;
  // A table of this session only: runs of the test side by side do not meet.
  SB_ASSERT_OK(c.Simple("CREATE TEMP TABLE smoke_pipeline (id text PRIMARY KEY)"));
  const Params a = Params().Text("a"), b = Params().Text("b"), none;

  SB_ASSERT_OK(c.Simple("BEGIN"));
  auto answers = c.ExecAll({{&kInsert, &a}, {&kInsert, &b}, {&kCount, &none}});
  ASSERT_TRUE(answers.ok()) << answers.status().ToString();
  ASSERT_EQ(answers->size(), 3u);
  EXPECT_EQ((*answers)[0].affected(), 1);
  EXPECT_EQ((*answers)[2].Int(0, 0), 2);
  SB_ASSERT_OK(c.Commit());

  // "a" again: a unique violation, and the count after it does not run.
  SB_ASSERT_OK(c.Simple("BEGIN"));
  const Params c_row = Params().Text("c");
  auto failed = c.ExecAll({{&kInsert, &c_row}, {&kInsert, &a}, {&kCount, &none}});
  EXPECT_EQ(failed.status().reason(), "duplicate");
  SB_ASSERT_OK(c.Simple("ROLLBACK"));

  // COMMIT after a failing statement: nothing of the transaction stays.
  SB_ASSERT_OK(c.Simple("BEGIN"));
  auto not_committed = c.CommitAfter({{&kInsert, &c_row}, {&kInsert, &b}});
  EXPECT_EQ(not_committed.status().reason(), "duplicate");
  SB_ASSERT_OK(c.Simple("ROLLBACK"));

  SB_ASSERT_OK(c.Simple("BEGIN"));
  const Params d = Params().Text("d");
  SB_ASSERT_OK(c.CommitAfter({{&kInsert, &d}}).status());
  SB_ASSERT_OK(c.Simple("BEGIN"));
  auto count = c.ExecAll({{&kCount, &none}});
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ((*count)[0].Int(0, 0), 3);  // a, b, d
  SB_ASSERT_OK(c.Commit());
  EXPECT_FALSE(c.broken());
}

TEST(PgSmoke, ConcurrentOpensMigrateOnce) {
  const char* url = std::getenv("SB_TEST_PG_URL");
  ASSERT_NE(url, nullptr);
  PGconn* c = PQconnectdb(url);
  PQclear(PQexec(c, "DROP DATABASE IF EXISTS sb_smoke_concurrent"));
  PQclear(PQexec(c, "CREATE DATABASE sb_smoke_concurrent"));
  PQfinish(c);
  std::string db_url = std::string(url);
  db_url = db_url.substr(0, db_url.rfind('/')) + "/sb_smoke_concurrent";
  std::atomic<int> applied{0}, failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto opened = storage::OpenStore(db_url);
      if (!opened.ok()) ++failed;
      if (opened.ok()) applied += static_cast<int>(opened->applied_migrations.size());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  // Every migration applied exactly once, by whichever open got there first.
  EXPECT_EQ(applied.load(), static_cast<int>(storage::Migrations("postgres").size()));
}

TEST(PgSmoke, ClaimsAreDisjointAcrossConnections) {
  auto store = NewPostgresTestStore();
  ASSERT_TRUE(store
                  ->Write([](Tx& tx) {
                    SB_RETURN_IF_ERROR(tx.InsertTenant({"ten_1", "Acme", 1}));
                    for (int i = 0; i < 200; ++i) {
                      Job j;
                      j.tenant_id = "ten_1";
                      j.id = "job_" + std::to_string(1000 + i);
                      j.run_at = i;
                      SB_RETURN_IF_ERROR(tx.InsertJob(j));
                    }
                    return Status::Ok();
                  })
                  .ok());
  std::atomic<int> claimed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int k = 0; k < 20; ++k) {
        Status s = store->Write([&](Tx& tx) {
          SB_ASSIGN_OR_RETURN(auto jobs, tx.ClaimDueJobs(1000, 5, 60000));
          claimed += static_cast<int>(jobs.size());
          return Status::Ok();
        });
        EXPECT_TRUE(s.ok()) << s.ToString();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.load(), 200);
}

// Two writes that lock two accounts in opposite orders deadlock; PostgreSQL ends one of them.
// A write that may run again is run again and succeeds; one that may not fails, its caller
// told to retry.
TEST(PgSmoke, AWriteThatMayRunAgainOutlivesADeadlock) {
  auto store = NewPostgresTestStore();
  SB_ASSERT_OK(store->Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertTenant(FullTenant("ten_a")));
    SB_RETURN_IF_ERROR(tx.InsertAccount(FullAccount("ten_a", "acc_1", "ref_1")));
    return tx.InsertAccount(FullAccount("ten_a", "acc_2", "ref_2"));
  }));
  for (Store::Rerun rerun : {Store::Rerun::kAllowed, Store::Rerun::kNo}) {
    std::latch both_locked(2);
    std::atomic<int> runs{0};
    // Locks `first`, waits (on its first run only) until the other write holds its lock, then
    // locks `second`.
    auto write = [&](const char* first, const char* second) {
      bool waited = false;
      return store->Write(
          [&](Tx& tx) {
            ++runs;
            SB_RETURN_IF_ERROR(tx.GetAccount("ten_a", first, /*for_update=*/true).status());
            if (!waited) {
              waited = true;
              both_locked.arrive_and_wait();
            }
            return tx.GetAccount("ten_a", second, /*for_update=*/true).status();
          },
          rerun);
    };
    Status one, two;
    std::thread a([&] { one = write("acc_1", "acc_2"); });
    std::thread b([&] { two = write("acc_2", "acc_1"); });
    a.join();
    b.join();
    if (rerun == Store::Rerun::kAllowed) {
      SB_EXPECT_OK(one);
      SB_EXPECT_OK(two);
      EXPECT_EQ(runs.load(), 3);  // the write PostgreSQL ended ran once more
    } else {
      EXPECT_NE(one.ok(), two.ok());
      EXPECT_EQ((one.ok() ? two : one).reason(), "concurrent_update");
      EXPECT_EQ(runs.load(), 2);
    }
  }
}

// A dispatcher still inside its claiming transaction does not hold the others up: they skip
// the rows it locked and take the rest.
TEST(PgSmoke, WebhookClaimsSkipRowsAnotherClaimHolds) {
  auto store = NewPostgresTestStore();
  ASSERT_TRUE(store
                  ->Write([](Tx& tx) {
                    SB_RETURN_IF_ERROR(tx.InsertTenant({"ten_1", "Acme", 1}));
                    for (int i = 0; i < 4; ++i) {
                      OutboxMessage m;
                      m.tenant_id = "ten_1";
                      m.id = "msg_" + std::to_string(i);
                      m.channel = "webhook";
                      m.next_attempt_at = i;
                      SB_RETURN_IF_ERROR(tx.InsertOutbox(m));
                    }
                    return Status::Ok();
                  })
                  .ok());
  std::promise<void> first_claimed, second_done;
  std::future<void> second_finished = second_done.get_future();
  std::set<std::string> ids;
  bool overlap = false;
  std::thread holder([&] {
    Status s = store->Write([&](Tx& tx) {
      SB_ASSIGN_OR_RETURN(auto mine, tx.ClaimDueOutbox("webhook", 100, 2, 60000));
      for (const auto& m : mine) ids.insert(m.id);
      first_claimed.set_value();
      // Keep the rows locked until the other claim is done (or clearly blocked).
      second_finished.wait_for(std::chrono::seconds(5));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  first_claimed.get_future().wait();
  auto started = std::chrono::steady_clock::now();
  std::vector<OutboxMessage> theirs;
  Status s = store->Write([&](Tx& tx) {
    SB_ASSIGN_OR_RETURN(theirs, tx.ClaimDueOutbox("webhook", 100, 10, 60000));
    return Status::Ok();
  });
  auto waited = std::chrono::steady_clock::now() - started;
  second_done.set_value();
  holder.join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_LT(waited, std::chrono::seconds(2));
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_EQ(theirs.size(), 2u);
  for (const auto& m : theirs) overlap |= ids.count(m.id) > 0;
  EXPECT_FALSE(overlap);
}

}  // namespace
}  // namespace sb::testing
