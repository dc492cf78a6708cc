// Accounts, services and lifecycle over HTTP against a real server.

#include <set>

#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

class Accounts : public Functional {};

TEST_P(Accounts, CreateThenGetShowsTheAccountWithItsETag) {
  boost::json::object created = CreateAccount({"mobile_basic"});
  std::string id = Str(created, "id");
  ASSERT_FALSE(id.empty());
  HttpResponse r = Call("GET", "/v1/accounts/" + id);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("ETag"), "\"1\"");
  boost::json::value v = r.Json();
  EXPECT_EQ(Str(v, "status"), "active");
  EXPECT_EQ(Str(v, "name"), "Test Customer");
  EXPECT_EQ(v.at("services").as_array().size(), 1u);
}

TEST_P(Accounts, ListPaginatesWithoutRepeats) {
  for (int i = 0; i < 3; ++i) CreateAccount({});
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  while (pages < 100) {
    std::string target = "/v1/accounts?limit=2";
    if (!cursor.empty()) target += "&starting_after=" + cursor;
    HttpResponse r = Call("GET", target);
    ASSERT_EQ(r.status, 200) << r.body;
    boost::json::value v = r.Json();
    auto& data = v.at("data").as_array();
    EXPECT_LE(data.size(), 2u);
    for (const auto& a : data) EXPECT_TRUE(seen.insert(Str(a, "id")).second);
    ++pages;
    if (!v.at("has_more").as_bool()) {
      EXPECT_TRUE(v.at("next_cursor").is_null());
      break;
    }
    cursor = Str(v, "next_cursor");
    ASSERT_FALSE(cursor.empty());
  }
  EXPECT_GE(seen.size(), 3u);
  EXPECT_GE(pages, 2);
}

TEST_P(Accounts, ListFiltersByExternalRefAndStatus) {
  boost::json::object a = CreateAccount({});
  HttpResponse r = Call("GET", "/v1/accounts?external_ref=" + Str(a, "external_ref"));
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.Json().at("data").as_array().size(), 1u);
  r = Call("GET", "/v1/accounts?status=closed&limit=100");
  ASSERT_EQ(r.status, 200) << r.body;
  boost::json::value closed = r.Json();
  for (const auto& item : closed.at("data").as_array()) EXPECT_EQ(Str(item, "status"), "closed");
}

TEST_P(Accounts, StaleIfMatchIsRefusedAndChangesNothing) {
  std::string id = Str(CreateAccount({}), "id");
  // A personal_info_update needs the customer's identity proven within the hour.
  ASSERT_EQ(Call("POST", "/v1/accounts/" + id + "/verifications",
                 R"({"kind":"identity","method":"document_check","level":1})")
                .status,
            201);
  HttpResponse ok =
      Call("PATCH", "/v1/accounts/" + id, R"({"name":"New Name"})", {{"If-Match", "\"1\""}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Header("ETag"), "\"2\"");
  HttpResponse stale =
      Call("PATCH", "/v1/accounts/" + id, R"({"name":"Lost Update"})", {{"If-Match", "\"1\""}});
  ExpectProblem(stale, 412, "If-Match");
  boost::json::object now = Account(id);
  EXPECT_EQ(Str(now, "name"), "New Name");
  EXPECT_EQ(now.at("version").to_number<int>(), 2);
}

TEST_P(Accounts, ServicePlanChangeAndTermination) {
  boost::json::object body{{"external_ref", NewRef()}, {"kyc_level", 1}};
  HttpResponse created = Call("POST", "/v1/accounts", boost::json::serialize(body));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = Str(created.Json().at("account"), "id");
  // Adding a service is an activation: KYC level 1 and the customer's consent.
  HttpResponse added = Call("POST", "/v1/accounts/" + id + "/services",
                            R"({"plan_code":"mobile_basic","consent":{"method":"recorded_call"}})",
                            {{"X-Reason", "customer_request"}});
  ASSERT_EQ(added.status, 201) << added.body;
  std::string svc = Str(added.Json().at("service"), "id");
  HttpResponse changed =
      Call("POST", "/v1/services/" + svc + "/plan-change", R"({"plan_code":"mobile_unlimited"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Str(changed.Json().at("service"), "plan"), "mobile_unlimited");
  HttpResponse unknown =
      Call("POST", "/v1/services/" + svc + "/plan-change", R"({"plan_code":"gold"})");
  ExpectProblem(unknown, 404, "plan_code");
  HttpResponse list = Call("GET", "/v1/accounts/" + id + "/services");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.Json().at("data").as_array().size(), 1u);
  EXPECT_EQ(Str(list.Json().at("data").as_array()[0], "plan"), "mobile_unlimited");

  // An involuntary termination needs neither identity nor consent.
  HttpResponse ended = Call("POST", "/v1/services/" + svc + "/terminate",
                            R"({"origin":"involuntary"})", {{"X-Reason", "non_payment"}});
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(Str(ended.Json().at("service"), "status"), "terminated");
  // A terminated service cannot come back: no plan change, and a hold cycle leaves it ended.
  ExpectProblem(
      Call("POST", "/v1/services/" + svc + "/plan-change", R"({"plan_code":"mobile_basic"})"), 409);
  HttpResponse hold = Call("POST", "/v1/accounts/" + id + "/holds",
                           R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
  ASSERT_EQ(hold.status, 201) << hold.body;
  std::string hold_id = Str(hold.Json().at("hold"), "id");
  // The upgrade's proration is still due: the lift waits for the payment.
  HttpResponse lift =
      Call("POST", "/v1/holds/" + hold_id + "/lift", "", {{"X-Reason", "payment_received"}});
  ASSERT_EQ(lift.status, 202) << lift.body;
  EXPECT_EQ(Str(lift.Json(), "state"), "awaiting_payment");
  HttpResponse after = Call("GET", "/v1/accounts/" + id + "/services");
  EXPECT_EQ(Str(after.Json().at("data").as_array()[0], "status"), "terminated");
}

TEST_P(Accounts, ClosedAccountRefusesChanges) {
  std::string id = Str(CreateAccount({}), "id");
  HttpResponse closed = Call("POST", "/v1/accounts/" + id + "/close", R"({"origin":"involuntary"})",
                             {{"X-Reason", "account_closure"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Str(closed.Json().at("account"), "status"), "closed");
  HttpResponse patch = Call("PATCH", "/v1/accounts/" + id, R"({"name":"X"})");
  EXPECT_GE(patch.status, 409) << patch.body;
  EXPECT_LE(patch.status, 422) << patch.body;
  HttpResponse svc = Call("POST", "/v1/accounts/" + id + "/services",
                          R"({"plan_code":"mobile_basic"})", {{"X-Reason", "customer_request"}});
  EXPECT_GE(svc.status, 409) << svc.body;
  EXPECT_LE(svc.status, 422) << svc.body;
  EXPECT_EQ(Str(Account(id), "name"), "Test Customer");
}

TEST_P(Accounts, DryRunWritesNothing) {
  std::string ref = NewRef();
  HttpResponse r = Call("POST", "/v1/accounts?dry_run=true",
                        R"({"external_ref":")" + ref + R"(","plans":["mobile_basic"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.Json().at("dry_run").as_bool());
  EXPECT_EQ(Str(r.Json().at("account"), "external_ref"), ref);
  EXPECT_EQ(CountByRef(ref), 0u);

  std::string id = Str(CreateAccount({"mobile_basic"}), "id");
  HttpResponse hold = Call("POST", "/v1/accounts/" + id + "/holds?dry_run=true",
                           R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
  ASSERT_EQ(hold.status, 200) << hold.body;
  EXPECT_EQ(Str(hold.Json().at("account"), "status"), "suspended");
  EXPECT_EQ(Str(Account(id), "status"), "active");
  HttpResponse holds = Call("GET", "/v1/accounts/" + id + "/holds");
  EXPECT_EQ(holds.Json().at("data").as_array().size(), 0u);
}

TEST_P(Accounts, AnotherTenantsKeySeesNothing) {
  std::string id = Str(CreateAccount({}), "id");
  std::string tenant = server().RunCli({"tenant", "create", "--name", "Other Telecom"});
  ASSERT_FALSE(tenant.empty()) << "tenant create failed";
  std::string key = server().RunCli(
      {"apikey", "create", "--tenant", tenant, "--role", "admin", "--name", "other"});
  ASSERT_FALSE(key.empty()) << "apikey create failed";
  ExpectProblem(CallAs(key, "GET", "/v1/accounts/" + id), 404);
  ExpectProblem(CallAs(key, "POST", "/v1/accounts/" + id + "/holds",
                       R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}}),
                404);
  HttpResponse list = CallAs(key, "GET", "/v1/accounts?limit=100");
  ASSERT_EQ(list.status, 200) << list.body;
  boost::json::value listed = list.Json();
  for (const auto& a : listed.at("data").as_array()) EXPECT_NE(Str(a, "id"), id);
}

TEST_P(Accounts, RequestsAndTimelineRecordTheChange) {
  boost::json::object body{{"external_ref", NewRef()}};
  HttpResponse created =
      Call("POST", "/v1/accounts", boost::json::serialize(body), {{"X-Request-Id", "ft-corr-1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("X-Request-Id"), "ft-corr-1");
  std::string req = Str(created.Json(), "id");
  std::string id = Str(created.Json().at("account"), "id");
  HttpResponse got = Call("GET", "/v1/requests/" + req);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Str(got.Json(), "correlation_id"), "ft-corr-1");
  HttpResponse list = Call("GET", "/v1/requests?account_id=" + id);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_GE(list.Json().at("data").as_array().size(), 1u);
  HttpResponse timeline = Call("GET", "/v1/accounts/" + id + "/timeline");
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  EXPECT_GE(timeline.Json().at("data").as_array().size(), 1u);
  HttpResponse audit = Call("GET", "/v1/audit/entries?account_id=" + id);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_GE(audit.Json().at("data").as_array().size(), 1u);
  ExpectProblem(Call("GET", "/v1/requests/req_doesnotexist"), 404);
}

TEST_P(Accounts, PlansAreListed) {
  HttpResponse r = Call("GET", "/v1/plans");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_GE(r.Json().at("data").as_array().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Accounts, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
