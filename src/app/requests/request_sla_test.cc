// SLA bookkeeping of requests (app/request_sla.h) under the default policy pack as shipped:
// due and at-risk times for each clock, pausing and resuming, and the jobs resuming writes.
#include "app/requests/request_sla.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "app/policy/policy_yaml.h"
#include "app/requests/request_flow.h"
#include "common/tzif.h"
#include "tests/support/test_stores.h"

namespace sb::app {
namespace {

using domain::RequestType;

// The default pack with its calendars bound, as the policy cache builds it.
const CompiledPolicy& DefaultPolicy() {
  static const CompiledPolicy* policy = [] {
    auto* p = new CompiledPolicy();
    auto pack = ParsePolicyPack(DefaultPolicyPackYaml());
    EXPECT_TRUE(pack.ok()) << pack.status().ToString();
    p->pack = *std::move(pack);
    for (const auto& [name, cal] : p->pack.calendars) {
      auto bound = domain::BusinessCalendar::Make(cal, TimeZone::Load(cal.time_zone).value());
      EXPECT_TRUE(bound.ok()) << bound.status().ToString();
      p->calendars.emplace(name, *std::move(bound));
    }
    return p;
  }();
  return *policy;
}

Timestamp At(const char* rfc3339) {
  auto ts = ParseRfc3339(rfc3339);
  EXPECT_TRUE(ts.has_value()) << rfc3339;
  return ts.value_or(0);
}

std::string Text(const std::optional<Timestamp>& t) { return t ? FormatRfc3339(*t) : "none"; }

domain::Request Filed(RequestType type, const std::string& priority) {
  domain::Request r;
  r.tenant_id = "ten_sla";
  r.id = "req_sla";
  r.type = type;
  r.priority = priority;
  r.state = domain::RequestState::kVerifying;
  return r;
}

TEST(RequestSla, StartSetsDueAndAtRiskInThePolicysClock) {
  struct Case {
    const char* name;
    RequestType type;
    const char* priority;
    const char* filed;
    const char* at_risk;
    const char* due;
  };
  const Case cases[] = {
      {"one business day over Christmas 2026", RequestType::kReconnection, "normal",
       "2026-12-24T17:00:00+01:00", "2026-12-28T15:12:00+01:00", "2026-12-28T17:00:00+01:00"},
      {"four business hours from Friday evening", RequestType::kReconnection, "high",
       "2026-12-04T17:00:00+01:00", "2026-12-07T11:12:00+01:00", "2026-12-07T12:00:00+01:00"},
      {"urgent counts the night", RequestType::kReconnection, "urgent", "2026-12-04T22:30:00+01:00",
       "2026-12-04T23:18:00+01:00", "2026-12-04T23:30:00+01:00"},
      {"status sync is always calendar hours", RequestType::kStatusSync, "normal",
       "2026-12-05T10:00:00+01:00", "2026-12-05T13:12:00+01:00", "2026-12-05T14:00:00+01:00"},
      {"five business days, New Year's Day skipped", RequestType::kTermination, "normal",
       "2026-12-29T09:00:00+01:00", "2027-01-04T18:00:00+01:00", "2027-01-05T18:00:00+01:00"},
  };
  for (const auto& c : cases) {
    domain::Request r = Filed(c.type, c.priority);
    StartSla(DefaultPolicy(), r, At(c.filed));
    EXPECT_EQ(Text(r.at_risk_at), Text(At(c.at_risk))) << c.name;
    EXPECT_EQ(Text(r.due_at), Text(At(c.due))) << c.name;
    EXPECT_EQ(r.sla_status, domain::SlaStatus::kOnTrack) << c.name;
  }
}

class RequestSlaStore : public ::testing::Test {
 protected:
  void SetUp() override {
    domain::Tenant t{"ten_sla", "SLA Test", 0};
    ASSERT_TRUE(store_->Write([&](domain::Tx& tx) { return tx.InsertTenant(t); }).ok());
  }

  // Runs ResumeSla in a committed transaction; returns the jobs of the request afterwards.
  std::vector<domain::Job> Resume(domain::Request& r, Timestamp now) {
    std::vector<domain::Job> jobs;
    Status s = store_->Write([&](domain::Tx& tx) -> Status {
      SB_RETURN_IF_ERROR(ResumeSla(tx, DefaultPolicy(), r, now));
      SB_ASSIGN_OR_RETURN(jobs, tx.ListJobs(r.tenant_id, r.id));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return jobs;
  }

  std::unique_ptr<domain::Store> store_ = sb::testing::NewSqliteTestStore();
};

TEST_F(RequestSlaStore, ResumingMovesBothTimesByThePausedWorkingTime) {
  domain::Request r = Filed(RequestType::kReconnection, "high");
  StartSla(DefaultPolicy(), r, At("2026-12-04T17:00:00+01:00"));  // due Monday 12:00
  PauseSla(r, At("2026-12-04T17:30:00+01:00"));
  PauseSla(r, At("2026-12-07T09:00:00+01:00"));  // already paused: the first instant counts
  EXPECT_EQ(Text(r.sla_paused_at), Text(At("2026-12-04T17:30:00+01:00")));

  // 30 minutes on Friday and 45 on Monday: 75 working minutes.
  std::vector<domain::Job> jobs = Resume(r, At("2026-12-07T09:45:00+01:00"));
  EXPECT_FALSE(r.sla_paused_at.has_value());
  EXPECT_EQ(Text(r.due_at), Text(At("2026-12-07T13:15:00+01:00")));
  EXPECT_EQ(Text(r.at_risk_at), Text(At("2026-12-07T12:27:00+01:00")));
  ASSERT_EQ(jobs.size(), 2u);
  std::vector<Timestamp> run_at = {jobs[0].run_at, jobs[1].run_at};
  std::sort(run_at.begin(), run_at.end());
  EXPECT_EQ(run_at, (std::vector<Timestamp>{*r.at_risk_at, *r.due_at}));
  for (const auto& j : jobs) EXPECT_EQ(j.kind, kSlaJob);

  // Resuming a request that is not paused changes nothing and writes no job.
  domain::Request before = r;
  EXPECT_EQ(Resume(r, At("2026-12-07T11:00:00+01:00")).size(), 2u);
  EXPECT_EQ(r.due_at, before.due_at);
}

TEST_F(RequestSlaStore, PausingOverAWeekendAddsNothing) {
  domain::Request r = Filed(RequestType::kReconnection, "normal");
  StartSla(DefaultPolicy(), r, At("2026-12-03T10:00:00+01:00"));  // due Friday 10:00
  PauseSla(r, At("2026-12-04T18:30:00+01:00"));
  Resume(r, At("2026-12-07T08:00:00+01:00"));
  EXPECT_EQ(Text(r.due_at), Text(At("2026-12-04T10:00:00+01:00")));
}

TEST(RequestSla, NoTargetNoClock) {
  domain::Request r = Filed(RequestType::kReconnection, "normal");
  r.priority = "someday";  // not a priority the pack has a target for
  StartSla(DefaultPolicy(), r, At("2026-12-04T17:00:00+01:00"));
  EXPECT_FALSE(r.due_at.has_value());
  EXPECT_FALSE(r.at_risk_at.has_value());
  PauseSla(r, At("2026-12-04T17:30:00+01:00"));
  EXPECT_FALSE(r.sla_paused_at.has_value());  // nothing to pause
}

}  // namespace
}  // namespace sb::app
