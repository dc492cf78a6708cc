// Teams: a staff user works in one team, set when invited or by an admin later (audited); the
// work queue filters by team (the requests assigned to its members), KPIs break down by it, and
// any staff role lists the teams and the staff directory. Both backends.

#include <set>

#include "tests/support/tenant_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class Teams : public OwnTenant {
 protected:
  // Invites a staff user; its id.
  std::string Invite(const std::string& name, const std::string& team) {
    json::object body{{"email", name + "@client.example"}, {"name", name}, {"role", "agent"}};
    if (!team.empty()) body["team"] = team;
    HttpResponse r = Api("POST", "/v1/users", json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.Json().at("user").as_object(), "id") : "";
  }
  // A change of details left waiting for the customer's identity, assigned to `assignee`.
  std::string OpenRequestFor(const std::string& assignee) {
    std::string account = Str(NewAccount(), "id");
    HttpResponse r = Api("POST", "/v1/requests",
                         R"({"type":"personal_info_update","account_id":")" + account +
                             R"(","payload":{"phone":"+33612345678"}})",
                         {{"X-Reason", "customer_request"}});
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(Str(r.Json(), "state"), "awaiting_customer");
    std::string id = r.status == 201 ? Str(r.Json(), "id") : "";
    if (!assignee.empty()) {
      HttpResponse a =
          Api("POST", "/v1/requests/" + id + "/assign", R"({"assignee":")" + assignee + R"("})");
      EXPECT_EQ(a.status, 200) << a.body;
    }
    return id;
  }
  std::set<std::string> Ids(const std::string& query) {
    HttpResponse r = Api("GET", "/v1/requests?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> out;
    if (r.status != 200) return out;
    json::value page = r.Json();
    for (const json::value& v : page.at("data").as_array()) out.insert(Str(v.as_object(), "id"));
    return out;
  }
};

TEST_P(Teams, TheQueueFiltersByTeamAndKpisBreakDownByIt) {
  std::string ana = Invite("ana", "billing-desk");
  std::string bob = Invite("bob", "");
  std::string cyd = Invite("cyd", "tier2");
  HttpResponse moved = Api("PATCH", "/v1/users/" + bob, R"({"team":"billing-desk"})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Str(moved.Json(), "team"), "billing-desk");

  std::string r_ana = OpenRequestFor(ana);
  std::string r_bob = OpenRequestFor(bob);
  std::string r_cyd = OpenRequestFor(cyd);
  std::string r_none = OpenRequestFor("");

  EXPECT_EQ(Ids("team=billing-desk"), (std::set<std::string>{r_ana, r_bob}));
  EXPECT_EQ(Ids("team=billing-desk&sort=due_at"), (std::set<std::string>{r_ana, r_bob}));
  EXPECT_EQ(Ids("team=tier2&state=awaiting_customer"), (std::set<std::string>{r_cyd}));
  EXPECT_TRUE(Ids("team=nobody").empty());
  EXPECT_EQ(Ids("assignee=").count(r_none), 1u);
  ExpectProblem(Api("GET", "/v1/requests?team=bad%20team"), 400, "team");

  HttpResponse teams = Api("GET", "/v1/teams");
  ASSERT_EQ(teams.status, 200) << teams.body;
  json::value listed = teams.Json();
  const json::array& data = listed.at("data").as_array();
  ASSERT_EQ(data.size(), 2u) << teams.body;
  EXPECT_EQ(Str(data[0].as_object(), "team"), "billing-desk");
  EXPECT_EQ(Int(data[0].as_object(), "members"), 2);
  EXPECT_EQ(Str(data[1].as_object(), "team"), "tier2");

  Timestamp t = ServerNowSeconds();
  HttpResponse k = Api("GET", "/v1/kpis?from=" + FormatRfc3339((t - 3600) * 1000) +
                                  "&to=" + FormatRfc3339((t + 3600) * 1000) + "&group_by=team");
  ASSERT_EQ(k.status, 200) << k.body;
  json::value kpis = k.Json();
  EXPECT_EQ(Str(kpis, "group_by"), "team");
  const json::object& groups = kpis.at("groups").as_object();
  EXPECT_EQ(Int(groups.at("billing-desk"), "volume"), 2);
  EXPECT_EQ(Int(groups.at("tier2"), "volume"), 1);
  EXPECT_GE(Int(groups.at("unassigned"), "volume"), 1);

  // Moving a member moves the requests it works, in the queue as in the breakdown.
  ASSERT_EQ(Api("PATCH", "/v1/users/" + bob, R"({"team":"tier2"})").status, 200);
  EXPECT_EQ(Ids("team=tier2"), (std::set<std::string>{r_bob, r_cyd}));
  // Taken out of any team.
  HttpResponse out = Api("PATCH", "/v1/users/" + cyd, R"({"team":null})");
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_TRUE(out.Json().at("team").is_null());
  EXPECT_EQ(Ids("team=tier2"), (std::set<std::string>{r_bob}));
}

TEST_P(Teams, ChangesAreCheckedAuditedAndForAdminsOnly) {
  std::string ana = Invite("ana", "");
  ExpectProblem(Api("PATCH", "/v1/users/" + ana, R"({"team":"billing desk"})"), 422, "team");
  ExpectProblem(Api("PATCH", "/v1/users/" + ana, R"({"team":"=cmd|calc"})"), 422, "team");
  ExpectProblem(Api("PATCH", "/v1/users/" + ana, R"({"team":")" + std::string(65, 'a') + R"("})"),
                400, "team");
  ExpectProblem(Api("PATCH", "/v1/users/" + ana, R"({"team":"ok","role":"admin"})"), 400, "role");
  ExpectProblem(Api("PATCH", "/v1/users/usr_unknown", R"({"team":"ok"})"), 404);
  ExpectProblem(Api("PATCH", "/v1/users/" + ana, "{}"), 400, "team");
  HttpResponse invited =
      Api("POST", "/v1/users",
          R"({"email":"zed@client.example","name":"Zed","role":"agent","team":"bad team"})");
  ExpectProblem(invited, 422, "team");
  // Nothing of the refused calls was kept.
  HttpResponse got = Api("GET", "/v1/users/" + ana);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_TRUE(got.Json().at("team").is_null());
  EXPECT_EQ(Api("GET", "/v1/users").Json().at("data").as_array().size(), 1u);

  ASSERT_EQ(Api("PATCH", "/v1/users/" + ana, R"({"team":"tier2"})").status, 200);
  ASSERT_EQ(Api("PATCH", "/v1/users/" + ana, R"({"team":"tier2"})").status, 200);  // no change
  HttpResponse audit = Api("GET", "/v1/audit/entries?category=access&limit=100");
  ASSERT_EQ(audit.status, 200) << audit.body;
  int changes = 0;
  json::value entries = audit.Json();
  for (const json::value& v : entries.at("data").as_array()) {
    const json::object& e = v.as_object();
    if (Str(e, "action") != "user.team_changed") continue;
    ++changes;
    EXPECT_EQ(Str(e, "subject_id"), ana);
    EXPECT_EQ(Str(e.at("before").as_object(), "team"), "");
    EXPECT_EQ(Str(e.at("after").as_object(), "team"), "tier2");
  }
  EXPECT_EQ(changes, 1);

  std::string agent_key = NewKey("agent", "teams agent");
  ExpectProblem(CallAs(agent_key, "PATCH", "/v1/users/" + ana, R"({"team":"x"})"), 403);
  HttpResponse listed = CallAs(agent_key, "GET", "/v1/teams");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Str(listed.Json().at("data").as_array()[0].as_object(), "team"), "tier2");
}

TEST_P(Teams, TheStaffDirectoryNamesWhoMayBeGivenWorkWithoutTheirEmail) {
  std::string zoe = Invite("zoe", "tier2");
  std::string abe = Invite("abe", "");
  std::string gone = Invite("gus", "tier2");
  ASSERT_EQ(Api("POST", "/v1/users/" + gone + "/disable").status, 200);
  HttpResponse r = CallAs(NewKey("agent", "directory reader"), "GET", "/v1/staff");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("@client.example"), std::string::npos) << r.body;
  json::value staff = r.Json();
  const json::array& data = staff.at("data").as_array();
  ASSERT_EQ(data.size(), 2u) << r.body;  // by name; the disabled user is left out
  EXPECT_EQ(Str(data[0].as_object(), "id"), abe);
  EXPECT_EQ(Str(data[0].as_object(), "name"), "abe");
  EXPECT_TRUE(data[0].at("team").is_null());
  EXPECT_EQ(Str(data[1].as_object(), "id"), zoe);
  EXPECT_EQ(Str(data[1].as_object(), "team"), "tier2");
  EXPECT_EQ(Str(data[1].as_object(), "role"), "agent");
}

INSTANTIATE_TEST_SUITE_P(Backends, Teams, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
