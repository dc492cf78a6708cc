// A delivery is read only once its signature verifies (app/events/event_envelope.h).
#include "app/events/event_envelope.h"

#include <gtest/gtest.h>

#include "crypto/webhook_signature.h"

namespace sb::app::events {
namespace {

constexpr Timestamp kEnvelopeNow = 1'800'000'000'000;
constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";

EventHeaders Signed(std::string_view body) {
  Timestamp ts = kEnvelopeNow / kMillisPerSecond;
  return {"msg_1", std::to_string(ts), crypto::SignWebhook(kSecret, "msg_1", ts, body)};
}

TEST(CheckEvent, ReadsASignedDeliveryIntoItsData) {
  std::string body =
      R"({"id":"evt_1","type":"kyc.completed","data":{"account_id":"acc_1","kyc_level":2}})";
  auto event = CheckEvent(kSecret, Signed(body), body, "ten_a", kEnvelopeNow);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->envelope.id, "evt_1");
  EXPECT_EQ(std::get<KycCompleted>(event->data).kyc_level, 2);
}

TEST(CheckEvent, RefusesTheSignatureBeforeReadingTheBody) {
  std::string body = "{not json";
  EventHeaders headers = Signed("{}");
  auto forged = CheckEvent(kSecret, headers, body, "ten_a", kEnvelopeNow);
  EXPECT_EQ(forged.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(forged.status().param(), "webhook-signature");
  auto signed_junk = CheckEvent(kSecret, Signed(body), body, "ten_a", kEnvelopeNow);
  EXPECT_EQ(signed_junk.status().reason(), "invalid_json");
}

TEST(CheckEvent, RefusesAnEnvelopeForAnotherTenantOrWithAnUnknownField) {
  std::string other = R"({"id":"e","type":"x","tenant_id":"ten_b","data":{}})";
  EXPECT_EQ(CheckEvent(kSecret, Signed(other), other, "ten_a", kEnvelopeNow).status().param(),
            "tenant_id");
  std::string extra = R"({"id":"e","type":"x","colour":"red","data":{}})";
  EXPECT_EQ(CheckEvent(kSecret, Signed(extra), extra, "ten_a", kEnvelopeNow).status().reason(),
            "unknown_field");
}

}  // namespace
}  // namespace sb::app::events
