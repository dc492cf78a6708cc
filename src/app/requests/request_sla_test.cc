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

// `yaml` parsed with its calendars bound, as the policy cache builds it.
CompiledPolicy* Compile(const std::string& yaml) {
  auto* p = new CompiledPolicy();
  auto pack = ParsePolicyPack(yaml);
  EXPECT_TRUE(pack.ok()) << pack.status().ToString();
  p->pack = *std::move(pack);
  for (const auto& [name, cal] : p->pack.calendars) {
    auto bound = domain::BusinessCalendar::Make(cal, TimeZone::Load(cal.time_zone).value());
    EXPECT_TRUE(bound.ok()) << bound.status().ToString();
    p->calendars.emplace(name, *std::move(bound));
  }
  return p;
}

// The default pack as shipped (version 2026.1).
const CompiledPolicy& DefaultPolicy() {
  static const CompiledPolicy* policy = Compile(DefaultPolicyPackYaml());
  return *policy;
}

// The default pack edited: `from` replaced by `to` everywhere.
std::string Edited(std::string yaml, const std::string& from, const std::string& to) {
  for (size_t at = yaml.find(from); at != std::string::npos; at = yaml.find(from, at + to.size())) {
    yaml.replace(at, from.size(), to);
  }
  return yaml;
}

// A later version of the default pack whose Paris office opens 08:00-20:00 on weekdays.
const CompiledPolicy& LongerHoursPolicy() {
  static const CompiledPolicy* policy =
      Compile(Edited(Edited(DefaultPolicyPackYaml(), "version: \"2026.1\"", "version: \"2026.2\""),
                     "\"09:00-18:00\"", "\"08:00-20:00\""));
  return *policy;
}

Timestamp SlaAt(const char* rfc3339) {
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
    StartSla(DefaultPolicy(), r, SlaAt(c.filed));
    EXPECT_EQ(Text(r.at_risk_at), Text(SlaAt(c.at_risk))) << c.name;
    EXPECT_EQ(Text(r.due_at), Text(SlaAt(c.due))) << c.name;
    EXPECT_EQ(r.sla_status, domain::SlaStatus::kOnTrack) << c.name;
    ASSERT_TRUE(r.sla_terms.has_value()) << c.name;
    const auto& target = DefaultPolicy().For(c.type).sla.at(c.priority);
    EXPECT_EQ(r.sla_terms->clock, target.clock) << c.name;
    EXPECT_EQ(r.sla_terms->target_minutes, target.target_minutes) << c.name;
    bool business = target.clock == domain::SlaClock::kBusinessHours;
    EXPECT_EQ(r.sla_terms->calendar, business ? "paris_business" : "") << c.name;
  }
}

class RequestSlaStore : public ::testing::Test {
 protected:
  void SetUp() override {
    domain::Tenant t{"ten_sla", "SLA Test", 0};
    ASSERT_TRUE(store_->Write([&](domain::Tx& tx) { return tx.InsertTenant(t); }).ok());
  }

  // Runs ResumeSla under `in_force` in a committed transaction; returns the jobs of the
  // request afterwards.
  std::vector<domain::Job> Resume(domain::Request& r, Timestamp now,
                                  const CompiledPolicy& in_force = DefaultPolicy()) {
    std::vector<domain::Job> jobs;
    Status s = store_->Write([&](domain::Tx& tx) -> Status {
      SB_RETURN_IF_ERROR(ResumeSla(tx, in_force, r, now));
      SB_ASSIGN_OR_RETURN(jobs, tx.ListJobs(r.tenant_id, r.id));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return jobs;
  }

  // Runs PauseSla under `in_force` in a committed transaction.
  void Pause(domain::Request& r, Timestamp now, const CompiledPolicy& in_force = DefaultPolicy()) {
    Status s = store_->Write([&](domain::Tx& tx) { return PauseSla(tx, in_force, r, now); });
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  std::unique_ptr<domain::Store> store_ = sb::testing::NewSqliteTestStore();
};

TEST_F(RequestSlaStore, ResumingMovesBothTimesByThePausedWorkingTime) {
  domain::Request r = Filed(RequestType::kReconnection, "high");
  StartSla(DefaultPolicy(), r, SlaAt("2026-12-04T17:00:00+01:00"));  // due Monday 12:00
  Pause(r, SlaAt("2026-12-04T17:30:00+01:00"));
  Pause(r, SlaAt("2026-12-07T09:00:00+01:00"));  // already paused: the first instant counts
  EXPECT_EQ(Text(r.sla_paused_at), Text(SlaAt("2026-12-04T17:30:00+01:00")));
  // 30 of the 240 business minutes ran before the pause.
  EXPECT_EQ(r.sla_left_ms, 210 * kMillisPerMinute);

  // 30 minutes on Friday and 45 on Monday: 75 working minutes.
  std::vector<domain::Job> jobs = Resume(r, SlaAt("2026-12-07T09:45:00+01:00"));
  EXPECT_FALSE(r.sla_paused_at.has_value());
  EXPECT_FALSE(r.sla_left_ms.has_value());
  EXPECT_EQ(Text(r.due_at), Text(SlaAt("2026-12-07T13:15:00+01:00")));
  EXPECT_EQ(Text(r.at_risk_at), Text(SlaAt("2026-12-07T12:27:00+01:00")));
  ASSERT_EQ(jobs.size(), 2u);
  std::vector<Timestamp> run_at = {jobs[0].run_at, jobs[1].run_at};
  std::sort(run_at.begin(), run_at.end());
  EXPECT_EQ(run_at, (std::vector<Timestamp>{*r.at_risk_at, *r.due_at}));
  for (const auto& j : jobs) EXPECT_EQ(j.kind, kSlaJob);

  // Resuming a request that is not paused changes nothing and writes no job.
  domain::Request before = r;
  EXPECT_EQ(Resume(r, SlaAt("2026-12-07T11:00:00+01:00")).size(), 2u);
  EXPECT_EQ(r.due_at, before.due_at);
}

TEST_F(RequestSlaStore, PausingOverAWeekendAddsNothing) {
  domain::Request r = Filed(RequestType::kReconnection, "normal");
  StartSla(DefaultPolicy(), r, SlaAt("2026-12-03T10:00:00+01:00"));  // due Friday 10:00
  Pause(r, SlaAt("2026-12-04T18:30:00+01:00"));
  Resume(r, SlaAt("2026-12-07T08:00:00+01:00"));
  EXPECT_EQ(Text(r.due_at), Text(SlaAt("2026-12-04T10:00:00+01:00")));
}

// A high-priority request (4 business hours) breached, and the breach escalation raised it
// to urgent, whose target counts calendar hours. Paused from Friday 18:00 to Monday 11:00,
// its clock stopped for the 2 working hours of Monday morning, not the 65 hours in between:
// both times move two working hours later, into Friday morning.
TEST_F(RequestSlaStore, ResumingAfterAnEscalationKeepsTheClockItStartedWith) {
  domain::Request r = Filed(RequestType::kReconnection, "high");
  StartSla(DefaultPolicy(), r, SlaAt("2026-12-03T14:00:00+01:00"));  // due Thursday 18:00
  ASSERT_EQ(Text(r.due_at), Text(SlaAt("2026-12-03T18:00:00+01:00")));
  r.priority = "urgent";  // what the breach escalation of the default pack does
  r.sla_status = domain::SlaStatus::kBreached;
  Pause(r, SlaAt("2026-12-04T18:00:00+01:00"));
  Resume(r, SlaAt("2026-12-07T11:00:00+01:00"));
  EXPECT_EQ(Text(r.due_at), Text(SlaAt("2026-12-04T11:00:00+01:00")));
  EXPECT_EQ(Text(r.at_risk_at), Text(SlaAt("2026-12-04T10:12:00+01:00")));
}

// Filed under pack 2026.1 (09:00-18:00); by the time the customer answers, pack 2026.2 (open
// 08:00-20:00) is in force. The request keeps policy_version 2026.1, and so does its clock:
// 75 working minutes were paused (30 on Friday, 45 on Monday), not 255 in the new hours.
TEST_F(RequestSlaStore, ResumingUnderANewPackKeepsTheCalendarTheRequestStartedUnder) {
  domain::StoredPolicyPack stored{
      "ten_sla", "2026.1", SlaAt("2026-01-01T00:00:00Z"), std::string(DefaultPolicyPackYaml()),
      0,         "system"};
  ASSERT_TRUE(store_->Write([&](domain::Tx& tx) { return tx.InsertPolicyPack(stored); }).ok());
  domain::Request r = Filed(RequestType::kReconnection, "high");
  r.policy_version = DefaultPolicy().pack.version;
  StartSla(DefaultPolicy(), r, SlaAt("2026-12-04T17:00:00+01:00"));  // due Monday 12:00
  Pause(r, SlaAt("2026-12-04T17:30:00+01:00"));
  Resume(r, SlaAt("2026-12-07T09:45:00+01:00"), LongerHoursPolicy());
  EXPECT_EQ(Text(r.due_at), Text(SlaAt("2026-12-07T13:15:00+01:00")));
  EXPECT_EQ(Text(r.at_risk_at), Text(SlaAt("2026-12-07T12:27:00+01:00")));
}

TEST_F(RequestSlaStore, NoTargetNoClock) {
  domain::Request r = Filed(RequestType::kReconnection, "normal");
  r.priority = "someday";  // not a priority the pack has a target for
  StartSla(DefaultPolicy(), r, SlaAt("2026-12-04T17:00:00+01:00"));
  EXPECT_FALSE(r.due_at.has_value());
  EXPECT_FALSE(r.at_risk_at.has_value());
  Pause(r, SlaAt("2026-12-04T17:30:00+01:00"));
  EXPECT_FALSE(r.sla_paused_at.has_value());  // nothing to pause
}

}  // namespace
}  // namespace sb::app
