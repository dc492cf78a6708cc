// SMS through the tenant's HTTP gateway, end to end: both body shapes as a receiver on
// 127.0.0.1 gets them, the gateway's message id, and the signed delivery receipts that settle
// a message (an unsigned, badly signed, unknown or repeated receipt changes nothing).

#include <gtest/gtest.h>

#include <optional>

#include "crypto/crypto.h"
#include "crypto/webhook_signature.h"
#include "tests/support/notification_fixture.h"
#include "tests/support/webhook_receiver.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class SmsDelivery : public NotificationTest {
 protected:
  // PUT /v1/notification-channels/sms with `body`; the receipt secret it answered.
  std::string UseSms(const json::object& body) {
    HttpResponse r = Api("PUT", "/v1/notification-channels/sms", json::serialize(body));
    EXPECT_EQ(r.status, 200) << r.body;
    return Str(r.Json(), "receipt_secret");
  }

  static domain::Notification Sms(const std::string& to) {
    domain::Notification n;
    n.to = to;
    n.text = "Votre ligne est rétablie & active.";
    n.template_id = "shipped:reconnected";
    n.locale = "fr";
    return n;
  }

  // Posts a receipt signed with `secret` ("" for none).
  HttpResponse Receipt(const json::object& body, const std::string& secret) {
    std::string text = json::serialize(body);
    Headers h;
    if (!secret.empty()) {
      Timestamp ts = ServerNowSeconds();
      std::string id = "rcp_" + NewRef();
      std::string key = crypto::DecodeWebhookSecret(secret).value();
      h = {{"webhook-id", id},
           {"webhook-timestamp", std::to_string(ts)},
           {"webhook-signature", crypto::SignWebhook(key, id, ts, text)}};
    }
    return CallAs("", "POST", "/v1/notification-receipts/" + tenant_, text, h);
  }

  // The gateway's request for message `id`, by its Idempotency-Key: the demo tenant's own
  // notices, pending since it was created, may reach the gateway too.
  static std::optional<ReceivedRequest> RequestFor(const WebhookReceiver& gateway,
                                                   const std::string& id) {
    std::optional<ReceivedRequest> found;
    Eventually([&] {
      for (const ReceivedRequest& r : gateway.Requests()) {
        if (r.Header("idempotency-key") == id) found = r;
      }
      return found.has_value();
    });
    return found;
  }
};

TEST_P(SmsDelivery, TheJsonShapeGoesOutAndASignedReceiptMarksItDelivered) {
  WebhookReceiver gateway({201});
  std::string secret = UseSms({{"gateway_url", gateway.Url("/sms")},
                               {"auth", "bearer"},
                               {"token", "tok-123"},
                               {"sender_id", "Switchboard"},
                               {"body_shape", "json"}});
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u) << "the receipt secret, shown once";
  std::string id = Enqueue("sms", Sms("+33612345678"));
  std::optional<ReceivedRequest> sent = RequestFor(gateway, id);
  ASSERT_TRUE(sent.has_value());
  const ReceivedRequest& got = *sent;
  EXPECT_EQ(got.Header("authorization"), "Bearer tok-123");
  json::object body = json::parse(got.body).as_object();
  EXPECT_EQ(Str(body, "to"), "+33612345678");
  EXPECT_EQ(Str(body, "from"), "Switchboard");
  EXPECT_EQ(Str(body, "text"), "Votre ligne est rétablie & active.");
  EXPECT_EQ(Str(body, "reference"), id);
  ASSERT_TRUE(WaitForState(id, "sent"));

  // The receipt names the reference the json shape sent.
  json::object delivered{{"reference", id}, {"status", "delivered"}};
  ExpectProblem(Receipt(delivered, ""), 401);
  ExpectProblem(Receipt(delivered, "whsec_" + crypto::Base64(std::string(32, 'x'))), 401, "",
                "bad_signature");
  EXPECT_EQ(Str(Message(id), "state"), "sent") << "refused receipts change nothing";

  HttpResponse r = Receipt(delivered, secret);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.Json().as_object().at("changed").as_bool());
  EXPECT_EQ(Str(r.Json(), "message_id"), id);
  EXPECT_EQ(Str(Message(id), "state"), "delivered");

  HttpResponse late = Receipt({{"reference", id}, {"status", "failed"}}, secret);
  ASSERT_EQ(late.status, 200) << late.body;
  EXPECT_FALSE(late.Json().as_object().at("changed").as_bool());
  EXPECT_EQ(Str(Message(id), "state"), "delivered");
  HttpResponse unknown = Receipt({{"reference", "gw-nope"}, {"status", "delivered"}}, secret);
  ASSERT_EQ(unknown.status, 200) << unknown.body;
  EXPECT_FALSE(unknown.Json().as_object().at("changed").as_bool());
  ExpectProblem(Receipt({{"reference", id}, {"status", "maybe"}}, secret), 400, "status");
}

TEST_P(SmsDelivery, TheFormShapeGoesOutWithBasicAuthAndAnUndeliveredReceiptFailsIt) {
  WebhookReceiver gateway({200});
  std::string secret = UseSms({{"gateway_url", gateway.Url("/2010-04-01/Messages.json")},
                               {"auth", "basic"},
                               {"username", "AC42"},
                               {"password", "s3cret"},
                               {"sender_id", "+15005550006"},
                               {"body_shape", "form"},
                               {"status_callback_url", "https://client.example/cb"}});
  std::string id = Enqueue("sms", Sms("+33612345678"));
  std::optional<ReceivedRequest> sent = RequestFor(gateway, id);
  ASSERT_TRUE(sent.has_value());
  const ReceivedRequest& got = *sent;
  EXPECT_EQ(got.Header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(got.Header("authorization"), "Basic " + crypto::Base64("AC42:s3cret"));
  EXPECT_EQ(got.body,
            "To=%2B33612345678&From=%2B15005550006&Body=Votre+ligne+est+r%C3%A9tablie+%26+"
            "active.&StatusCallback=https%3A%2F%2Fclient.example%2Fcb");
  ASSERT_TRUE(WaitForState(id, "sent"));
  HttpResponse r = Receipt({{"reference", id}, {"status", "undelivered"}}, secret);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Str(Message(id), "state"), "failed");
}

TEST_P(SmsDelivery, AGatewayRefusingTheNumberFailsTheMessageWithoutRetry) {
  WebhookReceiver gateway({400});
  UseSms({{"gateway_url", gateway.Url("/sms")},
          {"auth", "bearer"},
          {"token", "t"},
          {"sender_id", "Switchboard"},
          {"body_shape", "json"}});
  std::string id = Enqueue("sms", Sms("+33600000000"));
  ASSERT_TRUE(WaitForState(id, "failed"));
  EXPECT_EQ(Int(Message(id), "attempts"), 1);
  EXPECT_EQ(Str(Message(id), "last_error"), "HTTP 400");
}

INSTANTIATE_TEST_SUITE_P(Backends, SmsDelivery, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
