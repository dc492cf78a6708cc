// The customer's say through a real server: notification preferences set on account creation
// and by PATCH /v1/accounts/{id}, shown with the account, refused with 422 naming the field
// (nothing changed); then what the notifications of a change look like for a customer who
// said something: French text, their time zone's night, an opted-out channel suppressed with
// the reason on the timeline, the reactivation offer sent once they consented.

#include <chrono>
#include <thread>

#include "tests/support/events_fixture.h"
#include "tests/support/notification_fixture.h"
#include "tests/support/sla_fixture.h"
#include "tests/support/smtp_sink.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

const json::object& PrefsOf(const json::object& account) {
  return account.at("notification_preferences").as_object();
}

std::string TimelineOf(const std::string& id) {
  return "/v1/accounts/" + id + "/timeline?limit=100";
}

// The notifications of `event` on a timeline (GET TimelineOf), each as {"entry": its audit
// entry's after, "message": the outbox message as it is now}, newest first.
std::vector<json::object> TimelineNotifications(const HttpResponse& r, const std::string& event) {
  EXPECT_EQ(r.status, 200) << r.body;
  std::vector<json::object> out;
  if (r.status != 200) return out;
  json::value items = r.Json();
  for (const auto& item : items.at("data").as_array()) {
    const json::object& o = item.as_object();
    if (!o.contains("notification") || Str(o.at("notification"), "notification") != event) {
      continue;
    }
    out.push_back(json::object{{"entry", o.at("audit_entry").at("after")},
                               {"message", o.at("notification")}});
  }
  return out;
}

const json::object* OnChannel(const std::vector<json::object>& told, const std::string& channel) {
  for (const auto& n : told) {
    if (Str(n.at("message"), "channel") == channel) return &n;
  }
  return nullptr;
}

class CustomerPreferences : public EventsTest {
 protected:
  void VerifyIdentity(const std::string& account) {
    HttpResponse r = Api("POST", "/v1/accounts/" + account + "/verifications",
                         R"({"kind":"identity","method":"document_check","level":1})");
    ASSERT_EQ(r.status, 201) << r.body;
  }

  HttpResponse Patch(const std::string& id, const json::object& body) {
    return Api("PATCH", "/v1/accounts/" + id, json::serialize(body));
  }
};

TEST_P(CustomerPreferences, AreSetOnCreationShownAndChangedByARequest) {
  json::object created = NewAccount({{"email", "lea@example.fr"},
                                     {"phone", "+33612345678"},
                                     {"notification_preferences",
                                      {{"locale", "fr"},
                                       {"time_zone", "America/Montreal"},
                                       {"opt_out", json::array{"sms", "sms"}},
                                       {"marketing_consent", true}}}});
  std::string id = Str(created, "id");
  ASSERT_FALSE(id.empty());
  json::object shown = Account(id);
  EXPECT_EQ(Str(PrefsOf(shown), "locale"), "fr");
  EXPECT_EQ(Str(PrefsOf(shown), "time_zone"), "America/Montreal");
  EXPECT_EQ(json::serialize(PrefsOf(shown).at("opt_out")), R"(["sms"])");
  EXPECT_TRUE(PrefsOf(shown).at("marketing_consent").as_bool());
  EXPECT_TRUE(PrefsOf(shown).at("marketing_consent_at").is_string());

  // A change is a personal_info_update like any other: identity first, then it completes.
  VerifyIdentity(id);
  HttpResponse changed =
      Patch(id, {{"notification_preferences",
                  {{"locale", ""}, {"opt_out", json::array{}}, {"marketing_consent", false}}}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Str(changed.Json(), "state"), "completed");
  json::object after = Account(id);
  EXPECT_EQ(Str(PrefsOf(after), "locale"), "") << "back to the pack's";
  EXPECT_EQ(Str(PrefsOf(after), "time_zone"), "America/Montreal") << "not sent, kept";
  EXPECT_TRUE(PrefsOf(after).at("opt_out").as_array().empty());
  EXPECT_FALSE(PrefsOf(after).at("marketing_consent").as_bool());
  EXPECT_TRUE(PrefsOf(after).at("marketing_consent_at").is_null());

  // The audit entry holds the change sealed, never in clear.
  std::string request_id = Str(changed.Json(), "id");
  HttpResponse audit = Api("GET", "/v1/audit/entries?limit=100&request_id=" + request_id);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("notification_preferences"), std::string::npos) << audit.body;
  EXPECT_EQ(audit.body.find("America/Montreal"), std::string::npos) << audit.body;
}

TEST_P(CustomerPreferences, BadContactsAndPreferencesAre422NamingTheFieldWithNothingChanged) {
  std::string id = Str(NewAccount({{"email", "max@example.com"}, {"phone", "+33612345678"}}), "id");
  VerifyIdentity(id);
  json::object before = Account(id);
  struct Case {
    json::object body;
    const char* param;
    const char* code;
  };
  const Case cases[] = {
      {{{"email", "max@example"}}, "email", "invalid_email"},
      {{{"email", "max @example.com"}}, "email", "invalid_email"},
      {{{"email", "a@b@example.com"}}, "email", "invalid_email"},
      {{{"phone", "06 12 34 56 78"}}, "phone", "invalid_phone"},
      {{{"phone", "+3361"}}, "phone", "invalid_phone"},
      {{{"name", "Max"}, {"notification_preferences", {{"locale", "de"}}}},
       "notification_preferences.locale",
       "unsupported_locale"},
      {{{"notification_preferences", {{"time_zone", "Europe/Atlantis"}}}},
       "notification_preferences.time_zone",
       "unknown_time_zone"},
      {{{"notification_preferences", {{"time_zone", "../../../etc/passwd"}}}},
       "notification_preferences.time_zone",
       "unknown_time_zone"},
      {{{"notification_preferences", {{"opt_out", json::array{"email", "fax"}}}}},
       "notification_preferences.opt_out",
       "unknown_channel"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(json::serialize(c.body));
    HttpResponse r = Patch(id, c.body);
    ExpectProblem(r, 422, c.param, c.code);
    EXPECT_EQ(r.body.find("max@"), std::string::npos) << "the value is never quoted";
  }
  json::object after = Account(id);
  EXPECT_EQ(after.at("version"), before.at("version"));
  EXPECT_EQ(json::serialize(PrefsOf(after)), json::serialize(PrefsOf(before)));
  EXPECT_EQ(Str(after, "email"), "max@example.com");
  EXPECT_EQ(Str(after, "name"), Str(before, "name"));

  // On creation too, and no account is left behind.
  std::string ref = NewRef();
  for (const auto& [field, body] : std::vector<std::pair<std::string, json::object>>{
           {"email", {{"external_ref", ref}, {"email", "not-an-address"}}},
           {"phone", {{"external_ref", ref}, {"phone", "0612345678"}}},
           {"notification_preferences.time_zone",
            {{"external_ref", ref}, {"notification_preferences", {{"time_zone", "Paris"}}}}}}) {
    ExpectProblem(Api("POST", "/v1/accounts", json::serialize(body)), 422, field);
  }
  HttpResponse found = Api("GET", "/v1/accounts?external_ref=" + ref);
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_TRUE(found.Json().at("data").as_array().empty());
}

TEST_P(CustomerPreferences, AnAutomaticSuspensionIsWrittenInFrenchAndNotBySmsWhenOptedOut) {
  std::string id = Str(NewAccount({{"email", "lea@example.fr"},
                                   {"phone", "+33612345678"},
                                   {"amount_due_minor", 4599},
                                   {"notification_preferences",
                                    {{"locale", "fr"}, {"opt_out", json::array{"sms"}}}}}),
                       "id");
  json::object failure{{"account_id", id}, {"reason", "card_declined"}};
  for (int n = 0; n < 3; ++n) Send(NewEventId(), "payment.failed", failure);
  ASSERT_EQ(Str(Account(id), "status"), "suspended");

  auto told = TimelineNotifications(Api("GET", TimelineOf(id)), "service.suspended");
  ASSERT_EQ(told.size(), 2u);
  const json::object* email = OnChannel(told, "email");
  const json::object* sms = OnChannel(told, "sms");
  ASSERT_TRUE(email && sms);
  EXPECT_EQ(Str(email->at("entry"), "locale"), "fr");
  EXPECT_EQ(Str(email->at("entry"), "template_id"), "shipped:service.suspended/email/fr");
  EXPECT_EQ(Str(email->at("message"), "state"), "pending");
  // The timeline shows the SMS was not sent, and why.
  EXPECT_EQ(Str(sms->at("message"), "state"), "suppressed");
  EXPECT_EQ(Str(sms->at("message"), "last_error"), "customer opted out of sms");
}

INSTANTIATE_TEST_SUITE_P(Backends, CustomerPreferences, ::testing::ValuesIn(Backends()),
                         BackendName);

// A server of the test's own: its clock is set to the customers' evening or moved months on.
class CustomerPreferencesOverTime : public OwnServer {
 protected:
  std::string Customer(const json::object& prefs) {
    json::object body{{"external_ref", NewRef()},
                      {"name", "Customer " + NewRef()},
                      {"email", "customer@example.com"},
                      {"phone", "+15145550123"},
                      {"plans", json::array{"mobile_basic"}},
                      {"notification_preferences", prefs}};
    HttpResponse r = Api("POST", "/v1/accounts", json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.Json().at("account"), "id") : std::string();
  }

  std::string PlaceHold(const std::string& id) {
    HttpResponse r = Api("POST", "/v1/accounts/" + id + "/holds", R"({"hold_type":"non_payment"})",
                         {{"X-Reason", "non_payment"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.Json().at("hold"), "id") : std::string();
  }

  void Lift(const std::string& hold_id) {
    HttpResponse r =
        Api("POST", "/v1/holds/" + hold_id + "/lift", "", {{"X-Reason", "payment_received"}});
    EXPECT_EQ(r.status, 200) << r.body;
  }

  Timestamp NextAttempt(const std::string& id, const std::string& event,
                        const std::string& channel) {
    std::vector<json::object> told = TimelineNotifications(Api("GET", TimelineOf(id)), event);
    const json::object* n = OnChannel(told, channel);
    EXPECT_TRUE(n != nullptr) << event << " on " << channel;
    return n ? At(Str(n->at("message"), "next_attempt_at")) : 0;
  }
};

TEST_P(CustomerPreferencesOverTime, QuietHoursAreTheNightWhereTheCustomerLives) {
  SetClock("2026-03-04T12:00:00Z");
  std::string paris = Customer({}), montreal = Customer({{"time_zone", "America/Montreal"}});
  std::string h1 = PlaceHold(paris), h2 = PlaceHold(montreal);
  // 23:30 in Paris (the pack's zone), 17:30 in Montreal.
  SetClock("2026-03-04T22:30:00Z");
  Lift(h1);
  Lift(h2);
  EXPECT_EQ(NextAttempt(paris, "service.reconnected", "email"), At("2026-03-05T07:00:00Z"));
  // Montreal's afternoon: due at once (then retried, no email channel being set up here).
  EXPECT_LT(NextAttempt(montreal, "service.reconnected", "email"), At("2026-03-04T23:00:00Z"));
}

TEST_P(CustomerPreferencesOverTime, TheReactivationOfferGoesOnlyWithConsent) {
  SetClock("2026-03-04T10:00:00Z");
  std::string consenting = Customer({{"marketing_consent", true}});
  std::string silent = Customer({});
  Advance(181 * 86400);  // the default pack's dormancy: 180 days
  std::vector<json::object> offered, held_back;
  for (int i = 0; i < 150 && (offered.empty() || held_back.empty()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    offered =
        TimelineNotifications(Api("GET", TimelineOf(consenting)), "account.reactivation_invited");
    held_back =
        TimelineNotifications(Api("GET", TimelineOf(silent)), "account.reactivation_invited");
  }
  ASSERT_EQ(offered.size(), 1u);
  ASSERT_EQ(held_back.size(), 1u);
  // Written to go (no email channel is set up here, so the sender is still trying).
  EXPECT_NE(Str(offered[0].at("message"), "state"), "suppressed");
  EXPECT_NE(Str(offered[0].at("message"), "last_error"), "no marketing consent");
  EXPECT_EQ(Str(held_back[0].at("message"), "state"), "suppressed");
  EXPECT_EQ(Str(held_back[0].at("message"), "last_error"), "no marketing consent");
}

INSTANTIATE_TEST_SUITE_P(Backends, CustomerPreferencesOverTime, ::testing::ValuesIn(Backends()),
                         BackendName);

// As the customer reads it: the email their mail reader shows.
using CustomerPreferencesByEmail = NotificationTest;

TEST_P(CustomerPreferencesByEmail, TheEmailIsInFrenchWithTheDueTimeInTheCustomersZone) {
  SmtpSink sink;
  UseEmail(sink.Url());
  SetClock("2026-03-04T15:00:00Z");  // 10:00 in Montreal: daytime
  json::object body{
      {"external_ref", NewRef()},
      {"name", "Léa Tremblay"},
      {"email", "lea@example.ca"},
      {"plans", json::array{"mobile_basic"}},
      {"amount_due_minor", 5000},
      {"notification_preferences", {{"locale", "fr"}, {"time_zone", "America/Montreal"}}}};
  HttpResponse created = Api("POST", "/v1/accounts", json::serialize(body));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = Str(created.Json().at("account"), "id");
  HttpResponse hold = Api("POST", "/v1/accounts/" + id + "/holds", R"({"hold_type":"non_payment"})",
                          {{"X-Reason", "non_payment"}});
  ASSERT_EQ(hold.status, 201) << hold.body;
  json::object filed = File("reconnection", id, "normal", "payment_received", "{}", ServiceOf(id));
  ASSERT_EQ(Str(filed, "state"), "awaiting_payment") << json::serialize(filed);

  json::object received, suspended;
  // The suspension, the request received and the payment it waits for: three emails.
  for (int i = 0; i < 150 && (received.empty() || suspended.empty()); ++i) {
    sink.WaitForCount(3, 100);
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (const auto& m : sink.Messages()) {
      if (Str(m, "subject").rfind("Nous avons reçu votre demande", 0) == 0) received = m;
      if (Str(m, "subject").find("est suspendu") != std::string::npos) suspended = m;
    }
  }
  ASSERT_FALSE(suspended.empty()) << "the suspension, in French";
  ASSERT_FALSE(received.empty()) << "the request received, in French";
  EXPECT_EQ(Str(received, "to"), "lea@example.ca");
  std::string text = Str(received, "text");
  EXPECT_NE(text.find("Bonjour Léa Tremblay"), std::string::npos) << text;
  EXPECT_NE(text.find("mars 2026 à "), std::string::npos) << text;
  EXPECT_NE(text.find("(America/Montreal)"), std::string::npos) << text;
  EXPECT_EQ(text.find("Europe/Paris"), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(Backends, CustomerPreferencesByEmail, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace sb::testing
