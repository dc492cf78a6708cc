// The dormancy scan: once the server's clock passes the policy's inactive_days, an active
// account nobody touched is marked dormant and invited back, once; a fresh account is left
// alone.

#include <chrono>
#include <cstdlib>
#include <map>
#include <thread>

#include "tests/support/events_fixture.h"

namespace sb::testing {
namespace {

class Dormancy : public EventsTest {
 protected:
  // Waits (up to 15 s of real time) for the account to reach `status`.
  std::string WaitForStatus(const std::string& id, const std::string& status) {
    std::string now;
    for (int i = 0; i < 150 && now != status; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      now = Str(Account(id), "status");
    }
    return now;
  }
};

TEST_P(Dormancy, ScanMarksStaleAccountsDormantAndInvitesThemOnce) {
  std::string stale = Str(NewAccount(), "id");
  Advance(181 * 86400);  // the default pack: 180 days
  std::string fresh = Str(NewAccount(), "id");

  ASSERT_EQ(WaitForStatus(stale, "dormant"), "dormant");
  boost::json::array syncs = RequestsOfType(stale, "status_sync");
  ASSERT_EQ(syncs.size(), 1u);
  EXPECT_EQ(Str(syncs.at(0), "origin"), "automated");
  EXPECT_EQ(Str(syncs.at(0), "reason_code"), "inactivity");
  EXPECT_EQ(Str(syncs.at(0), "channel"), "system");
  boost::json::array invites = Outbox(stale, "account.reactivation_invited");
  ASSERT_EQ(invites.size(), 1u);
  EXPECT_EQ(Str(invites.at(0), "channel"), "webhook");
  const boost::json::value& offer = invites.at(0).at("payload").at("data").at("offer");
  EXPECT_EQ(Str(offer, "code"), "welcome_back");
  EXPECT_EQ(Str(offer, "description"), "Half price for the first two months back");

  // Later scans (the clock moved past the next period) find nothing more to do.
  Advance(120);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  Advance(120);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(Outbox(stale, "account.reactivation_invited").size(), 1u);
  EXPECT_EQ(RequestsOfType(stale, "status_sync").size(), 1u);
  EXPECT_EQ(Str(Account(fresh), "status"), "active");
  EXPECT_TRUE(Outbox(fresh, "account.reactivation_invited").empty());
}

TEST_P(Dormancy, ScanIsOffWhenThePackSaysZeroDays) {
  ReplacePack(
      [](std::string yaml) { return Replace(yaml, "inactive_days: 180", "inactive_days: 0"); });
  std::string id = Str(NewAccount(), "id");
  Advance(400 * 86400);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(Str(Account(id), "status"), "active");
  EXPECT_TRUE(Outbox(id, "account.reactivation_invited").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, Dormancy, ::testing::ValuesIn(Backends()), BackendName);

// Two servers on one PostgreSQL database scan it at the same moment: every stale account is
// marked and invited exactly once.
TEST(DormancyOnSharedPostgres, TwoServersInviteEachAccountOnce) {
  const char* admin_url = std::getenv("SB_TEST_PG_URL");
  ASSERT_TRUE(admin_url != nullptr && *admin_url != '\0') << "SB_TEST_PG_URL is not set";
  ScratchPgDatabase pg(admin_url);
  ASSERT_FALSE(pg.url().empty());
  // Each process must open what the other sealed: one master key for both.
  setenv("SWITCHBOARD_MASTER_KEY", std::string(64, 'a').c_str(), 1);
  std::unique_ptr<ServerProcess> first = ServerProcess::Start(pg.url());
  std::unique_ptr<ServerProcess> second = ServerProcess::Start(pg.url(), /*joins_existing=*/true);
  unsetenv("SWITCHBOARD_MASTER_KEY");
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  Headers auth = {{"Authorization", "Bearer " + first->demo_key()}};
  std::vector<std::string> ids;
  for (int i = 0; i < 150; ++i) {  // enough that the two scans overlap
    std::string body = R"({"external_ref":"shared-)" + std::to_string(i) + R"("})";
    HttpResponse r = first->client().Send("POST", "/v1/accounts", body, auth);
    ASSERT_EQ(r.status, 201) << r.body;
    ids.push_back(Str(r.Json().at("account"), "id"));
  }
  for (ServerProcess* s : {first.get(), second.get()}) {
    HttpResponse r =
        s->client().Send("POST", "/v1/test/clock",
                         R"({"advance_seconds":)" + std::to_string(181 * 86400) + "}", auth);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  auto dormant = [&] {
    for (const std::string& id : ids) {
      HttpResponse r = second->client().Send("GET", "/v1/accounts/" + id, "", auth);
      if (Str(r.Json(), "status") != "dormant") return false;
    }
    return true;
  };
  bool all = false;
  for (int i = 0; i < 150 && !(all = dormant()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(all);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // both scans are done
  std::map<std::string, int> invites;
  std::string after;
  for (bool more = true; more;) {
    HttpResponse page = first->client().Send(
        "GET", "/v1/outbox?limit=100&event_type=account.reactivation_invited" + after, "", auth);
    ASSERT_EQ(page.status, 200) << page.body;
    boost::json::value list = page.Json();
    // The invitation's event; the email telling the customer (suppressed without marketing
    // consent) is counted apart.
    for (const auto& m : list.at("data").as_array()) {
      if (Str(m, "channel") == "webhook") ++invites[Str(m, "account_id")];
    }
    more = list.at("has_more").as_bool();
    after = "&starting_after=" + Str(list, "next_cursor");
  }
  for (const std::string& id : ids) EXPECT_EQ(invites[id], 1) << id;
  for (const auto& [account, n] : invites) EXPECT_EQ(n, 1) << account;
}

}  // namespace
}  // namespace sb::testing
