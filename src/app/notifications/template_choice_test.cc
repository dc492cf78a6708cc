#include "app/notifications/template_choice.h"

#include <gtest/gtest.h>

namespace sb::app {
namespace {

domain::NotificationTemplate Stored(const std::string& locale, std::int64_t version) {
  domain::NotificationTemplate t;
  t.tenant_id = "ten_a";
  t.notification = "service.suspended";
  t.channel = "sms";
  t.locale = locale;
  t.body = "tenant " + locale;
  t.version = version;
  return t;
}

const std::map<TemplateKey, std::string> kShipped = {
    {{"service.suspended", "sms", "en"}, "shipped en"},
    {{"service.suspended", "sms", "fr"}, "shipped fr"},
    {{"request.received", "email", "en"}, "shipped received en"},
};

struct Case {
  const char* name;
  std::string wanted_locale;
  std::vector<domain::NotificationTemplate> tenant;
  std::map<TemplateKey, std::string> shipped;
  std::string id;  // empty: no template
  std::string body;
};

TEST(TemplateChoice, TenantThenShippedInTheCustomersLocaleThenTheFallback) {
  domain::NotificationTemplate deleted = Stored("fr", 4);
  deleted.deleted_at = 5;
  domain::NotificationTemplate other = Stored("fr", 1);
  other.channel = "email";
  const std::map<TemplateKey, std::string> only_en = {
      {{"service.suspended", "sms", "en"}, "shipped en"}};
  const std::vector<Case> cases = {
      {"the tenant's own in the customer's locale",
       "fr",
       {Stored("en", 2), Stored("fr", 3)},
       kShipped,
       "tenant:service.suspended/sms/fr@v3",
       "tenant fr"},
      {"shipped in the customer's locale before the tenant's fallback",
       "fr",
       {Stored("en", 2)},
       kShipped,
       "shipped:service.suspended/sms/fr",
       "shipped fr"},
      {"the tenant's fallback when nothing ships in the locale",
       "fr",
       {Stored("en", 2)},
       only_en,
       "tenant:service.suspended/sms/en@v2",
       "tenant en"},
      {"the shipped fallback last",
       "fr",
       {},
       only_en,
       "shipped:service.suspended/sms/en",
       "shipped en"},
      {"a deleted template is not there",
       "fr",
       {deleted},
       kShipped,
       "shipped:service.suspended/sms/fr",
       "shipped fr"},
      {"another channel's template is not this one",
       "fr",
       {other},
       only_en,
       "shipped:service.suspended/sms/en",
       "shipped en"},
      {"the fallback locale asked for directly",
       "en",
       {Stored("en", 7)},
       kShipped,
       "tenant:service.suspended/sms/en@v7",
       "tenant en"},
      {"nothing at all", "fr", {}, {}, "", ""},
  };
  for (const Case& c : cases) {
    auto chosen =
        ChooseTemplate({"service.suspended", "sms", c.wanted_locale}, "en", c.tenant, c.shipped);
    if (c.id.empty()) {
      EXPECT_FALSE(chosen.has_value()) << c.name;
      continue;
    }
    ASSERT_TRUE(chosen.has_value()) << c.name;
    EXPECT_EQ(chosen->id, c.id) << c.name;
    EXPECT_EQ(chosen->body, c.body) << c.name;
    EXPECT_EQ(chosen->key.locale, chosen->id.substr(chosen->id.find("/sms/") + 5, 2)) << c.name;
  }
}

TEST(TemplateChoice, IdsNameTheSourceTheKeyAndTheVersion) {
  EXPECT_EQ(TenantTemplateId(Stored("fr", 12)), "tenant:service.suspended/sms/fr@v12");
  EXPECT_EQ(ShippedTemplateId({"request.received", "email", "en"}),
            "shipped:request.received/email/en");
}

}  // namespace
}  // namespace sb::app
