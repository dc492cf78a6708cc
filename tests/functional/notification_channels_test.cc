// The tenant's notification channel settings over the API: admin only, credentials
// write-only, every bad input a 422 naming its field with nothing stored, and every change
// audited.

#include <gtest/gtest.h>

#include "tests/support/tenant_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

using NotificationChannels = OwnTenant;

json::object GoodEmail() {
  return {{"smtp_url", "smtp://127.0.0.1:2525"},
          {"username", "mailer"},
          {"password", "pw-secret-1"},
          {"from_address", "notify@client.example"},
          {"from_name", "Client"},
          {"reply_to", "help@client.example"}};
}

json::object GoodSms() {
  return {{"gateway_url", "http://127.0.0.1:9/sms"},
          {"auth", "basic"},
          {"username", "AC1"},
          {"password", "pw-secret-2"},
          {"sender_id", "+15005550006"},
          {"body_shape", "form"}};
}

TEST_P(NotificationChannels, SettingsReadBackWithoutTheirCredentials) {
  ExpectProblem(Api("GET", "/v1/notification-channels/email"), 404);
  HttpResponse put = Api("PUT", "/v1/notification-channels/email", json::serialize(GoodEmail()));
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.body.find("pw-secret-1"), std::string::npos);
  HttpResponse got = Api("GET", "/v1/notification-channels/email");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body.find("pw-secret-1"), std::string::npos);
  EXPECT_FALSE(got.Json().as_object().contains("password"));
  EXPECT_TRUE(got.Json().as_object().at("password_set").as_bool());
  EXPECT_EQ(Str(got.Json(), "from_address"), "notify@client.example");
  EXPECT_TRUE(got.Json().as_object().at("require_tls").as_bool()) << "STARTTLS by default";

  // The password left out keeps the one stored for the same user.
  json::object again = GoodEmail();
  again.erase("password");
  again["from_name"] = "Client Care";
  ASSERT_EQ(Api("PUT", "/v1/notification-channels/email", json::serialize(again)).status, 200);
  json::object other_user = again;
  other_user["username"] = "someone-else";
  ExpectProblem(Api("PUT", "/v1/notification-channels/email", json::serialize(other_user)), 422,
                "password", "missing_credentials");

  HttpResponse sms = Api("PUT", "/v1/notification-channels/sms", json::serialize(GoodSms()));
  ASSERT_EQ(sms.status, 200) << sms.body;
  EXPECT_EQ(Str(sms.Json(), "receipt_secret").rfind("whsec_", 0), 0u);
  EXPECT_EQ(sms.body.find("pw-secret-2"), std::string::npos);
  HttpResponse sms_again = Api("PUT", "/v1/notification-channels/sms", json::serialize(GoodSms()));
  ASSERT_EQ(sms_again.status, 200);
  EXPECT_TRUE(sms_again.Json().as_object().at("receipt_secret").is_null()) << "shown once";
  EXPECT_EQ(Api("GET", "/v1/notification-channels/sms").body.find("pw-secret-2"),
            std::string::npos);

  HttpResponse audit = Api("GET", "/v1/audit/entries?limit=100");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("notification_channel.updated"), std::string::npos);
  EXPECT_EQ(audit.body.find("pw-secret"), std::string::npos);
}

TEST_P(NotificationChannels, OnlyAdminsMayReadOrSetThem) {
  std::string agent = NewKey("agent", "agent");
  ExpectProblem(CallAs(agent, "GET", "/v1/notification-channels/email"), 403);
  ExpectProblem(CallAs(agent, "PUT", "/v1/notification-channels/sms", json::serialize(GoodSms())),
                403);
}

TEST_P(NotificationChannels, BadInputIsA422NamingTheFieldAndNothingIsStored) {
  struct Case {
    const char* channel;
    const char* field;
    json::value value;  // null: the field is left out
    const char* param;
  };
  const std::vector<Case> cases = {
      {"email", "smtp_url", "http://127.0.0.1:25", "smtp_url"},
      {"email", "smtp_url", "smtp://", "smtp_url"},
      {"email", "smtp_url", "smtp://user@127.0.0.1", "smtp_url"},
      {"email", "from_address", "not-an-address", "from_address"},
      {"email", "from_address", "a@b", "from_address"},
      {"email", "reply_to", "x <y@z.example>", "reply_to"},
      {"email", "password", nullptr, "password"},
      {"sms", "gateway_url", "not a url", "gateway_url"},
      {"sms", "gateway_url", "ftp://127.0.0.1/x", "gateway_url"},
      {"sms", "password", nullptr, "password"},
      {"sms", "auth", "digest", "auth"},
      {"sms", "sender_id", "+0123", "sender_id"},
      {"sms", "sender_id", "TooLongSender1", "sender_id"},
      {"sms", "body_shape", "xml", "body_shape"},
  };
  for (const Case& c : cases) {
    json::object body = std::string(c.channel) == "email" ? GoodEmail() : GoodSms();
    if (c.value.is_null()) {
      body.erase(c.field);
    } else {
      body[c.field] = c.value;
    }
    std::string path = std::string("/v1/notification-channels/") + c.channel;
    HttpResponse r = Api("PUT", path, json::serialize(body));
    SCOPED_TRACE(std::string(c.channel) + " " + c.field + " " + json::serialize(c.value));
    ExpectProblem(r, 422, c.param);
    ExpectProblem(Api("GET", path), 404);
  }
  json::object unknown = GoodSms();
  unknown["bogus"] = 1;
  ExpectProblem(Api("PUT", "/v1/notification-channels/sms", json::serialize(unknown)), 400,
                "bogus");
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationChannels, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace sb::testing
