#pragma once

// A fixture for inbound-event tests: a tenant of its own (a new signing secret replaces the
// old one) with its events secret, and helpers to sign and post events.

#include <boost/json.hpp>
#include <string>

#include "common/time.h"
#include "crypto/webhook_signature.h"
#include "tests/functional/tenant_fixture.h"

namespace sb::testing {

class EventsTest : public OwnTenant {
 protected:
  void SetUp() override {
    OwnTenant::SetUp();
    if (HasFatalFailure()) return;
    secret_ = server().RunCli({"events", "secret", "--tenant", tenant_});
    ASSERT_EQ(secret_.rfind("whsec_", 0), 0u) << secret_;
  }

  // The server's clock, in seconds (its test clock may have been moved).
  Timestamp ServerNowSeconds() {
    HttpResponse now = Call("POST", "/v1/test/clock", R"({"advance_seconds":0})");
    EXPECT_EQ(now.status, 200) << now.body;
    return ParseRfc3339(Str(now.Json(), "now")).value_or(0) / kMillisPerSecond;
  }

  static std::string NewEventId() { return "evt_" + NewRef(); }

  // The envelope of one event.
  static std::string EventBody(const std::string& event_id, const std::string& type,
                               const boost::json::object& data) {
    return boost::json::serialize(
        boost::json::object{{"id", event_id}, {"type", type}, {"data", data}});
  }

  std::string PaymentBody(const std::string& event_id, const std::string& account,
                          std::int64_t amount) {
    return EventBody(event_id, "payment.received",
                     {{"account_id", account}, {"amount_minor", amount}, {"currency", "EUR"}});
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

  // Posts one event signed with the tenant's secret; expects 200 and returns its receipt.
  boost::json::object Send(const std::string& event_id, const std::string& type,
                           const boost::json::object& data) {
    HttpResponse r = Post(EventBody(event_id, type, data), secret_);
    EXPECT_EQ(r.status, 200) << type << ": " << r.body;
    return r.status == 200 ? r.Json().as_object() : boost::json::object{};
  }

  // A suspended account: one service, a non-payment hold, 45.99 due.
  std::string SuspendedAccount() {
    std::string id = Str(NewAccount({{"amount_due_minor", 4599}}), "id");
    HttpResponse hold = Api("POST", "/v1/accounts/" + id + "/holds",
                            R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
    EXPECT_EQ(hold.status, 201) << hold.body;
    return id;
  }

  std::string secret_;
};

}  // namespace sb::testing
