// Storage contract: bulk jobs, their rows (a row finishes once) and row idempotency keys.

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

auto BulkFields(const BulkJob& j) {
  return std::make_tuple(j.tenant_id, j.id, j.state, j.format, j.actor.type, j.actor.id,
                         j.actor.role, j.channel, j.file_sha256, j.total_rows, j.applied_rows,
                         j.failed_rows, j.skipped_rows, j.created_at, j.updated_at, j.started_at,
                         j.finished_at, j.active_ms, j.running_since);
}

auto BulkFields(const BulkRow& r) {
  return std::make_tuple(r.tenant_id, r.job_id, r.row_no, r.state, r.account_id, r.type,
                         r.reason_code, r.service_id, r.idempotency_key, r.payload_sealed,
                         r.request_id, r.request_state, r.error_code, r.error_param, r.updated_at);
}

BulkJob FullBulkJob(const std::string& tenant, const std::string& id) {
  BulkJob j;
  j.tenant_id = tenant;
  j.id = id;
  j.state = BulkJobState::kRunning;
  j.format = "csv";
  j.actor = {ActorType::kApiKey, "key_1", Role::kSupervisor};
  j.channel = Channel::kApi;
  j.file_sha256 = std::string(64, 'a');
  j.total_rows = 3;
  j.applied_rows = 1;
  j.failed_rows = 1;
  j.skipped_rows = 0;
  j.created_at = kT0;
  j.updated_at = kT0 + 1;
  j.started_at = kT0 + 2;
  j.finished_at = std::nullopt;
  j.active_ms = 40;
  j.running_since = kT0 + 3;
  return j;
}

BulkRow FullBulkRow(const std::string& tenant, const std::string& job, std::int64_t row_no) {
  BulkRow r;
  r.tenant_id = tenant;
  r.job_id = job;
  r.row_no = row_no;
  r.account_id = "acc_" + std::to_string(row_no);
  r.type = RequestType::kReconnection;
  r.reason_code = "payment_received";
  r.service_id = "svc_1";
  r.idempotency_key = "key-" + std::to_string(row_no);
  r.payload_sealed = "c2VhbGVk";
  r.updated_at = kT0;
  return r;
}

TEST_P(StoreContract, BulkJobRoundTripsAndUpdates) {
  AddTenants({"ten_a", "ten_b"});
  BulkJob j = FullBulkJob("ten_a", "blk_1");
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertBulkJob(j); }));
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertBulkJob(j); }).code(), Code::kConflict);
  auto got = Get([](Tx& tx) { return tx.GetBulkJob("ten_a", "blk_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(BulkFields(*got), BulkFields(j));

  j.state = BulkJobState::kCompleted;
  j.applied_rows = 2;
  j.finished_at = kT0 + 9;
  j.running_since = std::nullopt;
  j.active_ms = 77;
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    SB_RETURN_IF_ERROR(tx.GetBulkJob("ten_a", "blk_1", /*for_update=*/true).status());
    return tx.UpdateBulkJob(j);
  }));
  got = Get([](Tx& tx) { return tx.GetBulkJob("ten_a", "blk_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(BulkFields(*got), BulkFields(j));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetBulkJob("ten_b", "blk_1"); }).status().code(),
            Code::kNotFound);

  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertBulkJob(FullBulkJob("ten_a", "blk_2")); }));
  auto page = Get([](Tx& tx) { return tx.ListBulkJobs("ten_a", "", 1); });
  SB_ASSERT_OK(page.status());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, "blk_2");
  EXPECT_TRUE(page->has_more);
  page = Get([&](Tx& tx) { return tx.ListBulkJobs("ten_a", page->next_cursor, 10); });
  SB_ASSERT_OK(page.status());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, "blk_1");
}

// Chunks of one job run side by side and each adds its rows' outcomes at its end: none is
// lost, and none is added once the job is no longer running.
TEST_P(StoreContract, BulkRowCountsAddUpFromChunksSideBySideWhileTheJobRuns) {
  AddTenants({"ten_a", "ten_b"});
  BulkJob j = FullBulkJob("ten_a", "blk_1");  // running, 1 applied, 1 failed, 0 skipped
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertBulkJob(j); }));
  constexpr int kThreads = 4, kChunks = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int c = 0; c < kChunks; ++c) {
        Status s =
            Write([&](Tx& tx) { return tx.CountBulkRows("ten_a", "blk_1", 3, 1, t, kT0 + c); });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto got = Get([](Tx& tx) { return tx.GetBulkJob("ten_a", "blk_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(got->applied_rows, 1 + 3 * kThreads * kChunks);
  EXPECT_EQ(got->failed_rows, 1 + kThreads * kChunks);
  EXPECT_EQ(got->skipped_rows, (0 + 1 + 2 + 3) * kChunks);
  EXPECT_EQ(got->state, BulkJobState::kRunning);

  EXPECT_EQ(Write([](Tx& tx) { return tx.CountBulkRows("ten_b", "blk_1", 1, 0, 0, kT0); }).code(),
            Code::kNotFound)
      << "another tenant's job";
  BulkJob paused = *got;
  paused.state = BulkJobState::kPaused;
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateBulkJob(paused); }));
  EXPECT_EQ(Write([](Tx& tx) { return tx.CountBulkRows("ten_a", "blk_1", 5, 5, 5, kT0); }).code(),
            Code::kNotFound)
      << "a paused job counts nothing more";
  got = Get([](Tx& tx) { return tx.GetBulkJob("ten_a", "blk_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(got->applied_rows, paused.applied_rows);
  EXPECT_EQ(got->failed_rows, paused.failed_rows);
  EXPECT_EQ(got->skipped_rows, paused.skipped_rows);
}

TEST_P(StoreContract, BulkRowFinishesOnlyOnce) {
  AddTenants({"ten_a"});
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertBulkJob(FullBulkJob("ten_a", "blk_1")); }));
  std::vector<BulkRow> rows = {FullBulkRow("ten_a", "blk_1", 2), FullBulkRow("ten_a", "blk_1", 3),
                               FullBulkRow("ten_a", "blk_1", 4)};
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertBulkRows(rows); }));
  auto all = Get([](Tx& tx) { return tx.ListBulkRows("ten_a", "blk_1", 0, 10, false); });
  SB_ASSERT_OK(all.status());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(BulkFields((*all)[1]), BulkFields(rows[1]));

  BulkRow done = rows[0];
  done.state = BulkRowState::kApplied;
  done.request_id = "req_1";
  done.request_state = "completed";
  done.updated_at = kT0 + 5;
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.FinishBulkRow(done); }));
  EXPECT_EQ(Write([&](Tx& tx) { return tx.FinishBulkRow(done); }).code(), Code::kNotFound);

  auto pending = Get([](Tx& tx) { return tx.ListBulkRows("ten_a", "blk_1", 0, 10, true); });
  SB_ASSERT_OK(pending.status());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].row_no, 3);
  auto after = Get([](Tx& tx) { return tx.ListBulkRows("ten_a", "blk_1", 2, 1, false); });
  SB_ASSERT_OK(after.status());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().row_no, 3);
  all = Get([](Tx& tx) { return tx.ListBulkRows("ten_a", "blk_1", 0, 1, false); });
  SB_ASSERT_OK(all.status());
  EXPECT_EQ(BulkFields(all->front()), BulkFields(done));
}

TEST_P(StoreContract, BulkRowKeyIsAppliedOncePerTenant) {
  AddTenants({"ten_a", "ten_b"});
  using Keys = std::vector<std::string>;
  auto applied = [&](const Keys& keys) {
    auto got = Get([&](Tx& tx) { return tx.AppliedBulkRowKeys("ten_a", keys); });
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    Keys sorted = got.ok() ? *got : Keys{};
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  };
  EXPECT_EQ(applied({"k-1"}), Keys{});
  EXPECT_EQ(applied({}), Keys{});
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.InsertBulkRowKey("ten_a", "k-1", "blk_1", 2, kT0); }));
  EXPECT_EQ(
      Write([](Tx& tx) { return tx.InsertBulkRowKey("ten_a", "k-1", "blk_2", 5, kT0); }).code(),
      Code::kConflict);
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.InsertBulkRowKey("ten_b", "k-1", "blk_3", 2, kT0); }));
  SB_ASSERT_OK(
      Write([](Tx& tx) { return tx.InsertBulkRowKey("ten_a", "k-é \"2\"", "blk_1", 3, kT0); }));
  EXPECT_EQ(applied({"k-1"}), Keys{"k-1"});
  EXPECT_EQ(applied({"k-0", "k-1", "k-é \"2\"", "k-1", "k-3"}), (Keys{"k-1", "k-é \"2\""}))
      << "only the tenant's applied keys, each once, whatever their characters";
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.InsertBulkRowKey("ten_b", "k-9", "blk_4", 2, kT0); }));
  EXPECT_EQ(applied({"k-9"}), Keys{}) << "another tenant's key";
}

}  // namespace
}  // namespace sb::testing
