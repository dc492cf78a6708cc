#include "app/events/event_data.h"

#include <gtest/gtest.h>

namespace sb::app::events {
namespace {

namespace json = boost::json;

constexpr Timestamp kNow = 1'800'000'000'000;

json::object Data(const std::string& text) { return json::parse(text).as_object(); }

Result<EventData> Parse(const std::string& type, const std::string& data) {
  return ParseEventData(type, Data(data), kNow);
}

TEST(EventData, ReadsEveryTypeItActsOn) {
  auto paid = Parse("payment.received", R"({"external_ref":"C-1","amount_minor":10,
                                            "currency":"EUR"})");
  ASSERT_TRUE(paid.ok()) << paid.status().ToString();
  const auto& p = std::get<PaymentReceived>(*paid);
  EXPECT_EQ(p.account.external_ref, "C-1");
  EXPECT_EQ(p.amount_minor, 10);

  auto failed = Parse("payment.failed", R"({"account_id":"acc_1","reason":"card_declined"})");
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_EQ(std::get<PaymentFailed>(*failed).reason, "card_declined");
  EXPECT_FALSE(std::get<PaymentFailed>(*failed).amount_minor.has_value());

  auto kyc = Parse("kyc.completed", R"({"account_id":"acc_1","kyc_level":0})");
  ASSERT_TRUE(kyc.ok()) << kyc.status().ToString();
  EXPECT_EQ(std::get<KycCompleted>(*kyc).kyc_level, 0);

  auto fault = Parse("fault.reported", R"({"account_id":"acc_1","service_id":"svc_1",
                                          "fault_id":"F-9","description":"fibre cut"})");
  ASSERT_TRUE(fault.ok()) << fault.status().ToString();
  EXPECT_EQ(std::get<Fault>(*fault).service_id, "svc_1");
  EXPECT_FALSE(std::get<Fault>(*fault).resolved);
  auto fixed = Parse("fault.resolved", R"({"account_id":"acc_1"})");
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_TRUE(std::get<Fault>(*fixed).resolved);
  EXPECT_FALSE(std::get<Fault>(*fixed).service_id.has_value());

  auto alert = Parse("fraud.alert", R"({"external_ref":"C-1","alert_id":"A-1","reason":"mule"})");
  ASSERT_TRUE(alert.ok()) << alert.status().ToString();
  EXPECT_EQ(std::get<FraudAlert>(*alert).account.external_ref, "C-1");
  EXPECT_EQ(std::get<FraudAlert>(*alert).alert_id, "A-1");
  EXPECT_EQ(std::get<FraudAlert>(*alert).reason, "mule");

  auto done = Parse("provisioning.failed", R"({"request_id":"req_1","detail":"port busy"})");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_FALSE(std::get<ProvisioningResult>(*done).succeeded);
  EXPECT_EQ(std::get<ProvisioningResult>(*done).detail, "port busy");

  auto idle = Parse("customer.inactive",
                    R"({"account_id":"acc_1","inactive_since":"2026-01-01T00:00:00Z"})");
  ASSERT_TRUE(idle.ok()) << idle.status().ToString();
  EXPECT_EQ(std::get<CustomerInactive>(*idle).inactive_since, ParseRfc3339("2026-01-01T00:00:00Z"));

  auto other = Parse("invoice.issued", R"({"anything":[1,2]})");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(std::holds_alternative<Ignored>(*other));
}

TEST(EventData, RefusesDataThatDoesNotFitTheType) {
  struct Case {
    const char* type;
    const char* data;
    const char* param;
  } cases[] = {
      {"payment.received", R"({"account_id":"a","amount_minor":0,"currency":"EUR"})",
       "data.amount_minor"},
      {"payment.received", R"({"account_id":"a","amount_minor":1.5,"currency":"EUR"})",
       "data.amount_minor"},
      {"payment.received", R"({"account_id":"a","amount_minor":5})", "data.currency"},
      {"payment.failed", R"({"account_id":"a","amount":5})", "data.amount"},
      {"payment.failed", R"({"account_id":"a","external_ref":"C-1"})", "data.account_id"},
      {"payment.failed", R"({})", "data.account_id"},
      {"payment.failed", R"({"account_id":"a","reason":7})", "data.reason"},
      {"payment.failed", R"({"account_id":"a","amount_minor":"5"})", "data.amount_minor"},
      {"kyc.completed", R"({"account_id":"a"})", "data.kyc_level"},
      {"kyc.completed", R"({"account_id":"a","kyc_level":4})", "data.kyc_level"},
      {"kyc.completed", R"({"account_id":"a","kyc_level":true})", "data.kyc_level"},
      {"kyc.completed", R"({"account_id":"","kyc_level":1})", "data.account_id"},
      {"fault.reported", R"({"account_id":"a","service_id":5})", "data.service_id"},
      {"fault.reported", R"({"account_id":"a","severity":"high"})", "data.severity"},
      {"fault.resolved", R"({"account_id":"a","description":"fixed"})", "data.description"},
      {"provisioning.completed", R"({})", "data.request_id"},
      {"provisioning.completed", R"({"request_id":"r","account_id":"a"})", "data.account_id"},
      {"provisioning.failed", R"({"request_id":"r","detail":""})", "data.detail"},
      {"fraud.alert", R"({"account_id":"a","score":99})", "data.score"},
      {"fraud.alert", R"({"account_id":"a","reason":5})", "data.reason"},
      {"fraud.alert", R"({})", "data.account_id"},
      {"customer.inactive", R"({"account_id":"a","inactive_since":"last year"})",
       "data.inactive_since"},
      {"customer.inactive", R"({"account_id":"a","inactive_since":"2100-01-01T00:00:00Z"})",
       "data.inactive_since"},
  };
  for (const Case& c : cases) {
    auto r = Parse(c.type, c.data);
    ASSERT_FALSE(r.ok()) << c.type << " " << c.data;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << c.type << " " << c.data;
    EXPECT_EQ(r.status().param(), c.param) << c.type << " " << c.data;
  }
}

}  // namespace
}  // namespace sb::app::events
