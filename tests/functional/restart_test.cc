// Durability across a crash: a hold's expiry is a job in the database, so a server killed
// with SIGKILL and started again still lifts the hold when its time comes.

#include <chrono>
#include <cstdlib>
#include <thread>

#include "common/time.h"
#include "tests/functional/fixture.h"

namespace sb::testing {
namespace {

class Restart : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url;
    if (GetParam() == "postgres") {
      const char* admin_url = std::getenv("SB_TEST_PG_URL");
      ASSERT_TRUE(admin_url != nullptr && *admin_url != '\0') << "SB_TEST_PG_URL is not set";
      pg_ = std::make_unique<ScratchPgDatabase>(admin_url);
      url = pg_->url();
      ASSERT_FALSE(url.empty());
    }
    server_ = ServerProcess::Start(url);
    ASSERT_NE(server_, nullptr);
  }

  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "", Headers headers = {}) {
    headers.push_back({"Authorization", "Bearer " + server_->demo_key()});
    headers.push_back({"Content-Type", "application/json"});
    return server_->client().Send(method, target, body, headers);
  }

  std::unique_ptr<ScratchPgDatabase> pg_;  // outlives the server using it
  std::unique_ptr<ServerProcess> server_;
};

TEST_P(Restart, HoldExpiryJobSurvivesAKill) {
  HttpResponse created =
      Call("POST", "/v1/accounts", R"({"external_ref":"RESTART-1","plans":["mobile_basic"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string account = Str(created.Json().at("account"), "id");
  HttpResponse now = Call("POST", "/v1/test/clock", R"({"advance_seconds":0})");
  ASSERT_EQ(now.status, 200) << now.body;
  std::optional<Timestamp> t = ParseRfc3339(Str(now.Json(), "now"));
  ASSERT_TRUE(t.has_value());
  std::string body = R"({"type":"voluntary_pause","expires_at":")" +
                     FormatRfc3339(*t + 2 * kMillisPerHour) + R"("})";
  HttpResponse placed =
      Call("POST", "/v1/accounts/" + account + "/holds", body, {{"X-Reason", "customer_request"}});
  ASSERT_EQ(placed.status, 201) << placed.body;

  ASSERT_TRUE(server_->KillAndRestart());
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

INSTANTIATE_TEST_SUITE_P(Backends, Restart, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
