// Reconnection and churn scoring over HTTP: a tenant's history seeded through the API under the
// test clock (accounts suspended for non-payment; those that owed nothing reconnected within
// days, those that owed stayed suspended), a model trained by the schedule and on demand, the
// score on the account read and the outreach list in score order once the refresh run a
// training starts has stored it, and who may do what.

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/support/sla_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

constexpr Timestamp kDaySeconds = 24 * 60 * 60;

class Scoring : public OwnServer {
 protected:
  std::string Key(const std::string& role) {
    std::string key = server().RunCli(
        {"apikey", "create", "--tenant", server().demo_tenant(), "--role", role, "--name", role});
    EXPECT_FALSE(key.empty()) << "apikey create failed";
    return key;
  }

  // A suspended account (a non_payment hold on it) owing `due`; its id and hold's id.
  std::pair<std::string, std::string> Suspended(std::int64_t due) {
    std::string id = SuspendedAccount(due);
    HttpResponse holds = Api("GET", "/v1/accounts/" + id + "/holds");
    EXPECT_EQ(holds.status, 200) << holds.body;
    return {id, Str(holds.Json().at("data").as_array().at(0), "id")};
  }

  HttpResponse Train(const std::string& key, const std::string& body = "") {
    return CallAs(key, "POST", "/v1/scoring/models", body);
  }

  // How many account_status audit entries of `action` the tenant has.
  size_t AuditCount(const std::string& action) {
    size_t n = 0;
    std::string after;
    for (int pages = 0; pages < 50; ++pages) {
      HttpResponse r = Api("GET", "/v1/audit/entries?limit=100&category=account_status" +
                                      (after.empty() ? "" : "&starting_after=" + after));
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) return n;
      json::value body = r.Json();
      for (const auto& e : body.at("data").as_array()) n += Str(e, "action") == action;
      if (!body.at("has_more").as_bool()) break;
      after = Str(body, "next_cursor");
    }
    return n;
  }

  // The versions GET /v1/scoring/models lists, newest first.
  std::vector<std::int64_t> Versions() {
    HttpResponse r = Api("GET", "/v1/scoring/models");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::int64_t> out;
    if (r.status != 200) return out;
    json::value body = r.Json();
    EXPECT_EQ(Str(body, "object"), "list");
    for (const auto& m : body.at("data").as_array()) out.push_back(Int(m, "version"));
    return out;
  }
};

TEST_P(Scoring, AModelTrainedOnTheTenantsHistoryRanksWhoWillReconnect) {
  SetClock("2026-02-02T09:00:00Z");
  std::string agent = Key("agent");
  // Nothing to learn from yet: the answer says why, and nothing is listed.
  HttpResponse early = Train(key_);
  ExpectProblem(early, 422, "", "not_enough_history");
  EXPECT_NE(Str(early.Json(), "detail").find("at least 50"), std::string::npos) << early.body;
  ExpectProblem(Api("GET", "/v1/outreach"), 409, "", "no_scoring_model");

  // 30 accounts that owed nothing were reconnected two days after their suspension; 30 that
  // owed stayed suspended.
  std::vector<std::string> holds;
  for (int i = 0; i < 30; ++i) holds.push_back(Suspended(0).second);
  for (int i = 0; i < 30; ++i) Suspended(9000 + i);
  Advance(2 * kDaySeconds);
  for (const std::string& hold : holds) {
    HttpResponse lifted =
        Api("POST", "/v1/holds/" + hold + "/lift", "", {{"X-Reason", "payment_received"}});
    ASSERT_EQ(lifted.status, 200) << lifted.body;
  }
  // 100 days on, every episode's first months are known; the daily retraining trains the
  // first model by itself.
  Advance(100 * kDaySeconds);
  ASSERT_TRUE(Eventually([&] { return !Versions().empty(); })) << "no scheduled training";
  std::int64_t scheduled = Versions().front();

  // Two accounts suspended today: one owes nothing, one owes a lot.
  std::string light = Suspended(0).first;
  std::string heavy = Suspended(25000).first;

  // An agent may not train; a body with anything in it is refused naming the field.
  ExpectProblem(Train(agent), 403);
  ExpectProblem(Train(key_, R"({"l2":2})"), 400, "l2");
  HttpResponse trained = Train(key_);
  ASSERT_EQ(trained.status, 201) << trained.body;
  const json::value model = trained.Json();
  EXPECT_EQ(Str(model, "object"), "scoring_model");
  std::int64_t version = Int(model, "version");
  EXPECT_GT(version, scheduled);
  EXPECT_GE(model.at("holdout_auc").to_number<double>(), 0.75) << trained.body;
  EXPECT_GT(Int(model, "training_size"), 50);
  EXPECT_EQ(Versions().front(), version);
  EXPECT_EQ(AuditCount("scoring_model.trained"), Versions().size());

  // The account read shows the score with its drivers; amount due leads for the heavy debtor.
  json::object light_account = Account(light);
  json::object heavy_account = Account(heavy);
  ASSERT_TRUE(light_account.contains("score")) << json::serialize(light_account);
  ASSERT_TRUE(heavy_account.contains("score"));
  const json::value& light_score = light_account.at("score");
  const json::value& heavy_score = heavy_account.at("score");
  EXPECT_GE(Int(light_score, "model_version"), version);
  EXPECT_GT(light_score.at("probability").to_number<double>(),
            heavy_score.at("probability").to_number<double>());
  const json::array& drivers = heavy_score.at("drivers").as_array();
  ASSERT_FALSE(drivers.empty());
  EXPECT_EQ(Str(drivers[0], "feature"), "amount_due") << json::serialize(drivers);
  EXPECT_EQ(drivers[0].at("value").to_number<double>(), 250.0);
  EXPECT_LT(drivers[0].at("contribution").to_number<double>(), 0);
  // An active account carries no score.
  EXPECT_FALSE(Account(NewAccount()).contains("score"));

  // Training starts a refresh run of the stored scores; the list shows the new model's once
  // the job runner has run it.
  ASSERT_TRUE(Eventually([&] {
    HttpResponse first = CallAs(agent, "GET", "/v1/outreach?sort=score&limit=100");
    if (first.status != 200) return false;
    json::value body = first.Json();
    const json::array& data = body.at("data").as_array();
    return data.size() >= 32 && std::all_of(data.begin(), data.end(), [&](const json::value& v) {
             return Int(v, "model_version") == version;
           });
  })) << "no refresh run after training";

  // The outreach list: every suspended account, highest score first, page after page.
  std::vector<double> scores;
  std::vector<std::string> ids;
  std::string cursor;
  for (int pages = 0; pages < 10; ++pages) {
    HttpResponse page = CallAs(
        agent, "GET",
        "/v1/outreach?sort=score&limit=20" + (cursor.empty() ? "" : "&starting_after=" + cursor));
    ASSERT_EQ(page.status, 200) << page.body;
    json::value body = page.Json();
    for (const auto& item : body.at("data").as_array()) {
      scores.push_back(item.at("probability").to_number<double>());
      ids.push_back(Str(item, "account_id"));
      EXPECT_FALSE(Str(item, "scored_at").empty()) << json::serialize(item);
    }
    if (!body.at("has_more").as_bool()) break;
    cursor = Str(body, "next_cursor");
  }
  // The 32 suspended here, and whatever the demo tenant was given suspended, each once.
  EXPECT_GE(ids.size(), 32u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_TRUE(std::is_sorted(scores.rbegin(), scores.rend()));
  EXPECT_EQ(ids.front(), light);
  EXPECT_NE(std::find(ids.begin(), ids.end(), heavy), ids.end());
  ExpectProblem(Api("GET", "/v1/outreach?sort=name"), 400, "sort");
  ExpectProblem(Api("GET", "/v1/outreach?starting_after=acc_nobody"), 400, "starting_after");
  ExpectProblem(Api("GET", "/v1/scoring/models?starting_after=v1"), 400, "starting_after");
}

INSTANTIATE_TEST_SUITE_P(Backends, Scoring, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
