// Inbound events: a signed payment.received settles the balance and reconnects the account;
// redeliveries change nothing; unsigned or wrongly signed events are refused.

#include "common/time.h"
#include "crypto/webhook_signature.h"
#include "tests/functional/fixture.h"

namespace sb::testing {
namespace {

class Events : public Functional {
 protected:
  void SetUp() override {
    Functional::SetUp();
    // A tenant of its own: tests run in parallel and a new secret replaces the old one.
    tenant_ = server().RunCli({"tenant", "create", "--name", "Events Telecom"});
    ASSERT_FALSE(tenant_.empty()) << "tenant create failed";
    key_ = server().RunCli(
        {"apikey", "create", "--tenant", tenant_, "--role", "admin", "--name", "events"});
    ASSERT_FALSE(key_.empty()) << "apikey create failed";
    secret_ = server().RunCli({"events", "secret", "--tenant", tenant_});
    ASSERT_EQ(secret_.rfind("whsec_", 0), 0u) << secret_;
  }

  // The server's clock, in seconds (its test clock may have been moved).
  Timestamp ServerNowSeconds() {
    HttpResponse now = Call("POST", "/v1/test/clock", R"({"advance_seconds":0})");
    EXPECT_EQ(now.status, 200) << now.body;
    return ParseRfc3339(Str(now.Json(), "now")).value_or(0) / kMillisPerSecond;
  }

  std::string PaymentBody(const std::string& event_id, const std::string& account,
                          std::int64_t amount) {
    return boost::json::serialize(boost::json::object{
        {"id", event_id},
        {"type", "payment.received"},
        {"data", {{"account_id", account}, {"amount_minor", amount}, {"currency", "EUR"}}}});
  }

  // Posts `body` signed with `secret` ("" for no signature headers at all).
  HttpResponse Post(const std::string& body, const std::string& secret) {
    Headers h;
    if (!secret.empty()) {
      Timestamp ts = ServerNowSeconds();
      std::string msg_id = "msg_" + NewRef();
      std::string key = crypto::DecodeWebhookSecret(secret).value();
      h = {{"webhook-id", msg_id},
           {"webhook-timestamp", std::to_string(ts)},
           {"webhook-signature", crypto::SignWebhook(key, msg_id, ts, body)}};
    }
    return CallAs("", "POST", "/v1/events/" + tenant_, body, h);
  }

  // A suspended account: one service, a non-payment hold, 45.99 due.
  std::string SuspendedAccount() {
    boost::json::object body{{"external_ref", NewRef()},
                             {"name", "Late Payer"},
                             {"amount_due_minor", 4599},
                             {"plans", boost::json::array{"mobile_basic"}}};
    HttpResponse r = Api("POST", "/v1/accounts", boost::json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    std::string id = Str(r.Json().at("account"), "id");
    HttpResponse hold = Api("POST", "/v1/accounts/" + id + "/holds", R"({"type":"non_payment"})",
                            {{"X-Reason", "non_payment"}});
    EXPECT_EQ(hold.status, 201) << hold.body;
    return id;
  }

  boost::json::array Requests(const std::string& account) {
    HttpResponse r = Api("GET", "/v1/requests?limit=100&account_id=" + account);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json().at("data").as_array();
  }

  // A call with the test tenant's admin key.
  HttpResponse Api(const std::string& method, const std::string& target,
                   const std::string& body = "", Headers headers = {}) {
    return CallAs(key_, method, target, body, std::move(headers));
  }
  boost::json::object Account(const std::string& id) {
    HttpResponse r = Api("GET", "/v1/accounts/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : boost::json::object{};
  }

  std::string tenant_;
  std::string key_;
  std::string secret_;
};

TEST_P(Events, PaymentClearingTheBalanceReconnects) {
  std::string id = SuspendedAccount();
  ASSERT_EQ(Str(Account(id), "status"), "suspended");
  std::string event_id = "evt_" + NewRef();
  HttpResponse r = Post(PaymentBody(event_id, id, 4599), secret_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.Json().at("duplicate").as_bool());
  EXPECT_EQ(Str(r.Json(), "outcome"), "reconnected");

  boost::json::object a = Account(id);
  EXPECT_EQ(Str(a, "status"), "active");
  EXPECT_EQ(Str(a.at("services").as_array().at(0), "status"), "active");
  EXPECT_EQ(a.at("amount_due_minor").as_int64(), 0);
  boost::json::array reqs = Requests(id);
  bool reconnected = false;
  for (const auto& q : reqs) {
    reconnected |= Str(q, "type") == "reconnection" && Str(q, "origin") == "automated" &&
                   Str(q, "state") == "completed";
  }
  EXPECT_TRUE(reconnected) << boost::json::serialize(reqs);

  HttpResponse again = Post(PaymentBody(event_id, id, 4599), secret_);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.Json().at("duplicate").as_bool());
  EXPECT_EQ(Str(again.Json(), "outcome"), "reconnected");
  EXPECT_EQ(Requests(id).size(), reqs.size());
  EXPECT_EQ(Account(id).at("version"), a.at("version"));
}

TEST_P(Events, UnsignedOrWronglySignedEventsChangeNothing) {
  std::string id = SuspendedAccount();
  size_t before = Requests(id).size();
  ExpectProblem(Post(PaymentBody("evt_" + NewRef(), id, 4599), ""), 401, "webhook-id");
  std::string wrong = "whsec_" + std::string("c2VjcmV0LXRoYXQtaXMtbm90LXRoZS10ZW5hbnRzLWtleQ==");
  ExpectProblem(Post(PaymentBody("evt_" + NewRef(), id, 4599), wrong), 401, "webhook-signature");
  boost::json::object a = Account(id);
  EXPECT_EQ(Str(a, "status"), "suspended");
  EXPECT_EQ(a.at("amount_due_minor").as_int64(), 4599);
  EXPECT_EQ(Requests(id).size(), before);
}

TEST_P(Events, PartialPaymentLowersTheBalanceAndKeepsTheHold) {
  std::string id = SuspendedAccount();
  HttpResponse r = Post(PaymentBody("evt_" + NewRef(), id, 1000), secret_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Str(r.Json(), "outcome"), "payment_applied");
  boost::json::object a = Account(id);
  EXPECT_EQ(a.at("amount_due_minor").as_int64(), 3599);
  EXPECT_EQ(Str(a, "status"), "suspended");
}

TEST_P(Events, MalformedEnvelopesAndUnknownAccountsAreRefused) {
  ExpectProblem(Post(R"({"type":"payment.received","data":{}})", secret_), 400, "id");
  ExpectProblem(Post(PaymentBody("evt_" + NewRef(), "acc_nosuchaccount", 10), secret_), 404,
                "data.account_id");
  HttpResponse ignored =
      Post(R"({"id":"evt_)" + NewRef() + R"(","type":"kyc.completed","data":{}})", secret_);
  ASSERT_EQ(ignored.status, 200) << ignored.body;
  EXPECT_EQ(Str(ignored.Json(), "outcome"), "ignored");
}

INSTANTIATE_TEST_SUITE_P(Backends, Events, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
