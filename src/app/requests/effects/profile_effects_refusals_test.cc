// What the account-data request types refuse, and how: the status code, the stable reason
// and the payload field named.
#include "tests/support/profile_effects_fixture.h"

namespace sb::app {
namespace {

using domain::RequestType;

struct Refusal {
  const char* name;
  RequestType type;
  const char* payload;  // JSON object
  Code code;
  const char* reason;
  const char* param;
};

constexpr const char* kPan = "4111 1111 1111 1111";
const std::string kLong(201, 'x');

std::string RefusedCard(const std::string& extra) {
  return R"({"payment_method":{"token":"tok_1","brand":"visa","last4":"4242",)"
         R"("exp_month":12,"exp_year":2030)" +
         extra + "}}";
}

const auto kInvalid = Code::kInvalidArgument;
const auto kRule = Code::kUnprocessable;
const auto kPersonal = RequestType::kPersonalInfoUpdate;
const auto kBilling = RequestType::kBillingInfoUpdate;
const auto kAccess = RequestType::kAccessChange;
const auto kOwner = RequestType::kOwnershipTransfer;
const auto kSecurity = RequestType::kSecuritySettingsChange;

const std::vector<Refusal>& PayloadRefusals() {
  static const std::string long_name = R"({"name":")" + kLong + R"("})";
  static const std::string card_bad_token =
      RefusedCard("").replace(RefusedCard("").find("tok_1"), 5, "tok 1");
  static const std::string card_cvv = RefusedCard(R"(,"cvv":"123")");
  static const std::string card_note = RefusedCard(std::string(R"(,"note":")") + kPan + "\"");
  static const std::string pan_token =
      RefusedCard("").replace(RefusedCard("").find("tok_1"), 5, "4111111111111111");
  static const std::string pan_name = std::string(R"({"name":")") + kPan + "\"}";
  static const std::string pan_key = std::string(R"({"billing_address":"x",")") + kPan + R"(":1})";
  static const std::string pan_owner =
      std::string(R"({"new_owner":{"name":"A","email":"a@b.example","address":")") + kPan + "\"}}";
  static const std::vector<Refusal> cases = {
      {"personal_empty", kPersonal, "{}", kInvalid, "empty_payload", "payload"},
      {"personal_unknown", kPersonal, R"({"nickname":"J"})", kInvalid, "unknown_field",
       "payload.nickname"},
      {"personal_email_no_at", kPersonal, R"({"email":"jane"})", kRule, "invalid_email",
       "payload.email"},
      {"personal_email_two_at", kPersonal, R"({"email":"a@b@c.example"})", kRule, "invalid_email",
       "payload.email"},
      {"personal_email_no_local", kPersonal, R"({"email":"@b.example"})", kRule, "invalid_email",
       "payload.email"},
      {"personal_email_no_domain", kPersonal, R"({"email":"a@"})", kRule, "invalid_email",
       "payload.email"},
      {"personal_email_no_dot", kPersonal, R"({"email":"a@b"})", kRule, "invalid_email",
       "payload.email"},
      {"personal_email_space", kPersonal, R"({"email":"a b@c.example"})", kRule, "invalid_email",
       "payload.email"},
      {"personal_phone_not_e164", kPersonal, R"({"phone":"06 12 34 56 78"})", kRule,
       "invalid_phone", "payload.phone"},
      {"personal_phone_too_short", kPersonal, R"({"phone":"+3312"})", kRule, "invalid_phone",
       "payload.phone"},
      {"personal_prefs_locale", kPersonal, R"({"notification_preferences":{"locale":"de"}})", kRule,
       "unsupported_locale", "payload.notification_preferences.locale"},
      {"personal_prefs_zone", kPersonal,
       R"({"notification_preferences":{"time_zone":"Mars/Olympus_Mons"}})", kRule,
       "unknown_time_zone", "payload.notification_preferences.time_zone"},
      {"personal_prefs_zone_path", kPersonal,
       R"({"notification_preferences":{"time_zone":"../../etc/passwd"}})", kRule,
       "unknown_time_zone", "payload.notification_preferences.time_zone"},
      {"personal_prefs_channel", kPersonal,
       R"({"notification_preferences":{"opt_out":["email","pigeon"]}})", kRule, "unknown_channel",
       "payload.notification_preferences.opt_out"},
      {"personal_prefs_unknown", kPersonal, R"({"notification_preferences":{"language":"fr"}})",
       kInvalid, "unknown_field", "payload.notification_preferences.language"},
      {"personal_prefs_consent_type", kPersonal,
       R"({"notification_preferences":{"marketing_consent":"yes"}})", kInvalid, "invalid",
       "payload.notification_preferences.marketing_consent"},
      {"personal_prefs_empty", kPersonal, R"({"notification_preferences":{}})", kInvalid,
       "empty_payload", "payload"},
      {"owner_email_invalid", kOwner, R"({"new_owner":{"name":"Max","email":"max@"}})", kRule,
       "invalid_email", "payload.new_owner.email"},
      {"owner_phone_invalid", kOwner,
       R"({"new_owner":{"name":"Max","email":"m@x.example","phone":"0612"}})", kRule,
       "invalid_phone", "payload.new_owner.phone"},
      {"personal_name_number", kPersonal, R"({"name":5})", kInvalid, "invalid", "payload.name"},
      {"personal_name_too_long", kPersonal, long_name.c_str(), kInvalid, "invalid", "payload.name"},
      {"billing_empty", kBilling, "{}", kInvalid, "empty_payload", "payload"},
      {"billing_no_token", kBilling, R"({"payment_method":{"brand":"visa"}})", kInvalid, "required",
       "payload.payment_method.token"},
      {"billing_bad_token", kBilling, card_bad_token.c_str(), kInvalid, "invalid",
       "payload.payment_method.token"},
      {"billing_unknown_card_field", kBilling, card_cvv.c_str(), kInvalid, "unknown_field",
       "payload.payment_method.cvv"},
      {"billing_brand", kBilling,
       R"({"payment_method":{"token":"t","brand":"diners","last4":"4242","exp_month":1,"exp_year":2030}})",
       kInvalid, "invalid", "payload.payment_method.brand"},
      {"billing_last4", kBilling,
       R"({"payment_method":{"token":"t","brand":"visa","last4":"42a2","exp_month":1,"exp_year":2030}})",
       kInvalid, "invalid", "payload.payment_method.last4"},
      {"billing_month", kBilling,
       R"({"payment_method":{"token":"t","brand":"visa","last4":"4242","exp_month":13,"exp_year":2030}})",
       kInvalid, "invalid", "payload.payment_method.exp_month"},
      {"billing_year", kBilling,
       R"({"payment_method":{"token":"t","brand":"visa","last4":"4242","exp_month":1,"exp_year":2101}})",
       kInvalid, "invalid", "payload.payment_method.exp_year"},
      {"billing_method_not_object", kBilling, R"({"payment_method":"tok_1"})", kInvalid, "invalid",
       "payload.payment_method"},
      {"pan_in_card_note", kBilling, card_note.c_str(), Code::kUnprocessable, "card_number_refused",
       "payload.payment_method.note"},
      {"pan_as_token", kBilling, pan_token.c_str(), Code::kUnprocessable, "card_number_refused",
       "payload.payment_method.token"},
      {"pan_as_key", kBilling, pan_key.c_str(), Code::kUnprocessable, "card_number_refused",
       "payload"},
      {"pan_in_name", kPersonal, pan_name.c_str(), Code::kUnprocessable, "card_number_refused",
       "payload.name"},
      {"pan_in_new_owner", kOwner, pan_owner.c_str(), Code::kUnprocessable, "card_number_refused",
       "payload.new_owner.address"},
      {"access_no_action", kAccess, "{}", kInvalid, "required", "payload.action"},
      {"access_bad_action", kAccess, R"({"action":"grant"})", kInvalid, "invalid",
       "payload.action"},
      {"access_add_no_email", kAccess, R"({"action":"add","permission":"view"})", kInvalid,
       "required", "payload.email"},
      {"access_add_no_permission", kAccess, R"({"action":"add","email":"a@b.example"})", kInvalid,
       "required", "payload.permission"},
      {"access_add_bad_permission", kAccess,
       R"({"action":"add","email":"a@b.example","permission":"admin"})", kInvalid, "invalid",
       "payload.permission"},
      {"access_add_with_user_id", kAccess,
       R"({"action":"add","user_id":"usr_1","email":"a@b.example","permission":"view"})", kInvalid,
       "not_allowed", "payload.user_id"},
      {"access_remove_no_user", kAccess, R"({"action":"remove"})", kInvalid, "required",
       "payload.user_id"},
      {"access_update_no_permission", kAccess, R"({"action":"update","user_id":"usr_1"})", kInvalid,
       "required", "payload.permission"},
      {"access_remove_unknown_user", kAccess, R"({"action":"remove","user_id":"usr_nope"})",
       Code::kNotFound, "not_found", "payload.user_id"},
      {"access_update_unknown_user", kAccess,
       R"({"action":"update","user_id":"usr_nope","permission":"view"})", Code::kNotFound,
       "not_found", "payload.user_id"},
      {"owner_missing", kOwner, "{}", kInvalid, "required", "payload.new_owner"},
      {"owner_not_object", kOwner, R"({"new_owner":"Max"})", kInvalid, "invalid",
       "payload.new_owner"},
      {"owner_no_name", kOwner, R"({"new_owner":{"email":"m@x.example"}})", kInvalid, "required",
       "payload.new_owner.name"},
      {"owner_no_email", kOwner, R"({"new_owner":{"name":"Max"}})", kInvalid, "required",
       "payload.new_owner.email"},
      {"owner_unknown", kOwner, R"({"new_owner":{"name":"Max","email":"m@x.example","ssn":"1"}})",
       kInvalid, "unknown_field", "payload.new_owner.ssn"},
      {"security_empty", kSecurity, "{}", kInvalid, "empty_payload", "payload"},
      {"security_no_method", kSecurity, R"({"two_factor":true})", kInvalid, "required",
       "payload.two_factor_method"},
      {"security_bad_method", kSecurity, R"({"two_factor":true,"two_factor_method":"email"})",
       kInvalid, "invalid", "payload.two_factor_method"},
      {"security_method_alone", kSecurity, R"({"two_factor_method":"sms"})", kInvalid,
       "not_allowed", "payload.two_factor_method"},
      {"security_not_bool", kSecurity, R"({"two_factor":"yes"})", kInvalid, "invalid",
       "payload.two_factor"},
      {"security_reset_false", kSecurity, R"({"reset_pin":false})", kInvalid, "invalid",
       "payload.reset_pin"},
      {"security_unknown", kSecurity, R"({"password":"hunter2"})", kInvalid, "unknown_field",
       "payload.password"},
  };
  return cases;
}

TEST_F(ProfileEffectsTest, RefusesBadPayloadsNamingTheField) {
  for (const Refusal& c : PayloadRefusals()) {
    SCOPED_TRACE(c.name);
    json::object payload = json::parse(c.payload).as_object();
    auto r = File(c.type, payload);
    ExpectRefused(r, c.code, c.reason, c.param);
    if (!r.ok()) {
      EXPECT_EQ(r.status().message().find("4111"), std::string::npos) << r.status().message();
    }
  }
  EXPECT_EQ(View().account.version, version_before_);
}

// A valid payload of each type.
json::object ValidPayload(RequestType type) {
  switch (type) {
    case RequestType::kPersonalInfoUpdate:
      return {{"phone", "+33700000000"}};
    case RequestType::kBillingInfoUpdate:
      return {{"billing_address", "9 Billing Rd"}};
    case RequestType::kAccessChange:
      return {{"action", "add"}, {"email", "sam@example.net"}, {"permission", "view"}};
    case RequestType::kOwnershipTransfer:
      return {{"new_owner", {{"name", "Max"}, {"email", "max@example.org"}}}};
    default:
      return {{"reset_password", true}};
  }
}

const RequestType kAllTypes[] = {kPersonal, kBilling, kAccess, kOwner, kSecurity};

TEST_F(ProfileEffectsTest, ClosedAccountsRefuseEveryType) {
  Close();
  for (RequestType type : kAllTypes) {
    SCOPED_TRACE(std::string(domain::Name(type)));
    ExpectRefused(File(type, ValidPayload(type)), Code::kConflict, "account_closed", "");
  }
}

TEST_F(ProfileEffectsTest, AHoldThatBlocksChangesRefusesOwnerDataOnly) {
  PlaceHold(domain::HoldType::kFraudReview);
  for (RequestType type : kAllTypes) {
    SCOPED_TRACE(std::string(domain::Name(type)));
    auto r = Run(type, ValidPayload(type));
    if (type == kPersonal || type == kOwner) {
      ExpectRefused(r, Code::kConflict, "changes_blocked", "");
    } else {
      EXPECT_TRUE(r.ok()) << r.status().ToString();
    }
  }
}

// The data_outdated hold asks the customer to update their data: that update goes through,
// lifts the hold (audited for the request) and is the only change the hold lets through.
TEST_F(ProfileEffectsTest, APersonalInfoUpdateLiftsTheDataOutdatedHoldThatBlocksOthers) {
  PlaceHold(domain::HoldType::kDataOutdated);
  ExpectRefused(Run(kOwner, ValidPayload(kOwner)), Code::kConflict, "changes_blocked", "");
  auto r = Run(kPersonal, ValidPayload(kPersonal));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->at("holds_lifted").as_array().size(), 1u);
  EXPECT_TRUE(View().active_holds.empty());
  std::vector<std::string> actions;  // newest first
  for (const auto& e : AuditOfLastRequest()) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"hold.lifted", "customer.data_changed"}));
  EXPECT_NE(AuditOfLastRequest()[0].after_json.find("\"state\":\"lifted\""), std::string::npos);
  // With the hold gone the other changes are allowed again.
  EXPECT_TRUE(Run(kOwner, ValidPayload(kOwner)).ok());
}

TEST_F(ProfileEffectsTest, RefusesAServiceId) {
  ExpectRefused(File(kPersonal, ValidPayload(kPersonal), "svc_1"), kInvalid, "not_allowed",
                "service_id");
}

TEST(ProfileJson, OldSealedProfilesStillRead) {
  domain::Profile p = ProfileFromJson(R"({"name":"A","email":"a@b","phone":"1","address":"x"})");
  EXPECT_EQ(p.email, "a@b");
  EXPECT_FALSE(p.payment_method.has_value());
  EXPECT_TRUE(p.authorized_users.empty());
  EXPECT_FALSE(p.security.two_factor);
  EXPECT_FALSE(p.security.pin_reset_at.has_value());
  // A customer who never said anything: the pack's locale and zone, every channel, no offers.
  EXPECT_EQ(p.notifications.locale, "");
  EXPECT_EQ(p.notifications.time_zone, "");
  EXPECT_TRUE(p.notifications.opt_out.empty());
  EXPECT_FALSE(p.notifications.marketing_consent);
  EXPECT_FALSE(p.notifications.marketing_consent_at.has_value());
}

TEST(ProfileJson, RoundTripsEveryField) {
  domain::Profile p;
  p.name = "A";
  p.billing_address = "B";
  p.payment_method = domain::PaymentMethod{"tok_1", "visa", "4242", 1, 2030};
  p.authorized_users = {{"usr_1", "Sam", "s@x", "view"}};
  p.security.two_factor = true;
  p.security.two_factor_method = "totp";
  p.security.password_reset_at = 1234;
  p.notifications = {"fr", "America/Montreal", {"sms"}, true, 5678};
  domain::Profile q = ProfileFromJson(ProfileToJson(p));
  EXPECT_EQ(q.notifications.locale, "fr");
  EXPECT_EQ(q.notifications.time_zone, "America/Montreal");
  EXPECT_EQ(q.notifications.opt_out, std::vector<std::string>{"sms"});
  EXPECT_TRUE(q.notifications.marketing_consent);
  EXPECT_EQ(q.notifications.marketing_consent_at, 5678);
  EXPECT_EQ(ProfileToJson(q), ProfileToJson(p));
  ASSERT_TRUE(q.payment_method.has_value());
  EXPECT_EQ(q.payment_method->exp_year, 2030);
  ASSERT_EQ(q.authorized_users.size(), 1u);
  EXPECT_EQ(q.authorized_users[0].permission, "view");
  EXPECT_EQ(q.security.password_reset_at, 1234);
}

}  // namespace
}  // namespace sb::app
