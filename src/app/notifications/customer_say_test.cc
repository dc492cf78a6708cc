// The customer's say in what the composer writes: their locale and time zone, their opt-out
// of a channel, their marketing consent; the rules alone (table-driven), then what the default
// pack's notifications write for customers who said something.
#include "app/notifications/customer_say.h"

#include <gtest/gtest.h>

#include "app/accounts/dormancy.h"
#include "tests/support/composer_fixture.h"

namespace sb::app {
namespace {

using domain::OutboxMessage;
using domain::OutboxState;

domain::NotificationRule Rule(std::vector<std::string> channels, bool urgent, bool marketing) {
  domain::NotificationRule r;
  r.channels = std::move(channels);
  r.urgent = urgent;
  r.marketing = marketing;
  return r;
}

domain::NotificationPreferences Prefs(std::vector<std::string> opt_out, bool consent = false) {
  domain::NotificationPreferences p;
  p.opt_out = std::move(opt_out);
  p.marketing_consent = consent;
  return p;
}

TEST(CustomerSay, TheCustomersLocaleAndZoneOverThePacks) {
  domain::NotifyPolicy notify;  // en, Europe/Paris
  domain::NotificationPreferences p;
  EXPECT_EQ(CustomerLocale(notify, p), "en");
  EXPECT_EQ(CustomerTimeZone(notify, p), "Europe/Paris");
  p.locale = "fr";
  p.time_zone = "America/Montreal";
  EXPECT_EQ(CustomerLocale(notify, p), "fr");
  EXPECT_EQ(CustomerTimeZone(notify, p), "America/Montreal");
}

TEST(CustomerSay, WhyAMessageIsNotSent) {
  struct Case {
    const char* name;
    domain::NotificationRule rule;
    domain::NotificationPreferences prefs;
    const char* channel;
    const char* why;
  };
  const Case cases[] = {
      {"nothing said", Rule({"email", "sms"}, false, false), Prefs({}), "sms", ""},
      {"opted out of sms", Rule({"email", "sms"}, false, false), Prefs({"sms"}), "sms",
       "customer opted out of sms"},
      {"opted out of sms, email goes", Rule({"email", "sms"}, false, false), Prefs({"sms"}),
       "email", ""},
      {"urgent is no exception", Rule({"email", "sms"}, true, false), Prefs({"email"}), "email",
       "customer opted out of email"},
      {"marketing without consent", Rule({"email"}, false, true), Prefs({}), "email",
       "no marketing consent"},
      {"marketing with consent", Rule({"email"}, false, true), Prefs({}, true), "email", ""},
      {"consent does not undo an opt-out", Rule({"email"}, false, true), Prefs({"email"}, true),
       "email", "customer opted out of email"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(WhyNotSent(c.rule, c.prefs, c.channel), c.why) << c.name;
  }
}

TEST(CustomerSay, AnUrgentServiceNoticeFallsBackToTheOtherChannel) {
  struct Case {
    const char* name;
    domain::NotificationRule rule;
    domain::NotificationPreferences prefs;
    bool reached;
    std::vector<std::string> reachable;
    std::vector<std::string> fallback;
  };
  const std::vector<std::string> both = {"email", "sms"};
  const Case cases[] = {
      {"sms only, opted out of sms",
       Rule({"sms"}, true, false),
       Prefs({"sms"}),
       false,
       both,
       {"email"}},
      {"email only, opted out of email",
       Rule({"email"}, true, false),
       Prefs({"email"}),
       false,
       both,
       {"sms"}},
      {"no phone on record", Rule({"email"}, true, false), Prefs({"email"}), false, {"email"}, {}},
      {"opted out of everything",
       Rule({"sms"}, true, false),
       Prefs({"email", "sms"}),
       false,
       both,
       {}},
      {"another channel of the rule reached them",
       Rule({"email", "sms"}, true, false),
       Prefs({"sms"}),
       true,
       both,
       {}},
      {"not urgent", Rule({"sms"}, false, false), Prefs({"sms"}), false, both, {}},
      {"marketing never falls back",
       Rule({"sms"}, true, true),
       Prefs({"sms"}, true),
       false,
       both,
       {}},
      {"no opt-out, nothing to make up for",
       Rule({"sms"}, true, false),
       Prefs({}),
       false,
       {"email"},
       {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FallbackChannels(c.rule, c.prefs, c.reached, c.reachable), c.fallback) << c.name;
  }
}

TEST(CustomerSay, TheDueTimeIsReadInTheCustomersZone) {
  domain::PolicyPack pack;  // notify: en, Europe/Paris
  domain::Account account;
  account.external_ref = "CUST-9";
  domain::Profile profile;
  profile.notifications.time_zone = "America/Montreal";
  domain::Request request;
  request.type = domain::RequestType::kReconnection;
  request.state = domain::RequestState::kAwaitingPayment;
  request.due_at = *ParseRfc3339("2027-02-11T14:00:00Z");
  auto zone = TimeZone::Load("America/Montreal");
  ASSERT_TRUE(zone.ok());
  auto vars = TemplateVariables(pack, account, profile, &request, {}, "fr", *zone);
  EXPECT_EQ(vars["due_time"], "jeudi 11 février 2027 à 09:00 (America/Montreal)");
}

class CustomerSayComposing : public ComposerTest {
 protected:
  std::string Customer(PreferencesPatch prefs, std::int64_t amount_due = 4250) {
    CreateAccountInput in;
    in.profile.name = "Jeanne Roy";
    in.profile.email = "jeanne@example.com";
    in.profile.phone = "+15145550123";
    in.plan_codes = {"mobile_basic"};
    in.amount_due_minor = amount_due;
    in.notification_preferences = std::move(prefs);
    return NewCustomer(std::move(in));
  }
};

TEST_F(CustomerSayComposing, AFrenchSpeakingCustomerIsWrittenToInFrench) {
  PreferencesPatch fr;
  fr.locale = "fr";
  std::string id = Customer(fr);
  Place(id, ServiceOf(id));
  auto told = Told(id, "service.suspended");
  ASSERT_EQ(told.size(), 2u);
  domain::Notification email = Open(On(told, "email"));
  EXPECT_EQ(email.locale, "fr");
  EXPECT_EQ(email.template_id, "shipped:service.suspended/email/fr");
  EXPECT_EQ(email.subject,
            "Votre service sur le compte " + View(id).account.external_ref + " est suspendu");
  EXPECT_EQ(Open(On(told, "sms")).text, "Un service du compte " + View(id).account.external_ref +
                                            " est suspendu. Réglez 42,50 EUR pour le rétablir.");
}

TEST_F(CustomerSayComposing, QuietHoursAreTheCustomersNight) {
  PreferencesPatch montreal, tokyo;
  montreal.time_zone = "America/Montreal";
  tokyo.time_zone = "Asia/Tokyo";
  std::string paris = Customer({}, 0), in_montreal = Customer(montreal, 0),
              in_tokyo = Customer(tokyo, 0);
  std::vector<domain::Hold> holds;
  for (const std::string& id : {paris, in_montreal, in_tokyo}) {
    holds.push_back(Place(id, ServiceOf(id)));
  }
  // 23:30 in Paris, 17:30 in Montreal, 07:30 the next morning in Tokyo.
  clock_.Set(*ParseRfc3339("2027-02-10T22:30:00Z"));
  for (const auto& h : holds) Lift(h.id);
  EXPECT_EQ(On(Told(paris, "service.reconnected"), "email").next_attempt_at,
            *ParseRfc3339("2027-02-11T07:00:00Z"));
  EXPECT_EQ(On(Told(in_montreal, "service.reconnected"), "email").next_attempt_at, clock_.Now());
  EXPECT_EQ(On(Told(in_tokyo, "service.reconnected"), "sms").next_attempt_at,
            *ParseRfc3339("2027-02-10T23:00:00Z"));
}

TEST_F(CustomerSayComposing, AnOptedOutChannelIsWrittenSuppressedWithTheReason) {
  PreferencesPatch no_sms;
  no_sms.opt_out = std::vector<std::string>{"sms"};
  std::string id = Customer(no_sms);
  Place(id, ServiceOf(id));
  auto told = Told(id, "service.suspended");
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(On(told, "sms").state, OutboxState::kSuppressed);
  EXPECT_EQ(On(told, "sms").last_error, "customer opted out of sms");
  EXPECT_EQ(On(told, "email").state, OutboxState::kPending);
  EXPECT_EQ(On(told, "email").last_error, "");
}

TEST_F(CustomerSayComposing, ConsentLetsTheReactivationOfferGo) {
  PreferencesPatch consent;
  consent.marketing_consent = true;
  std::string with = Customer(consent), without = Customer({});
  EXPECT_EQ(View(with).profile.notifications.marketing_consent_at, kNoon);
  clock_.Advance(181LL * 24 * 3'600'000);
  ASSERT_TRUE(DormancyScan(deps_).Run().ok());
  auto offered = Told(with, "account.reactivation_invited");
  ASSERT_EQ(offered.size(), 1u);
  EXPECT_EQ(offered[0].state, OutboxState::kPending);
  EXPECT_FALSE(Open(offered[0]).transactional);
  auto held_back = Told(without, "account.reactivation_invited");
  ASSERT_EQ(held_back.size(), 1u);
  EXPECT_EQ(held_back[0].state, OutboxState::kSuppressed);
  EXPECT_EQ(held_back[0].last_error, "no marketing consent");
}

}  // namespace
}  // namespace sb::app
