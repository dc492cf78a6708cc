// The request engine from outside: requests of each type land in the state their checks
// lead to under the default policy pack; evidence moves them on; approvals need the
// policy's role and a checker other than the maker; rejecting, cancelling and dry runs.

#include <functional>

#include "tests/support/tenant_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class Requests : public OwnTenant {
 protected:
  void SetUp() override {
    OwnTenant::SetUp();
    if (HasFatalFailure()) return;
    // Two admins (maker and checker) and an agent.
    maker_ = key_;
    checker_ = NewKey("admin", "checker");
    agent_ = NewKey("agent", "agent");
  }

  // An active account with one mobile service, a named owner and KYC level 2; `extra`
  // fields join the create body.
  json::object NewAccount(json::object extra = {}) {
    json::object body{{"name", "Ada Lovelace"}, {"email", "ada@example.com"}, {"kyc_level", 2}};
    for (auto& kv : extra) body[kv.key()] = kv.value();
    return OwnTenant::NewAccount(std::move(body));
  }

  // POST /v1/requests as the maker unless another key is given; the answer as it came.
  HttpResponse Submit(const json::object& body, const std::string& reason,
                      const std::string& key = "") {
    Headers h;
    if (!reason.empty()) h.push_back({"X-Reason", reason});
    return CallAs(key.empty() ? maker_ : key, "POST", "/v1/requests", json::serialize(body), h);
  }

  HttpResponse Verify(const std::string& account, const std::string& party, int level) {
    json::object body{{"kind", "identity"},
                      {"party", party},
                      {"method", level == 3 ? "in_person" : "document_check"},
                      {"level", level}};
    return Api("POST", "/v1/accounts/" + account + "/verifications", json::serialize(body));
  }

  // The checks of a request answer that did not pass, as "kind" or "kind:party".
  static std::vector<std::string> Missing(const json::value& request) {
    std::vector<std::string> out;
    for (const auto& c : request.at("checks").as_array()) {
      if (c.at("passed").as_bool()) continue;
      std::string party = c.as_object().contains("party") ? Str(c, "party") : "";
      out.push_back(Str(c, "kind") + (party.empty() || party == "owner" ? "" : ":" + party));
    }
    return out;
  }

  std::string maker_, checker_, agent_;
};

TEST_P(Requests, OwnershipTransferWaitsForBothPartiesThenForAnotherAdmin) {
  json::object acc = NewAccount();
  std::string id = Str(acc, "id");
  json::object body{
      {"type", "ownership_transfer"},
      {"account_id", id},
      {"consent", {{"method", "recorded_call"}}},
      {"payload", {{"new_owner", {{"name", "Max Mustermann"}, {"email", "max@example.org"}}}}}};
  HttpResponse filed = Submit(body, "customer_request");
  ASSERT_EQ(filed.status, 201) << filed.body;
  std::string req = Str(filed.Json(), "id");
  EXPECT_EQ(Str(filed.Json(), "state"), "awaiting_customer");
  EXPECT_EQ(
      Missing(filed.Json()),
      (std::vector<std::string>{"identity_verified", "identity_verified:new_owner", "approval"}));

  ASSERT_EQ(Verify(id, "owner", 2).status, 201);
  EXPECT_EQ(Str(Request(req), "state"), "awaiting_customer") << "the new owner is not proven yet";
  ASSERT_EQ(Verify(id, "new_owner", 2).status, 201);
  json::object waiting = Request(req);
  EXPECT_EQ(Str(waiting, "state"), "awaiting_approval");
  EXPECT_EQ(Missing(waiting), std::vector<std::string>{"approval"});

  // The maker cannot approve their own request, an agent lacks the role: nothing moves.
  std::string approve = "/v1/requests/" + req + "/approve";
  ExpectProblem(CallAs(maker_, "POST", approve), 403, "", "maker_checker");
  ExpectProblem(CallAs(agent_, "POST", approve), 403, "", "role_required");
  EXPECT_EQ(Str(Request(req), "state"), "awaiting_approval");
  EXPECT_EQ(Str(Account(id), "name"), "Ada Lovelace");

  HttpResponse approved = CallAs(checker_, "POST", approve);
  ASSERT_EQ(approved.status, 200) << approved.body;
  json::value answer = approved.Json();
  EXPECT_EQ(Str(answer, "state"), "completed");
  ASSERT_EQ(answer.at("decisions").as_array().size(), 1u);
  EXPECT_EQ(Str(answer.at("decisions").at(0), "decision"), "approved");
  // The transfer fee of the policy is booked as its own request on the account.
  const auto& follow_ups = answer.at("follow_ups").as_array();
  ASSERT_EQ(follow_ups.size(), 1u);
  EXPECT_EQ(Str(follow_ups.at(0), "type"), "billing_adjustment");
  json::object after = Account(id);
  EXPECT_EQ(Str(after, "name"), "Max Mustermann");
  EXPECT_EQ(Str(after, "email"), "max@example.org");
  EXPECT_EQ(after.at("amount_due_minor").as_int64(), 2500);
  ExpectProblem(CallAs(checker_, "POST", approve), 409, "", "not_awaiting_approval");

  HttpResponse timeline = Api("GET", "/v1/accounts/" + id + "/timeline?limit=100");
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  EXPECT_NE(timeline.body.find(req), std::string::npos);
  EXPECT_EQ(timeline.body.find("Max Mustermann"), std::string::npos)
      << "personal data must not appear in clear in the timeline";
}

TEST_P(Requests, RejectingNeedsAReasonAndChangesNothingOnTheAccount) {
  json::object acc = NewAccount();
  std::string id = Str(acc, "id");
  json::object body{{"type", "billing_adjustment"},
                    {"account_id", id},
                    {"payload", {{"kind", "credit"}, {"amount_minor", 1000}, {"currency", "EUR"}}}};
  HttpResponse filed = Submit(body, "agent_correction");
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(Str(filed.Json(), "state"), "awaiting_approval");
  std::string reject = "/v1/requests/" + Str(filed.Json(), "id") + "/reject";

  ExpectProblem(CallAs(checker_, "POST", reject), 400, "X-Reason");
  ExpectProblem(CallAs(checker_, "POST", reject, "", {{"X-Reason", "no_such_reason"}}), 422,
                "X-Reason");
  HttpResponse rejected = CallAs(checker_, "POST", reject, "", {{"X-Reason", "agent_correction"}});
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(Str(rejected.Json(), "state"), "rejected");
  EXPECT_EQ(Account(id).at("amount_due_minor").as_int64(), 0);
  ExpectProblem(CallAs(checker_, "POST", "/v1/requests/" + Str(filed.Json(), "id") + "/approve"),
                409, "", "not_awaiting_approval");
}

TEST_P(Requests, CancelEndsAWaitingRequestOnce) {
  std::string id = Str(NewAccount(), "id");
  HttpResponse filed = Submit({{"type", "personal_info_update"},
                               {"account_id", id},
                               {"payload", {{"phone", "+33102030405"}}}},
                              "customer_request");
  ASSERT_EQ(filed.status, 201) << filed.body;
  ASSERT_EQ(Str(filed.Json(), "state"), "awaiting_customer");
  std::string cancel = "/v1/requests/" + Str(filed.Json(), "id") + "/cancel";
  HttpResponse cancelled = Api("POST", cancel);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Str(cancelled.Json(), "state"), "cancelled");
  ExpectProblem(Api("POST", cancel), 409, "", "request_finished");
  // Evidence arriving later does not bring a cancelled request back.
  ASSERT_EQ(Verify(id, "owner", 1).status, 201);
  EXPECT_EQ(Str(Request(Str(filed.Json(), "id")), "state"), "cancelled");
  EXPECT_EQ(Str(Account(id), "phone"), "");
}

TEST_P(Requests, DryRunShowsTheChecksAndWritesNothing) {
  json::object acc = NewAccount({{"amount_due_minor", 990}});
  std::string id = Str(acc, "id");
  size_t before = OwnTenant::Requests(id).size();
  json::object body{{"type", "plan_change"},
                    {"account_id", id},
                    {"service_id", FirstServiceId(acc)},
                    {"payload", {{"plan_code", "mobile_unlimited"}}}};
  HttpResponse dry = CallAs(maker_, "POST", "/v1/requests?dry_run=true", json::serialize(body),
                            {{"X-Reason", "customer_request"}});
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_TRUE(dry.Json().at("dry_run").as_bool());
  EXPECT_EQ(Str(dry.Json(), "state"), "awaiting_payment");
  EXPECT_EQ(Missing(dry.Json()), std::vector<std::string>{"payment_cleared"});
  EXPECT_EQ(OwnTenant::Requests(id).size(), before);
  ExpectProblem(Api("GET", "/v1/requests/" + Str(dry.Json(), "id")), 404);
  EXPECT_EQ(Account(id).at("version"), acc.at("version"));
}

// One row: an account set up a certain way, a request filed on it under the default pack,
// the state it lands in and the checks still missing.
struct TypeCase {
  const char* name;
  std::function<void(const std::string& account)> arrange;
  std::function<json::object(const json::object& account)> request;  // the body to file
  const char* reason;
  const char* state;
  std::vector<std::string> missing;
};

TEST_P(Requests, EachTypeLandsWhereItsChecksLead) {
  auto hold = [this](const char* type, const char* reason) {
    return [this, type, reason](const std::string& id) {
      json::object body{{"hold_type", type}};
      HttpResponse r = Api("POST", "/v1/accounts/" + id + "/holds", json::serialize(body),
                           {{"X-Reason", reason}});
      ASSERT_EQ(r.status, 201) << r.body;
    };
  };
  auto owe = [this](std::int64_t amount) {
    return [this, amount](const std::string& id) {
      // A debit needs a second admin's approval (origin technical, which skips it, is the
      // fault system's own).
      HttpResponse r =
          Api("POST", "/v1/requests",
              json::serialize(json::object{
                  {"type", "billing_adjustment"},
                  {"account_id", id},
                  {"payload", {{"kind", "debit"}, {"amount_minor", amount}, {"currency", "EUR"}}}}),
              {{"X-Reason", "technical_fault"}});
      ASSERT_EQ(r.status, 201) << r.body;
      HttpResponse approved =
          CallAs(checker_, "POST", "/v1/requests/" + Str(r.Json(), "id") + "/approve");
      ASSERT_EQ(approved.status, 200) << approved.body;
      ASSERT_EQ(Str(approved.Json(), "state"), "completed") << approved.body;
    };
  };
  auto verified = [this](int level) {
    return
        [this, level](const std::string& id) { ASSERT_EQ(Verify(id, "owner", level).status, 201); };
  };
  auto both = [](std::function<void(const std::string&)> a,
                 std::function<void(const std::string&)> b) {
    return [a, b](const std::string& id) {
      a(id);
      b(id);
    };
  };
  auto dormant = [this](const std::string& id) {
    HttpResponse r =
        Api("POST", "/v1/accounts/" + id + "/dormant", "", {{"X-Reason", "agent_correction"}});
    ASSERT_EQ(r.status, 200) << r.body;
  };
  auto nothing = [](const std::string&) {};
  auto of = [](const char* type, json::object payload = {}, bool on_service = false) {
    return [type, payload, on_service](const json::object& acc) {
      json::object body{{"type", type}, {"account_id", acc.at("id")}, {"payload", payload}};
      if (on_service) body["service_id"] = acc.at("services").at(0).at("id");
      return body;
    };
  };
  const json::object kPhone{{"phone", "+33123456789"}};
  const json::object kPause{{"hold_type", "voluntary_pause"}};
  const json::object kTwoFactor{{"two_factor", true}, {"two_factor_method", "totp"}};
  const json::object kAddUser{
      {"action", "add"}, {"name", "Bob"}, {"email", "bob@example.com"}, {"permission", "view"}};
  const std::vector<TypeCase> cases = {
      {"reconnection with money due",
       both(owe(4599), hold("non_payment", "non_payment")),
       of("reconnection", {}, true),
       "payment_received",
       "awaiting_payment",
       {"payment_cleared"}},
      {"reconnection paid up",
       hold("non_payment", "non_payment"),
       of("reconnection", {}, true),
       "payment_received",
       "completed",
       {}},
      {"reconnection under fraud review",
       both(hold("non_payment", "non_payment"), hold("fraud_review", "fraud_suspected")),
       of("reconnection", {}, true),
       "payment_received",
       "verifying",
       {"no_fraud_hold"}},
      {"reactivation without identity",
       dormant,
       of("reactivation"),
       "customer_request",
       "awaiting_customer",
       {"identity_verified"}},
      {"reactivation with a weak identity",
       both(dormant, verified(1)),
       of("reactivation"),
       "customer_request",
       "awaiting_customer",
       {"identity_verified"}},
      {"reactivation proven",
       both(dormant, verified(2)),
       of("reactivation"),
       "customer_request",
       "completed",
       {}},
      {"voluntary pause",
       nothing,
       of("suspension", kPause, true),
       "customer_request",
       "completed",
       {}},
      {"plan change paid up",
       nothing,
       of("plan_change", {{"plan_code", "mobile_unlimited"}}, true),
       "customer_request",
       "completed",
       {}},
      {"personal data without identity",
       nothing,
       of("personal_info_update", kPhone),
       "customer_request",
       "awaiting_customer",
       {"identity_verified"}},
      {"personal data proven",
       verified(1),
       of("personal_info_update", kPhone),
       "customer_request",
       "completed",
       {}},
      {"security settings need level 3",
       verified(2),
       of("security_settings_change", kTwoFactor),
       "customer_request",
       "awaiting_customer",
       {"identity_verified"}},
      {"security settings proven",
       verified(3),
       of("security_settings_change", kTwoFactor),
       "customer_request",
       "completed",
       {}},
      {"access change without consent",
       verified(2),
       of("access_change", kAddUser),
       "customer_request",
       "awaiting_customer",
       {"consent_recorded"}},
      {"credit needs a second person",
       nothing,
       of("billing_adjustment", {{"kind", "credit"}, {"amount_minor", 500}, {"currency", "EUR"}}),
       "customer_request",
       "awaiting_approval",
       {"approval"}},
      {"status sync while a fault is open",
       hold("technical_fault", "technical_fault"),
       of("status_sync"),
       "fault_resolved",
       "verifying",
       {"technical_fault_resolved"}},
      {"status sync with no fault",
       nothing,
       of("status_sync"),
       "agent_correction",
       "completed",
       {}},
  };
  for (const TypeCase& c : cases) {
    SCOPED_TRACE(c.name);
    json::object acc = NewAccount();
    c.arrange(Str(acc, "id"));
    HttpResponse filed = Submit(c.request(acc), c.reason);
    ASSERT_EQ(filed.status, 201) << filed.body;
    EXPECT_EQ(Str(filed.Json(), "state"), c.state) << filed.body;
    EXPECT_EQ(Missing(filed.Json()), c.missing) << filed.body;
    EXPECT_FALSE(Str(filed.Json(), "policy_version").empty());
    // Every request has a due time, or, while its clock is paused, the working time it has left.
    json::value sla = filed.Json().at("sla");
    const char* clock = sla.at("paused") == true ? "working_time_left_seconds" : "due_at";
    EXPECT_FALSE(sla.at(clock).is_null()) << clock << " in " << filed.body;
  }
}

TEST_P(Requests, TerminationWaitsForTheRetentionOfferAnswer) {
  auto terminate = [this](const std::string& id) {
    EXPECT_EQ(Verify(id, "owner", 1).status, 201);
    HttpResponse r = Submit(
        {{"type", "termination"}, {"account_id", id}, {"consent", {{"method", "recorded_call"}}}},
        "customer_request");
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.Json().as_object() : json::object{};
  };
  std::string kept = Str(NewAccount(), "id");
  json::object first = terminate(kept);
  EXPECT_EQ(Str(first, "state"), "awaiting_customer");
  ASSERT_TRUE(first.at("result").is_object()) << json::serialize(first);
  EXPECT_NE(json::serialize(first.at("result")).find("retention_discount"), std::string::npos);
  std::string offer = "/v1/requests/" + Str(first, "id") + "/offer";
  ExpectProblem(Api("POST", offer, R"({"decision":"accept","offer_code":"free_year"})"), 422, "",
                "unknown_offer");
  HttpResponse accepted =
      Api("POST", offer, R"({"decision":"accept","offer_code":"retention_discount"})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(Str(accepted.Json(), "state"), "cancelled");
  EXPECT_EQ(Str(Account(kept), "lifecycle"), "active");

  std::string gone = Str(NewAccount(), "id");
  json::object second = terminate(gone);
  HttpResponse declined =
      Api("POST", "/v1/requests/" + Str(second, "id") + "/offer", R"({"decision":"decline"})");
  ASSERT_EQ(declined.status, 200) << declined.body;
  EXPECT_EQ(Str(declined.Json(), "state"), "completed");
  EXPECT_EQ(Str(Account(gone), "lifecycle"), "closed");
  ExpectProblem(
      Api("POST", "/v1/requests/" + Str(second, "id") + "/offer", R"({"decision":"decline"})"), 409,
      "", "no_offer_pending");
}

TEST_P(Requests, BadRequestBodiesNameTheFieldAndWriteNothing) {
  json::object acc = NewAccount();
  std::string id = Str(acc, "id");
  size_t before = OwnTenant::Requests(id).size();
  struct Bad {
    json::object body;
    const char* reason;
    int status;
    const char* param;
  };
  const std::vector<Bad> cases = {
      {{{"type", "teleportation"}, {"account_id", id}}, "customer_request", 400, "type"},
      {{{"type", "plan_change"}}, "customer_request", 400, "account_id"},
      {{{"type", "plan_change"}, {"account_id", id}, {"colour", "red"}},
       "customer_request",
       400,
       "colour"},
      {{{"type", "plan_change"}, {"account_id", id}, {"payload", {{"plan", "x"}}}},
       "customer_request",
       400,
       "payload.plan"},
      {{{"type", "suspension"},
        {"account_id", id},
        {"payload", {{"hold_type", "voluntary_pause"}}}},
       "",
       400,
       "X-Reason"},
      {{{"type", "suspension"},
        {"account_id", id},
        {"payload", {{"hold_type", "voluntary_pause"}}}},
       "payment_received",
       422,
       "X-Reason"},
      {{{"type", "personal_info_update"},
        {"account_id", "acc_nosuchaccount"},
        {"payload", {{"phone", "+33102030405"}}}},
       "customer_request",
       404,
       "account_id"},
      {{{"type", "personal_info_update"}, {"account_id", id}, {"priority", "asap"}},
       "customer_request",
       400,
       "priority"},
      {{{"type", "personal_info_update"},
        {"account_id", id},
        {"payload", {{"address", "card 4111 1111 1111 1111 please"}}}},
       "customer_request",
       422,
       "payload.address"},
  };
  for (const Bad& c : cases) {
    SCOPED_TRACE(json::serialize(c.body) + " reason=" + c.reason);
    ExpectProblem(Submit(c.body, c.reason), c.status, c.param);
  }
  EXPECT_EQ(OwnTenant::Requests(id).size(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, Requests, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
