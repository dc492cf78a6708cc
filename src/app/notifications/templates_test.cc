#include "app/notifications/templates.h"

#include <gtest/gtest.h>

#include <set>

#include "app/policy/policy_yaml.h"
#include "domain/policy.h"

namespace sb::app {
namespace {

const TemplateKey kEmail{"request.received", "email", "en"};

std::string Message(const Result<ParsedTemplate>& r) { return r.status().message(); }

TEST(NotificationTemplates, HtmlEscapesANameButTheTextKeepsIt) {
  auto t = ParseTemplate(kEmail,
                         "subject: Hi {{customer_name}}\n--- text\nHello {{customer_name}}\n"
                         "--- html\n<p>Hello {{customer_name}} {{{customer_name}}}</p>");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  RenderedTemplate r = RenderTemplate(*t, {{"customer_name", "<script>alert(1)</script>"}});
  EXPECT_EQ(r.subject, "Hi <script>alert(1)</script>");
  EXPECT_EQ(r.text, "Hello <script>alert(1)</script>");
  EXPECT_EQ(r.html,
            "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; "
            "&lt;script&gt;alert(1)&lt;/script&gt;</p>");
}

TEST(NotificationTemplates, EmptyValuesAreFalseInSections) {
  auto t = ParseTemplate({"service.suspended", "sms", "en"},
                         "Suspended.{{#amount_due}} Pay {{amount_due}}.{{/amount_due}}"
                         "{{^amount_due}} Call us.{{/amount_due}}");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(RenderTemplate(*t, {{"amount_due", "12.50 EUR"}}).text, "Suspended. Pay 12.50 EUR.");
  EXPECT_EQ(RenderTemplate(*t, {}).text, "Suspended. Call us.");
}

TEST(NotificationTemplates, DefaultsRenderInEnglishAndFrench) {
  const auto& all = DefaultTemplates();
  TemplateKey en{"service.suspended", "email", "en"}, fr{"service.suspended", "email", "fr"};
  ASSERT_TRUE(all.count(en) && all.count(fr));
  auto vars = SampleVariables("fr");
  RenderedTemplate r_fr = RenderTemplate(*ParseTemplate(fr, all.at(fr)), vars);
  RenderedTemplate r_en = RenderTemplate(*ParseTemplate(en, all.at(en)), SampleVariables("en"));
  EXPECT_EQ(r_fr.subject, "Votre service sur le compte CUST-1001 est suspendu");
  EXPECT_NE(r_fr.text.find("réglez le montant dû : 42,00 EUR"), std::string::npos) << r_fr.text;
  EXPECT_EQ(r_en.subject, "Your service on account CUST-1001 is suspended");
  EXPECT_NE(r_en.text.find("pay the amount due: 42.00 EUR"), std::string::npos) << r_en.text;
}

// Every notification the default pack sends has a template per channel in every locale, and
// every shipped template passes the checks a stored one must pass.
TEST(NotificationTemplates, TheDefaultPackHasEveryTemplateItNeeds) {
  auto pack = ParsePolicyPack(DefaultPolicyPackYaml());
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  ASSERT_FALSE(pack->notify.customer.empty());
  for (const auto& [event, rule] : pack->notify.customer) {
    for (const std::string& channel : rule.channels) {
      for (std::string_view locale : domain::kNotificationLocales) {
        TemplateKey key{event, channel, std::string(locale)};
        EXPECT_TRUE(DefaultTemplates().count(key)) << key.Id();
      }
    }
  }
  for (const auto& [key, text] : DefaultTemplates()) {
    auto t = ParseTemplate(key, text);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
  }
}

struct BadTemplate {
  std::string name;
  TemplateKey key;
  std::string body;
  std::string message;  // what the refusal says, template and line included
};

class RefusedTemplates : public ::testing::TestWithParam<BadTemplate> {};

TEST_P(RefusedTemplates, NameTheTemplateAndTheLine) {
  const BadTemplate& c = GetParam();
  auto t = ParseTemplate(c.key, c.body);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kUnprocessable);
  EXPECT_EQ(t.status().reason(), "invalid_template");
  EXPECT_EQ(t.status().param(), "template");
  EXPECT_EQ(Message(t), c.message);
}

INSTANTIATE_TEST_SUITE_P(
    NotificationTemplates, RefusedTemplates,
    ::testing::Values(
        BadTemplate{"UnknownVariable", kEmail, "subject: Hi\n--- text\nHello\n{{customer_nam}}",
                    "template request.received/email/en line 4: unknown variable "
                    "'customer_nam'"},
        BadTemplate{"UnknownVariableInHtml", kEmail,
                    "subject: Hi\n--- text\nHello\n--- html\n<p>\n{{#offers}}x{{/offers}}</p>",
                    "template request.received/email/en line 6: unknown variable 'offers'"},
        BadTemplate{"UnclosedTag", kEmail, "subject: Hi\n--- text\nHello {{customer_name",
                    "template request.received/email/en line 3: a tag does not close"},
        BadTemplate{"UnclosedSection",
                    {"service.suspended", "sms", "fr"},
                    "{{#offer}}\nA",
                    "template service.suspended/sms/fr: section 'offer' is never closed"},
        BadTemplate{"WrongClose",
                    {"service.suspended", "sms", "fr"},
                    "{{#offer}}{{/reason}}",
                    "template service.suspended/sms/fr line 1: 'reason' closes a section that "
                    "is not open"},
        BadTemplate{"Partial",
                    {"service.suspended", "sms", "en"},
                    "x\n{{> footer}}",
                    "template service.suspended/sms/en line 2: partials and delimiter changes "
                    "are not allowed"},
        BadTemplate{"NoSubject", kEmail, "Hello",
                    "template request.received/email/en line 1: an email template starts with "
                    "'subject: ...'"},
        BadTemplate{"NoTextMarker", kEmail, "subject: Hi\nHello",
                    "template request.received/email/en line 2: the second line of an email "
                    "template is '--- text'"},
        BadTemplate{"UnknownChannel",
                    {"request.received", "fax", "en"},
                    "Hello",
                    "template request.received/fax/en: unknown channel 'fax'"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sb::app
