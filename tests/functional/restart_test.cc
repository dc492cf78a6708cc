// Durability across a crash: hold expiries and SLA deadlines are jobs in the database, so a
// server killed with SIGKILL and started again still acts on them when their time comes, and
// only once.

#include <chrono>
#include <thread>

#include "common/time.h"
#include "tests/support/sla_fixture.h"

namespace sb::testing {
namespace {

class Restart : public OwnServer {};

TEST_P(Restart, HoldExpiryJobSurvivesAKill) {
  HttpResponse created =
      Call("POST", "/v1/accounts", R"({"external_ref":"RESTART-1","plans":["mobile_basic"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string account = Str(created.Json().at("account"), "id");
  HttpResponse now = Call("POST", "/v1/test/clock", R"({"advance_seconds":0})");
  ASSERT_EQ(now.status, 200) << now.body;
  std::optional<Timestamp> t = ParseRfc3339(Str(now.Json(), "now"));
  ASSERT_TRUE(t.has_value());
  std::string body = R"({"hold_type":"voluntary_pause","expires_at":")" +
                     FormatRfc3339(*t + 2 * kMillisPerHour) + R"("})";
  HttpResponse placed =
      Call("POST", "/v1/accounts/" + account + "/holds", body, {{"X-Reason", "customer_request"}});
  ASSERT_EQ(placed.status, 201) << placed.body;

  ASSERT_TRUE(server().KillAndRestart());
  // The new process starts with the real time again; move it past the expiry.
  ASSERT_EQ(Call("POST", "/v1/test/clock", R"({"advance_seconds":7300})").status, 200);
  std::string status;
  for (int i = 0; i < 100 && status != "active"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = Str(Call("GET", "/v1/accounts/" + account).Json(), "status");
  }
  EXPECT_EQ(status, "active");
  HttpResponse holds = Call("GET", "/v1/accounts/" + account + "/holds");
  ASSERT_EQ(holds.status, 200);
  EXPECT_EQ(Str(holds.Json().at("data").as_array().at(0), "state"), "expired");
}

TEST_P(Restart, SlaBreachSurvivesAKillAndFiresOnce) {
  // Monday 08:30 Paris, before opening, normal priority: 540 business minutes from 09:00,
  // due at 18:00.
  SetClock("2026-12-07T08:30:00+01:00");
  boost::json::object filed = WaitingReconnection("normal");
  std::string id = Str(filed, "id");
  ExpectJustAfter(SlaTime(filed, "due_at"), At("2026-12-07T18:00:00+01:00"), "due_at");

  ASSERT_TRUE(server().KillAndRestart());
  // The new process starts with the real time again.
  SetClock("2026-12-07T18:00:30+01:00");
  EXPECT_TRUE(Eventually([&] { return Events(id, "request.sla_breached") == 1; }));
  LetJobsRun();
  boost::json::object breached = Request(id);
  EXPECT_EQ(Str(SlaOf(breached), "status"), "breached");
  EXPECT_EQ(Str(breached, "priority"), "high");
  EXPECT_EQ(AuditEntries(id, "request.sla_breached"), 1u);

  // Done jobs stay done across another crash.
  ASSERT_TRUE(server().KillAndRestart());
  SetClock("2026-12-08T18:00:00+01:00");
  LetJobsRun();
  EXPECT_EQ(Events(id, "request.sla_breached"), 1u);
  EXPECT_EQ(Events(id, "request.escalated"), 1u);
  EXPECT_EQ(Str(Request(id), "priority"), "high");
}

INSTANTIATE_TEST_SUITE_P(Backends, Restart, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
