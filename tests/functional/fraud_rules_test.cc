// Fraud and abuse rules (the pack's `fraud:` section), each seen as a caller sees it: the
// request it sends to a fraud review that only a supervisor ends, the fraud_review hold it
// places, and the signal GET /v1/fraud/signals lists with the figures that matched; and the
// fraud.alert event a client's fraud system sends.

#include <gtest/gtest.h>

#include "tests/support/events_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class FraudRules : public EventsTest {
 protected:
  // Stores a new version of the tenant's pack: the one in force with each (from, to) replaced.
  void PutPack(const std::vector<std::pair<std::string, std::string>>& edits) {
    HttpResponse got = Api("GET", "/v1/policy-pack");
    ASSERT_EQ(got.status, 200) << got.body;
    std::string yaml = Str(got.Json(), "yaml");
    std::vector<std::pair<std::string, std::string>> all = {
        {"version: \"2026.1\"", "version: \"2026.1-fraud\""}};
    all.insert(all.end(), edits.begin(), edits.end());
    for (const auto& [from, to] : all) {
      size_t at = yaml.find(from);
      ASSERT_NE(at, std::string::npos) << "not in the pack: " << from;
      yaml.replace(at, from.size(), to);
    }
    HttpResponse put = Api("PUT", "/v1/policy-pack", yaml, {{"Content-Type", "application/yaml"}});
    ASSERT_EQ(put.status, 200) << put.body;
  }

  void VerifyIdentity(const std::string& account) {
    HttpResponse r = Api("POST", "/v1/accounts/" + account + "/verifications",
                         R"({"kind":"identity","method":"document_check"})");
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // Closes the account (identity proven, consent recorded, the retention offer declined).
  void Close(const std::string& account) {
    json::object close = File({{"type", "termination"},
                               {"account_id", account},
                               {"consent", {{"method", "recorded_call"}}}},
                              "customer_request");
    if (Str(close, "state") == "awaiting_customer") {
      HttpResponse r =
          Api("POST", "/v1/requests/" + Str(close, "id") + "/offer", R"({"decision":"decline"})");
      ASSERT_EQ(r.status, 200) << r.body;
    }
    ASSERT_EQ(Str(Account(account), "status"), "closed");
  }

  // The account's signals, newest first.
  json::array Signals(const std::string& account) {
    HttpResponse r = Api("GET", "/v1/fraud/signals?account_id=" + account);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().at("data").as_array() : json::array{};
  }

  // The detail of the request's no_fraud_hold check ("" when it has none).
  static std::string FraudCheck(const json::object& request, bool* passed) {
    for (const auto& c : request.at("checks").as_array()) {
      if (Str(c, "kind") == "no_fraud_hold" && Str(c, "detail").rfind("fraud_review", 0) == 0) {
        *passed = c.at("passed").as_bool();
        return Str(c, "detail");
      }
    }
    return "";
  }

  static bool HasFraudHold(const json::object& account) {
    for (const auto& h : account.at("active_holds").as_array()) {
      if (Str(h, "hold_type") == "fraud_review" || Str(h, "type") == "fraud_review") return true;
    }
    return false;
  }
};

TEST_P(FraudRules, ASecondReactivationWithinTheWindowWaitsForASupervisor) {
  PutPack({{"reactivation_velocity: {max_count: 2,", "reactivation_velocity: {max_count: 1,"}});
  std::string id = Str(NewAccount(), "id");
  VerifyIdentity(id);
  Close(id);
  json::object first = File({{"type", "reactivation"}, {"account_id", id}}, "customer_request");
  ASSERT_EQ(Str(first, "state"), "completed") << json::serialize(first);
  EXPECT_TRUE(Signals(id).empty()) << "one reactivation is within the rule";

  Close(id);
  json::object second = File({{"type", "reactivation"}, {"account_id", id}}, "customer_request");
  ASSERT_EQ(Str(second, "state"), "verifying") << json::serialize(second);
  bool passed = true;
  EXPECT_NE(FraudCheck(second, &passed).find("reactivation_velocity"), std::string::npos);
  EXPECT_FALSE(passed);
  EXPECT_FALSE(HasFraudHold(Account(id))) << "this rule does not hold the account";

  json::array signals = Signals(id);
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(Str(signals[0], "rule"), "reactivation_velocity");
  EXPECT_EQ(Str(signals[0], "request_id"), Str(second, "id"));
  EXPECT_EQ(Int(signals[0].at("figures"), "reactivations"), 2);
  EXPECT_EQ(Int(signals[0].at("figures"), "max_count"), 1);
  EXPECT_EQ(Int(signals[0].at("figures"), "window_minutes"), 43200);
  EXPECT_TRUE(signals[0].at("hold_request_id").is_null());

  std::string approve = "/v1/requests/" + Str(second, "id") + "/approve";
  ExpectProblem(CallAs(NewKey("agent", "desk"), "POST", approve), 403, "", "role_required");
  HttpResponse ok = CallAs(NewKey("supervisor", "fraud-lead"), "POST", approve);
  ASSERT_EQ(ok.status, 200) << ok.body;
  // The review is over; the first reactivation's fee is still due, as for any reactivation.
  EXPECT_EQ(Str(ok.Json(), "state"), "awaiting_payment") << ok.body;
  EXPECT_NE(FraudCheck(ok.Json().as_object(), &passed).find("approved by"), std::string::npos);
  EXPECT_TRUE(passed);
}

TEST_P(FraudRules, APaymentChangeRightAfterAContactChangeIsHeldForReview) {
  std::string id = Str(NewAccount({{"email", "old@example.com"}}), "id");
  VerifyIdentity(id);
  json::object contact = File({{"type", "personal_info_update"},
                               {"account_id", id},
                               {"payload", {{"email", "new@example.net"}}}},
                              "customer_request");
  ASSERT_EQ(Str(contact, "state"), "completed") << json::serialize(contact);
  json::object billing = File({{"type", "billing_info_update"},
                               {"account_id", id},
                               {"payload", {{"billing_address", "1 Rue Neuve, Paris"}}}},
                              "customer_request");
  ASSERT_EQ(Str(billing, "state"), "verifying") << json::serialize(billing);
  bool passed = true;
  EXPECT_NE(FraudCheck(billing, &passed).find("contact_then_payment_change"), std::string::npos);
  EXPECT_TRUE(HasFraudHold(Account(id))) << "the rule holds the account";

  json::array signals = Signals(id);
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(Str(signals[0], "rule"), "contact_then_payment_change");
  EXPECT_EQ(Str(signals[0], "request_id"), Str(billing, "id"));
  EXPECT_EQ(Str(signals[0].at("figures"), "contact_change_request_id"), Str(contact, "id"));
  EXPECT_EQ(Int(signals[0].at("figures"), "window_minutes"), 1440);
  EXPECT_FALSE(Str(signals[0], "hold_request_id").empty());

  // A payment change with no contact change before it goes through.
  std::string calm = Str(NewAccount(), "id");
  VerifyIdentity(calm);
  json::object plain = File({{"type", "billing_info_update"},
                             {"account_id", calm},
                             {"payload", {{"billing_address", "2 Rue Calme, Lyon"}}}},
                            "customer_request");
  EXPECT_EQ(Str(plain, "state"), "completed") << json::serialize(plain);
  EXPECT_TRUE(Signals(calm).empty());
}

TEST_P(FraudRules, RepeatedFailedCodesHoldTheAccountOnce) {
  PutPack({{"failed_codes: {max_count: 10,", "failed_codes: {max_count: 3,"}});
  std::string id = Str(NewAccount({{"email", "jane@example.com"}}), "id");
  HttpResponse sent =
      Api("POST", "/v1/accounts/" + id + "/verification-codes", R"({"channel":"email"})");
  ASSERT_EQ(sent.status, 202) << sent.body;
  auto guess = [&](const std::string& code) {
    return Api("POST", "/v1/accounts/" + id + "/verification-codes/check",
               R"({"channel":"email","code":")" + code + "\"}");
  };
  // Two guesses, then a third: one of three codes can be right by chance, never all three.
  int wrong = 0;
  for (const char* code : {"000000", "111111", "222222", "333333"}) {
    if (guess(code).status == 422) ++wrong;
    if (wrong == 2) {
      EXPECT_TRUE(Signals(id).empty()) << "two failures are within the rule";
    }
    if (wrong == 3) break;
  }
  ASSERT_EQ(wrong, 3);
  json::array signals = Signals(id);
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(Str(signals[0], "rule"), "failed_codes");
  EXPECT_TRUE(signals[0].at("request_id").is_null());
  EXPECT_EQ(Int(signals[0].at("figures"), "failed_checks"), 3);
  EXPECT_EQ(Int(signals[0].at("figures"), "window_minutes"), 60);
  EXPECT_TRUE(HasFraudHold(Account(id)));
  ExpectProblem(guess("444444"), 422, "code", "invalid_code");
  EXPECT_EQ(Signals(id).size(), 1u) << "the rule fires once, on the check that reaches it";
}

TEST_P(FraudRules, AFraudAlertEventPlacesAFraudReviewHold) {
  std::string id = Str(NewAccount(), "id");
  json::object receipt =
      Send(NewEventId(), "fraud.alert",
           {{"account_id", id}, {"alert_id", "A-77"}, {"reason", "card testing"}});
  EXPECT_EQ(Str(receipt, "outcome"), "suspended") << json::serialize(receipt);
  EXPECT_TRUE(HasFraudHold(Account(id)));
  json::array signals = Signals(id);
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(Str(signals[0], "rule"), "alert");
  EXPECT_EQ(Str(signals[0].at("figures"), "alert_id"), "A-77");
  EXPECT_EQ(Str(signals[0].at("figures"), "reason"), "card testing");
  EXPECT_FALSE(Str(signals[0], "hold_request_id").empty());

  json::object again = Send(NewEventId(), "fraud.alert", {{"account_id", id}});
  EXPECT_EQ(Str(again, "outcome"), "already_under_review");
  EXPECT_EQ(Signals(id).size(), 2u);
  HttpResponse bad =
      Post(EventBody(NewEventId(), "fraud.alert", {{"account_id", id}, {"x", 1}}), secret_);
  ExpectProblem(bad, 400, "data.x");
}

INSTANTIATE_TEST_SUITE_P(Backends, FraudRules, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
