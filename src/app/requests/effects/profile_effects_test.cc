// The account-data request effects over a real SQLite store: what the profile shows after
// each type, what each refuses, and that personal data never lands in clear in the
// request's payload, its result or its audit entries.
#include "tests/support/profile_effects_fixture.h"

namespace sb::app {
namespace {

using domain::AuditCategory;
using domain::RequestType;

constexpr const char* kCard = "tok_visa_01";

json::object Card(int month = 12, int year = 2030, const char* token = kCard) {
  return {{"token", token},
          {"brand", "visa"},
          {"last4", "4242"},
          {"exp_month", month},
          {"exp_year", year}};
}

TEST_F(ProfileEffectsTest, PersonalInfoUpdatePatchesTheProfileWithSealedAudit) {
  auto result = Run(RequestType::kPersonalInfoUpdate,
                    {{"name", "Jane Roe"}, {"email", "roe@example.org"}, {"phone", kPhone}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(json::serialize(*result), R"({"fields_changed":["name","email"]})");
  domain::Profile p = OpenedProfile();
  EXPECT_EQ(p.name, "Jane Roe");
  EXPECT_EQ(p.email, "roe@example.org");
  EXPECT_EQ(p.phone, kPhone);
  json::object stored = json::parse(Stored().payload_json).as_object();
  EXPECT_EQ(json::serialize(stored.at("fields")), R"(["name","email","phone"])");
  EXPECT_TRUE(stored.at("sealed").is_string());
  auto audit = AuditOfLastRequest();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "customer.data_changed");
  EXPECT_EQ(audit[0].category, AuditCategory::kCustomerData);
  EXPECT_NE(audit[0].after_json.find("\"email\":\"sealed:"), std::string::npos);
  ExpectNothingInClear({"roe@example.org", "Jane Roe", kEmail});
  EXPECT_EQ(View().account.version, version_before_ + 1);
}

TEST_F(ProfileEffectsTest, NotificationPreferencesChangeByRequestAndAreAuditedSealed) {
  json::object prefs{{"locale", "fr"},
                     {"time_zone", "America/Montreal"},
                     {"opt_out", json::array{"sms", "email", "sms"}},
                     {"marketing_consent", true}};
  auto result = Run(RequestType::kPersonalInfoUpdate, {{"notification_preferences", prefs}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(json::serialize(*result), R"({"fields_changed":["notification_preferences"]})");
  domain::NotificationPreferences p = OpenedProfile().notifications;
  EXPECT_EQ(p.locale, "fr");
  EXPECT_EQ(p.time_zone, "America/Montreal");
  EXPECT_EQ(p.opt_out, (std::vector<std::string>{"email", "sms"}));
  EXPECT_TRUE(p.marketing_consent);
  EXPECT_EQ(p.marketing_consent_at, clock_.Now());
  auto audit = AuditOfLastRequest();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_NE(audit[0].after_json.find("\"notification_preferences\":\"sealed:"), std::string::npos)
      << audit[0].after_json;
  ExpectNothingInClear({"America/Montreal"});

  // Consent given again keeps its date; withdrawn, it is forgotten.
  Timestamp given = clock_.Now();
  clock_.Advance(60'000);
  ASSERT_TRUE(Run(RequestType::kPersonalInfoUpdate,
                  {{"notification_preferences", {{"marketing_consent", true}, {"locale", ""}}}})
                  .ok());
  EXPECT_EQ(OpenedProfile().notifications.marketing_consent_at, given);
  EXPECT_EQ(OpenedProfile().notifications.locale, "");
  ASSERT_TRUE(Run(RequestType::kPersonalInfoUpdate,
                  {{"notification_preferences", {{"marketing_consent", false}}}})
                  .ok());
  EXPECT_FALSE(OpenedProfile().notifications.marketing_consent);
  EXPECT_FALSE(OpenedProfile().notifications.marketing_consent_at.has_value());
  EXPECT_EQ(OpenedProfile().notifications.time_zone, "America/Montreal");
}

TEST_F(ProfileEffectsTest, BillingInfoUpdateStoresTheCardButShowsNoToken) {
  auto result = Run(RequestType::kBillingInfoUpdate,
                    {{"payment_method", Card()}, {"billing_address", "9 Billing Rd"}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(json::serialize(*result),
            R"({"fields_changed":["payment_method","billing_address"],)"
            R"("payment_method":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030}})");
  domain::Profile p = OpenedProfile();
  ASSERT_TRUE(p.payment_method.has_value());
  EXPECT_EQ(p.payment_method->token, kCard);
  EXPECT_EQ(p.billing_address, "9 Billing Rd");
  auto audit = AuditOfLastRequest();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "customer.billing_changed");
  EXPECT_EQ(audit[0].category, AuditCategory::kPayment);
  EXPECT_NE(audit[0].after_json.find(R"("brand":"visa","last4":"4242")"), std::string::npos);
  ExpectNothingInClear({kCard, "9 Billing Rd"});
}

TEST_F(ProfileEffectsTest, CardExpiresAtTheEndOfItsMonth) {
  // The clock stands in June 2027.
  EXPECT_TRUE(Run(RequestType::kBillingInfoUpdate, {{"payment_method", Card(6, 2027)}}).ok());
  ExpectRefused(Run(RequestType::kBillingInfoUpdate, {{"payment_method", Card(5, 2027)}}),
                Code::kInvalidArgument, "card_expired", "payload.payment_method.exp_month");
  ExpectRefused(Run(RequestType::kBillingInfoUpdate, {{"payment_method", Card(12, 2026)}}),
                Code::kInvalidArgument, "card_expired", "payload.payment_method.exp_year");
}

TEST_F(ProfileEffectsTest, AccessChangeAddsUpdatesAndRemovesAuthorizedUsers) {
  auto added = Run(RequestType::kAccessChange, {{"action", "add"},
                                                {"name", "Sam Helper"},
                                                {"email", "sam@example.net"},
                                                {"permission", "view"}});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  std::string id(added->at("user_id").as_string());
  EXPECT_EQ(id.rfind("usr_", 0), 0u);
  EXPECT_EQ(added->at("permission"), "view");
  ExpectNothingInClear({"sam@example.net", "Sam Helper"});
  auto audit = AuditOfLastRequest();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "access.changed");
  EXPECT_EQ(audit[0].category, AuditCategory::kAccess);
  EXPECT_EQ(audit[0].after_json, json::serialize(*added));

  auto updated = Run(RequestType::kAccessChange,
                     {{"action", "update"}, {"user_id", id}, {"permission", "full"}});
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  domain::Profile p = OpenedProfile();
  ASSERT_EQ(p.authorized_users.size(), 1u);
  EXPECT_EQ(p.authorized_users[0].email, "sam@example.net");
  EXPECT_EQ(p.authorized_users[0].permission, "full");

  auto removed = Run(RequestType::kAccessChange, {{"action", "remove"}, {"user_id", id}});
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(json::serialize(*removed),
            R"({"action":"remove","user_id":")" + id + R"(","permission":"full"})");
  EXPECT_TRUE(OpenedProfile().authorized_users.empty());
}

TEST_F(ProfileEffectsTest, AccessChangeAllowsAtMostTenUsers) {
  for (int i = 0; i < 10; ++i) {
    auto r = Run(RequestType::kAccessChange,
                 {{"action", "add"}, {"email", "u@example.net"}, {"permission", "view"}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  ExpectRefused(Run(RequestType::kAccessChange,
                    {{"action", "add"}, {"email", "u@example.net"}, {"permission", "view"}}),
                Code::kUnprocessable, "too_many_users", "payload.action");
}

TEST_F(ProfileEffectsTest, OwnershipTransferStartsTheNewOwnerFresh) {
  ASSERT_TRUE(Run(RequestType::kAccessChange,
                  {{"action", "add"}, {"email", "sam@example.net"}, {"permission", "full"}})
                  .ok());
  ASSERT_TRUE(Run(RequestType::kSecuritySettingsChange,
                  {{"two_factor", true}, {"two_factor_method", "sms"}})
                  .ok());
  ASSERT_TRUE(Run(RequestType::kPersonalInfoUpdate,
                  {{"notification_preferences", {{"locale", "fr"}, {"marketing_consent", true}}}})
                  .ok());
  auto result = Run(RequestType::kOwnershipTransfer,
                    {{"new_owner", {{"name", "Max Newman"}, {"email", "max@example.org"}}}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(json::serialize(*result), R"({"owner_changed":true,"authorized_users_removed":1})");
  domain::Profile p = OpenedProfile();
  EXPECT_EQ(p.name, "Max Newman");
  EXPECT_EQ(p.email, "max@example.org");
  EXPECT_EQ(p.phone, "");
  EXPECT_TRUE(p.authorized_users.empty());
  EXPECT_FALSE(p.security.two_factor);
  // The previous owner's consent is not the new owner's.
  EXPECT_FALSE(p.notifications.marketing_consent);
  EXPECT_EQ(p.notifications.locale, "");
  auto audit = AuditOfLastRequest();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "account.owner_changed");
  EXPECT_EQ(audit[0].category, AuditCategory::kCustomerData);
  ExpectNothingInClear({"max@example.org", "Max Newman", kEmail, "Jane Doe"});
}

TEST_F(ProfileEffectsTest, SecuritySettingsChangeRecordsResetsForTheClient) {
  auto result = Run(RequestType::kSecuritySettingsChange,
                    {{"two_factor", true}, {"two_factor_method", "totp"}, {"reset_pin", true}});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->at("two_factor"), true);
  EXPECT_EQ(result->at("two_factor_method"), "totp");
  EXPECT_EQ(result->at("pin_reset"), true);
  EXPECT_EQ(result->at("pin_reset_at"), json::value(FormatRfc3339(clock_.Now())));
  EXPECT_TRUE(result->at("password_reset_at").is_null());
  domain::Profile p = OpenedProfile();
  EXPECT_TRUE(p.security.two_factor);
  EXPECT_EQ(p.security.pin_reset_at, clock_.Now());
  auto audit = AuditOfLastRequest();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "security.settings_changed");
  EXPECT_EQ(audit[0].category, AuditCategory::kSecurity);

  auto off = Run(RequestType::kSecuritySettingsChange, {{"two_factor", false}});
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off->at("two_factor_method"), "");
  EXPECT_EQ(OpenedProfile().security.pin_reset_at, p.security.pin_reset_at);
}

TEST_F(ProfileEffectsTest, ApplyChecksTheAccountAgain) {
  auto filed = File(RequestType::kPersonalInfoUpdate, {{"email", "later@example.org"}});
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  PlaceHold(domain::HoldType::kFraudReview);
  ExpectRefused(Apply(*filed), Code::kConflict, "changes_blocked", "");
  EXPECT_EQ(OpenedProfile().email, kEmail);
}

}  // namespace
}  // namespace sb::app
