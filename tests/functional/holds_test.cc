// Holds: stacking, lifting, expiry through the test clock, and the audit log they feed.

#include <chrono>
#include <thread>

#include "common/time.h"
#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

class Holds : public Functional {
 protected:
  // Places a hold on the account; returns the hold id.
  std::string Place(const std::string& account, const std::string& body,
                    const std::string& reason) {
    HttpResponse r =
        Call("POST", "/v1/accounts/" + account + "/holds", body, {{"X-Reason", reason}});
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return {};
    return Str(r.Json().at("hold"), "id");
  }
  HttpResponse Lift(const std::string& hold, const std::string& reason) {
    return Call("POST", "/v1/holds/" + hold + "/lift", "", {{"X-Reason", reason}});
  }
  std::string ServiceStatus(const boost::json::object& account) {
    return Str(account.at("services").as_array().at(0), "status");
  }
};

TEST_P(Holds, StackedHoldsReconnectOnlyWhenTheLastIsLifted) {
  std::string id = Str(CreateAccount({"mobile_basic"}), "id");
  std::string first = Place(id, R"({"hold_type":"non_payment"})", "non_payment");
  std::string second =
      Place(id, R"({"hold_type":"fraud_review","owner":"fraud-team"})", "fraud_suspected");
  boost::json::object a = Account(id);
  EXPECT_EQ(Str(a, "status"), "suspended");
  EXPECT_EQ(ServiceStatus(a), "suspended");
  HttpResponse active = Call("GET", "/v1/accounts/" + id + "/holds?active=true");
  ASSERT_EQ(active.status, 200) << active.body;
  EXPECT_EQ(active.Json().at("data").as_array().size(), 2u);

  // The reconnection waits for the fraud team (no_fraud_hold): nothing is lifted yet.
  HttpResponse waiting = Lift(first, "payment_received");
  ASSERT_EQ(waiting.status, 202) << waiting.body;
  EXPECT_EQ(Str(waiting.Json(), "state"), "verifying");
  EXPECT_EQ(Str(waiting.Json().at("hold"), "state"), "active");
  a = Account(id);
  EXPECT_EQ(Str(a, "status"), "suspended");
  EXPECT_EQ(ServiceStatus(a), "suspended");

  // Lifting the fraud review moves the waiting reconnection on in the same call.
  HttpResponse last = Lift(second, "fraud_cleared");
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_EQ(Str(last.Json().at("hold"), "state"), "lifted");
  HttpResponse resumed = Call("GET", "/v1/requests/" + Str(waiting.Json(), "id"));
  EXPECT_EQ(Str(resumed.Json(), "state"), "completed");
  a = Account(id);
  EXPECT_EQ(Str(a, "status"), "active");
  EXPECT_EQ(ServiceStatus(a), "active");
}

TEST_P(Holds, LiftingTwiceIsAConflict) {
  std::string id = Str(CreateAccount({"mobile_basic"}), "id");
  std::string hold = Place(id, R"({"hold_type":"non_payment"})", "non_payment");
  ASSERT_EQ(Lift(hold, "payment_received").status, 200);
  ExpectProblem(Lift(hold, "payment_received"), 409, "", "hold_not_active");
  EXPECT_EQ(Str(Account(id), "status"), "active");
}

TEST_P(Holds, UnknownHoldIs404) { ExpectProblem(Lift("hld_nosuchhold", "payment_received"), 404); }

TEST_P(Holds, ExpiredHoldIsLiftedByTheJobRunner) {
  std::string id = Str(CreateAccount({"mobile_basic"}), "id");
  HttpResponse now = Call("POST", "/v1/test/clock", R"({"advance_seconds":0})");
  ASSERT_EQ(now.status, 200) << now.body;
  std::optional<Timestamp> t = ParseRfc3339(Str(now.Json(), "now"));
  ASSERT_TRUE(t.has_value());
  std::string expires = FormatRfc3339(*t + kMillisPerHour);
  std::string hold =
      Place(id, R"({"hold_type":"voluntary_pause","expires_at":")" + expires + R"("})",
            "customer_request");
  EXPECT_EQ(Str(Account(id), "status"), "suspended");
  ASSERT_EQ(Call("POST", "/v1/test/clock", R"({"advance_seconds":3700})").status, 200);
  std::string status;
  for (int i = 0; i < 100 && status != "active"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = Str(Account(id), "status");
  }
  EXPECT_EQ(status, "active");
  HttpResponse holds = Call("GET", "/v1/accounts/" + id + "/holds");
  ASSERT_EQ(holds.status, 200);
  EXPECT_NE(Str(holds.Json().at("data").as_array().at(0), "state"), "active");
  EXPECT_EQ(ServiceStatus(Account(id)), "active");
}

TEST_P(Holds, TestClockRefusesBadInput) {
  ExpectProblem(Call("POST", "/v1/test/clock", R"({"set":"yesterday"})"), 400, "set");
  ExpectProblem(Call("POST", "/v1/test/clock", R"({"advance_seconds":"1"})"), 400,
                "advance_seconds");
  ExpectProblem(Call("POST", "/v1/test/clock", R"({"speed":2})"), 400, "speed");
}

TEST_P(Holds, AuditCheckpointAndProofs) {
  std::string id = Str(CreateAccount({"mobile_basic"}), "id");
  Place(id, R"({"hold_type":"non_payment"})", "non_payment");
  HttpResponse cp;
  for (int i = 0; i < 100; ++i) {
    cp = Call("GET", "/v1/audit/checkpoint");
    if (cp.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(cp.status, 200) << cp.body;
  EXPECT_FALSE(Str(cp.Json(), "signature").empty());
  EXPECT_FALSE(Str(cp.Json(), "public_key").empty());
  HttpResponse entries = Call("GET", "/v1/audit/entries?account_id=" + id + "&limit=5");
  ASSERT_EQ(entries.status, 200) << entries.body;
  ExpectProblem(Call("GET", "/v1/audit/consistency?first=1"), 400, "second");
  ExpectProblem(Call("GET", "/v1/audit/entries?category=bogus"), 400, "category");
}

INSTANTIATE_TEST_SUITE_P(Backends, Holds, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
