// Storage contract: jobs (claiming with leases) and idempotency records.

#include <algorithm>

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

std::vector<Job> Claim(domain::Store& store, Timestamp now, int limit, Timestamp lease) {
  std::vector<Job> jobs;
  Status s = store.Write([&](Tx& tx) {
    SB_ASSIGN_OR_RETURN(jobs, tx.ClaimDueJobs(now, limit, lease));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return jobs;
}

std::vector<std::string> SortedIds(const std::vector<Job>& jobs) {
  std::vector<std::string> ids = Ids(jobs);
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST_P(StoreContract, JobsRoundTripAndListBySubject) {
  AddTenants({"ten_a", "ten_b"});
  Job plain = FullJob("ten_a", "job_1", kT0);
  Job leased = FullJob("ten_a", "job_2", kT0 + 5);
  leased.state = JobState::kFailed;
  leased.attempts = 3;
  leased.locked_until = kT0 + 60'000;
  leased.last_error = "smtp: 421";
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertJob(plain));
    SB_RETURN_IF_ERROR(tx.InsertJob(leased));
    Job other = FullJob("ten_a", "job_3", kT0);
    other.subject_id = "hld_2";
    return tx.InsertJob(other);
  }));
  auto jobs = Get([](Tx& tx) { return tx.ListJobs("ten_a", "hld_1"); });
  SB_ASSERT_OK(jobs.status());
  ASSERT_EQ(Ids(*jobs), (std::vector<std::string>{"job_2", "job_1"}));
  EXPECT_EQ(Fields((*jobs)[0]), Fields(leased));
  EXPECT_EQ(Fields((*jobs)[1]), Fields(plain));
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListJobs("ten_b", "hld_1"); })->empty());
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertJob(plain); }).code(), Code::kConflict);
  Job missing = FullJob("ten_b", "job_1", kT0);
  EXPECT_EQ(Write([&](Tx& tx) { return tx.UpdateJob(missing); }).code(), Code::kNotFound);
}

TEST_P(StoreContract, ClaimDueJobsLeasesAcrossTenants) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertJob(FullJob("ten_a", "job_a1", kT0 + 100)));
    SB_RETURN_IF_ERROR(tx.InsertJob(FullJob("ten_b", "job_b1", kT0 + 200)));
    SB_RETURN_IF_ERROR(tx.InsertJob(FullJob("ten_a", "job_a2", kT0 + 300)));
    return tx.InsertJob(FullJob("ten_a", "job_later", kT0 + 100'000));
  }));
  // Oldest due first, up to the limit.
  auto first = Claim(*store_, kT0 + 1000, 2, 5000);
  EXPECT_EQ(SortedIds(first), (std::vector<std::string>{"job_a1", "job_b1"}));
  for (const Job& j : first) {
    EXPECT_EQ(j.state, JobState::kRunning);
    EXPECT_EQ(j.locked_until, std::optional<Timestamp>(kT0 + 6000));
    EXPECT_EQ(j.kind, "hold.expire");
  }
  auto second = Claim(*store_, kT0 + 1001, 10, 5000);
  EXPECT_EQ(SortedIds(second), std::vector<std::string>{"job_a2"});
  // Leased jobs are not claimed again until the lease runs out; future jobs never are.
  EXPECT_TRUE(Claim(*store_, kT0 + 2000, 10, 5000).empty());
  auto stored = Get([](Tx& tx) { return tx.ListJobs("ten_b", "hld_1"); });
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].state, JobState::kRunning);

  // job_a1 finishes; the others' leases run out and they come back.
  Job done = first[0].id == "job_a1" ? first[0] : first[1];
  done.state = JobState::kDone;
  done.locked_until.reset();
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateJob(done); }));
  auto again = Claim(*store_, kT0 + 7000, 10, 5000);
  EXPECT_EQ(SortedIds(again), (std::vector<std::string>{"job_a2", "job_b1"}));
  for (const Job& j : again) EXPECT_EQ(j.locked_until, std::optional<Timestamp>(kT0 + 12'000));
}

TEST_P(StoreContract, IdempotencyRecordsConflictAndPurge) {
  AddTenants({"ten_a", "ten_b"});
  IdempotencyRecord kept = FullIdempotency("ten_a", "key-1", kT0 + 1000);
  kept.response_body = std::string("{\"a\":1}\x00tail", 12);
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertIdempotency(kept));
    SB_RETURN_IF_ERROR(tx.InsertIdempotency(FullIdempotency("ten_a", "key-2", kT0 + 10)));
    return tx.InsertIdempotency(FullIdempotency("ten_b", "key-1", kT0 + 20));  // other tenant
  }));
  auto got = Get([](Tx& tx) { return tx.GetIdempotency("ten_a", "key-1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(Fields(*got), Fields(kept));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetIdempotency("ten_a", "key-3"); }).status().code(),
            Code::kNotFound);
  Status dup = Write(
      [](Tx& tx) { return tx.InsertIdempotency(FullIdempotency("ten_a", "key-1", kT0 + 5000)); });
  EXPECT_EQ(dup.code(), Code::kConflict);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetIdempotency("ten_a", "key-1"); })->expires_at,
            kT0 + 1000);

  std::int64_t purged = -1;
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_ASSIGN_OR_RETURN(purged, tx.PurgeIdempotency(kT0 + 500));
    return Status::Ok();
  }));
  EXPECT_EQ(purged, 2);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetIdempotency("ten_a", "key-2"); }).status().code(),
            Code::kNotFound);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetIdempotency("ten_b", "key-1"); }).status().code(),
            Code::kNotFound);
  SB_EXPECT_OK(Get([](Tx& tx) { return tx.GetIdempotency("ten_a", "key-1"); }).status());
}

}  // namespace
}  // namespace sb::testing
