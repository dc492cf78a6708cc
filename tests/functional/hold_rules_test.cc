// Hold rules: protected hold types need the pack's role to be lifted (the system exempt),
// a single hold can be read, kyc.completed lifts kyc_incomplete holds, and every write to an
// account's aggregate honours If-Match.

#include "tests/support/events_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class HoldRules : public EventsTest {
 protected:
  // Places a hold with the admin key; returns its id.
  std::string Place(const std::string& account, const std::string& body,
                    const std::string& reason) {
    HttpResponse r =
        Api("POST", "/v1/accounts/" + account + "/holds", body, {{"X-Reason", reason}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.Json().at("hold"), "id") : "";
  }
  HttpResponse LiftAs(const std::string& key, const std::string& hold) {
    return CallAs(key, "POST", "/v1/holds/" + hold + "/lift", "", {{"X-Reason", "fraud_cleared"}});
  }
  json::object Hold(const std::string& id) {
    HttpResponse r = Api("GET", "/v1/holds/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : json::object{};
  }
};

TEST_P(HoldRules, AnAgentCannotLiftAProtectedHoldAndNothingIsWritten) {
  std::string agent = NewKey("agent", "desk");
  for (const char* type : {"fraud_review", "regulatory", "legal"}) {
    SCOPED_TRACE(type);
    std::string id = Str(NewAccount(), "id");
    std::string hold =
        Place(id, R"({"hold_type":")" + std::string(type) + R"("})", "regulatory_order");
    size_t requests = Requests(id).size();
    std::int64_t version = Account(id).at("version").as_int64();
    ExpectProblem(LiftAs(agent, hold), 403, "hold_ids", "role_required");
    EXPECT_EQ(Str(Hold(hold), "state"), "active");
    EXPECT_EQ(Requests(id).size(), requests);
    EXPECT_EQ(Account(id).at("version").as_int64(), version);
    // The same rule holds for a reconnection request naming the hold.
    json::object body{{"type", "reconnection"},
                      {"account_id", id},
                      {"payload", {{"hold_ids", json::array{json::value(hold)}}}}};
    HttpResponse filed = CallAs(agent, "POST", "/v1/requests", json::serialize(body),
                                {{"X-Reason", "fraud_cleared"}});
    ExpectProblem(filed, 403, "payload.hold_ids", "role_required");
    EXPECT_EQ(Requests(id).size(), requests);
  }
}

// A reconnection of a service that names no hold lifts the holds blocking it: one of a type
// the pack protects needs the role all the same (refused, nothing written), as when named.
TEST_P(HoldRules, AReconnectionNamingNoHoldNeedsTheRoleOfTheProtectedHoldsItWouldLift) {
  ReplacePack([](std::string yaml) {
    return Replace(yaml, "    legal: supervisor\n",
                   "    legal: supervisor\n    non_payment: supervisor\n");
  });
  if (HasFatalFailure()) return;
  std::string id = SuspendedAccount(/*amount_due_minor=*/0);
  std::string service = ServiceOf(id);
  ASSERT_EQ(Account(id).at("active_holds").as_array().size(), 1u);
  std::string hold = Str(Account(id).at("active_holds").as_array().at(0), "id");
  json::object body{{"type", "reconnection"},
                    {"account_id", id},
                    {"service_id", service},
                    {"payload", json::object{}}};
  size_t requests = Requests(id).size();
  std::int64_t version = Account(id).at("version").as_int64();
  HttpResponse refused = CallAs(NewKey("agent", "desk"), "POST", "/v1/requests",
                                json::serialize(body), {{"X-Reason", "payment_received"}});
  ExpectProblem(refused, 403, "payload.hold_ids", "role_required");
  EXPECT_EQ(Str(Hold(hold), "state"), "active");
  EXPECT_EQ(Requests(id).size(), requests);
  EXPECT_EQ(Account(id).at("version").as_int64(), version);

  HttpResponse done = CallAs(NewKey("supervisor", "lead"), "POST", "/v1/requests",
                             json::serialize(body), {{"X-Reason", "payment_received"}});
  ASSERT_EQ(done.status, 201) << done.body;
  EXPECT_EQ(Str(done.Json(), "state"), "completed") << done.body;
  EXPECT_EQ(Str(Hold(hold), "state"), "lifted");
  EXPECT_EQ(ServiceStatus(id), "active");
}

TEST_P(HoldRules, ASupervisorOrAnAdminLiftsAProtectedHold) {
  std::string supervisor = NewKey("supervisor", "lead");
  for (const std::string& key : {supervisor, key_}) {
    std::string id = Str(NewAccount(), "id");
    std::string hold = Place(id, R"({"hold_type":"fraud_review"})", "fraud_suspected");
    HttpResponse r = LiftAs(key, hold);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Str(r.Json(), "state"), "completed");
    EXPECT_EQ(Str(r.Json().at("hold"), "state"), "lifted");
    EXPECT_EQ(Str(Account(id), "status"), "active");
  }
}

// Only protected types need the role: an agent places and lifts the others.
TEST_P(HoldRules, AnAgentPlacesAndLiftsAnUnprotectedHold) {
  std::string agent = NewKey("agent", "desk");
  const std::pair<const char*, const char*> kTypes[] = {{"non_payment", "non_payment"},
                                                        {"voluntary_pause", "customer_request"},
                                                        {"data_outdated", "customer_request"}};
  for (const auto& [type, reason] : kTypes) {
    SCOPED_TRACE(type);
    std::string id = Str(NewAccount(), "id");
    HttpResponse placed =
        CallAs(agent, "POST", "/v1/accounts/" + id + "/holds",
               R"({"hold_type":")" + std::string(type) + R"("})", {{"X-Reason", reason}});
    ASSERT_EQ(placed.status, 201) << placed.body;
    std::string hold = Str(placed.Json().at("hold"), "id");
    HttpResponse lifted = CallAs(agent, "POST", "/v1/holds/" + hold + "/lift", "",
                                 {{"X-Reason", "agent_correction"}});
    ASSERT_EQ(lifted.status, 200) << lifted.body;
    EXPECT_EQ(Str(lifted.Json().at("hold"), "state"), "lifted");
    EXPECT_EQ(Str(Hold(hold), "state"), "lifted");
    EXPECT_EQ(Str(Account(id), "status"), "active");
  }
}

TEST_P(HoldRules, TheSystemLiftsWhatItsOwnRulesPlaced) {
  std::string id = Str(NewAccount(), "id");
  json::object reported =
      Send(NewEventId(), "fault.reported", {{"account_id", id}, {"fault_id", "F-1"}});
  EXPECT_EQ(Str(reported, "outcome"), "suspended");
  EXPECT_EQ(Str(Account(id), "status"), "suspended");
  json::object resolved =
      Send(NewEventId(), "fault.resolved", {{"account_id", id}, {"fault_id", "F-1"}});
  EXPECT_EQ(Str(resolved, "outcome"), "reconnected");
  EXPECT_EQ(Str(Account(id), "status"), "active");
}

TEST_P(HoldRules, AHoldCanBeReadAloneButNotByAnotherTenant) {
  std::string id = Str(NewAccount(), "id");
  std::string hold = Place(id, R"({"hold_type":"non_payment","owner":"billing"})", "non_payment");
  json::object h = Hold(hold);
  EXPECT_EQ(Str(h, "id"), hold);
  EXPECT_EQ(Str(h, "account_id"), id);
  EXPECT_EQ(Str(h, "state"), "active");
  EXPECT_EQ(Str(h, "owner"), "billing");
  // The demo tenant's admin key belongs to another tenant.
  ExpectProblem(Call("GET", "/v1/holds/" + hold), 404);
  ExpectProblem(Api("GET", "/v1/holds/hld_nosuchhold"), 404);
}

TEST_P(HoldRules, KycCompletedLiftsKycIncompleteHoldsOnceTheLevelIsReached) {
  std::string id = Str(NewAccount(), "id");
  std::string hold = Place(id, R"({"hold_type":"kyc_incomplete"})", "kyc_pending");
  EXPECT_EQ(Str(Account(id), "status"), "suspended");
  // The default pack's activation asks for KYC level 1: level 0 lifts nothing.
  Send(NewEventId(), "kyc.completed", {{"account_id", id}, {"kyc_level", 0}});
  EXPECT_EQ(Str(Hold(hold), "state"), "active");
  json::object done = Send(NewEventId(), "kyc.completed", {{"account_id", id}, {"kyc_level", 2}});
  EXPECT_EQ(Str(done, "outcome"), "kyc_cleared");
  EXPECT_EQ(Str(Hold(hold), "state"), "lifted");
  EXPECT_EQ(Str(Account(id), "status"), "active");
}

TEST_P(HoldRules, AStaleIfMatchIsRefusedOnEveryAggregateWrite) {
  json::object a = NewAccount();
  std::string id = Str(a, "id");
  std::string svc = FirstServiceId(a);
  std::string hold = Place(id, R"({"hold_type":"non_payment"})", "non_payment");
  std::int64_t version = Account(id).at("version").as_int64();
  std::string stale = "\"" + std::to_string(version - 1) + "\"";
  struct Write {
    const char* method;
    std::string target, body, reason;
  };
  json::object request{
      {"type", "suspension"}, {"account_id", id}, {"payload", {{"hold_type", "voluntary_pause"}}}};
  std::vector<Write> writes = {
      {"POST", "/v1/accounts/" + id + "/holds", R"({"hold_type":"fraud_review"})",
       "fraud_suspected"},
      {"POST", "/v1/holds/" + hold + "/lift", "", "payment_received"},
      {"POST", "/v1/requests", json::serialize(request), "customer_request"},
      {"POST", "/v1/accounts/" + id + "/services", R"({"plan_code":"tv_plus"})",
       "customer_request"},
      {"POST", "/v1/services/" + svc + "/plan-change", R"({"plan_code":"mobile_unlimited"})", ""},
      {"POST", "/v1/services/" + svc + "/terminate", "", "customer_request"},
      {"POST", "/v1/accounts/" + id + "/close", "", "account_closure"},
      {"POST", "/v1/accounts/" + id + "/dormant", "", "agent_correction"},
      {"PATCH", "/v1/accounts/" + id, R"({"name":"Someone Else"})", ""},
  };
  size_t requests = Requests(id).size();
  for (const Write& w : writes) {
    SCOPED_TRACE(w.target);
    Headers h{{"If-Match", stale}};
    if (!w.reason.empty()) h.push_back({"X-Reason", w.reason});
    ExpectProblem(Api(w.method, w.target, w.body, h), 412);
  }
  EXPECT_EQ(Account(id).at("version").as_int64(), version);
  EXPECT_EQ(Requests(id).size(), requests);
  // The current version is accepted.
  HttpResponse ok =
      Api("POST", "/v1/holds/" + hold + "/lift", "",
          {{"X-Reason", "payment_received"}, {"If-Match", "\"" + std::to_string(version) + "\""}});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, HoldRules, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
