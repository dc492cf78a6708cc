// Inbound events about payments: a signed payment.received settles the balance, reconnects
// the account and moves requests waiting for it; consecutive payment.failed events suspend
// it at the policy's threshold; redeliveries change nothing; unsigned or wrongly signed
// events are refused.

#include "tests/support/events_fixture.h"

namespace sb::testing {
namespace {

class Events : public EventsTest {};

TEST_P(Events, PaymentClearingTheBalanceReconnects) {
  std::string id = SuspendedAccount();
  ASSERT_EQ(Str(Account(id), "status"), "suspended");
  std::string event_id = NewEventId();
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
  ExpectProblem(Post(PaymentBody(NewEventId(), id, 4599), ""), 401, "webhook-id");
  std::string wrong = "whsec_" + std::string("c2VjcmV0LXRoYXQtaXMtbm90LXRoZS10ZW5hbnRzLWtleQ==");
  ExpectProblem(Post(PaymentBody(NewEventId(), id, 4599), wrong), 401, "webhook-signature");
  boost::json::object a = Account(id);
  EXPECT_EQ(Str(a, "status"), "suspended");
  EXPECT_EQ(a.at("amount_due_minor").as_int64(), 4599);
  EXPECT_EQ(Requests(id).size(), before);
}

TEST_P(Events, PartialPaymentLowersTheBalanceAndKeepsTheHold) {
  std::string id = SuspendedAccount();
  HttpResponse r = Post(PaymentBody(NewEventId(), id, 1000), secret_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Str(r.Json(), "outcome"), "payment_applied");
  boost::json::object a = Account(id);
  EXPECT_EQ(a.at("amount_due_minor").as_int64(), 3599);
  EXPECT_EQ(Str(a, "status"), "suspended");
}

TEST_P(Events, MalformedEnvelopesAndUnknownAccountsAreRefused) {
  ExpectProblem(Post(R"({"type":"payment.received","data":{}})", secret_), 400, "id");
  ExpectProblem(Post(PaymentBody(NewEventId(), "acc_nosuchaccount", 10), secret_), 404,
                "data.account_id");
  boost::json::object ignored = Send(NewEventId(), "invoice.issued", {{"anything", 1}});
  EXPECT_EQ(Str(ignored, "outcome"), "ignored");
}

TEST_P(Events, PaymentReceivedMovesARequestWaitingForPayment) {
  std::string id = SuspendedAccount();
  boost::json::object filed = File(
      {{"type", "reconnection"}, {"account_id", id}, {"service_id", FirstServiceId(Account(id))}},
      "payment_received");
  ASSERT_EQ(Str(filed, "state"), "awaiting_payment") << boost::json::serialize(filed);
  std::string request = Str(filed, "id");

  boost::json::object receipt =
      Send(NewEventId(), "payment.received",
           {{"account_id", id}, {"amount_minor", 4599}, {"currency", "EUR"}});
  EXPECT_EQ(Str(receipt, "outcome"), "reconnected");
  bool listed = false;
  for (const auto& r : receipt.at("request_ids").as_array()) listed |= r.as_string() == request;
  EXPECT_TRUE(listed) << boost::json::serialize(receipt);
  // The customer's own request completed and reconnected the service; nothing else had to.
  boost::json::object done = Request(request);
  EXPECT_EQ(Str(done, "state"), "completed") << boost::json::serialize(done);
  EXPECT_EQ(Str(done.at("result"), "service_status"), "active");
  EXPECT_EQ(ServiceStatus(id), "active");
  EXPECT_EQ(RequestsOfType(id, "reconnection").size(), 1u);
}

TEST_P(Events, PaymentFailuresSuspendAtTheThresholdAndAPaymentReconnects) {
  boost::json::object created = NewAccount({{"amount_due_minor", 2000}});
  std::string id = Str(created, "id");
  boost::json::object failure{{"account_id", id}, {"reason", "card_declined"}};
  for (int n = 1; n <= 2; ++n) {
    EXPECT_EQ(Str(Send(NewEventId(), "payment.failed", failure), "outcome"), "failure_counted");
    EXPECT_EQ(Account(id).at("failed_payments").as_int64(), n);
    EXPECT_EQ(ServiceStatus(id), "active");
  }
  std::string third = NewEventId();
  boost::json::object suspended = Send(third, "payment.failed", failure);
  EXPECT_EQ(Str(suspended, "outcome"), "suspended");
  EXPECT_EQ(ServiceStatus(id), "suspended");
  EXPECT_EQ(Str(Account(id), "status"), "suspended");
  boost::json::array suspensions = RequestsOfType(id, "suspension");
  ASSERT_EQ(suspensions.size(), 1u);
  const boost::json::value& s = suspensions.at(0);
  EXPECT_EQ(Str(s, "origin"), "involuntary");
  EXPECT_EQ(Str(s, "channel"), "system");
  EXPECT_EQ(Str(s, "reason_code"), "non_payment");
  EXPECT_EQ(Str(s, "state"), "completed");
  EXPECT_EQ(Str(s.at("actor"), "type"), "system");
  EXPECT_EQ(suspended.at("request_ids").at(0).as_string(), Str(s, "id"));

  // A redelivery and a fourth failure neither count twice nor stack a second hold.
  boost::json::object version = Account(id);
  boost::json::object dup = Send(third, "payment.failed", failure);
  EXPECT_TRUE(dup.at("duplicate").as_bool());
  EXPECT_EQ(Str(dup, "outcome"), "suspended");
  EXPECT_EQ(Account(id).at("version"), version.at("version"));
  EXPECT_EQ(Str(Send(NewEventId(), "payment.failed", failure), "outcome"), "failure_counted");
  boost::json::object a = Account(id);
  EXPECT_EQ(a.at("failed_payments").as_int64(), 4);
  EXPECT_EQ(a.at("active_holds").as_array().size(), 1u);
  EXPECT_EQ(RequestsOfType(id, "suspension").size(), 1u);

  boost::json::object paid =
      Send(NewEventId(), "payment.received",
           {{"account_id", id}, {"amount_minor", 2000}, {"currency", "EUR"}});
  EXPECT_EQ(Str(paid, "outcome"), "reconnected");
  a = Account(id);
  EXPECT_EQ(a.at("failed_payments").as_int64(), 0);
  EXPECT_EQ(Str(a, "status"), "active");
  EXPECT_EQ(ServiceStatus(id), "active");
}

TEST_P(Events, ThresholdOffOnlyCounts) {
  ReplacePack([](std::string yaml) {
    return Replace(yaml, "payment_failed_threshold: 3", "payment_failed_threshold: 0");
  });
  std::string id = Str(NewAccount(), "id");
  for (int n = 0; n < 4; ++n) {
    EXPECT_EQ(Str(Send(NewEventId(), "payment.failed", {{"account_id", id}}), "outcome"),
              "failure_counted");
  }
  EXPECT_EQ(Account(id).at("failed_payments").as_int64(), 4);
  EXPECT_EQ(ServiceStatus(id), "active");
}

INSTANTIATE_TEST_SUITE_P(Backends, Events, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
