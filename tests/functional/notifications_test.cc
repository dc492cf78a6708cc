// Notifications through a real server: automatic changes (a third payment.failed, a
// payment.received) write the same sealed email and SMS messages a manual change does, the
// timeline shows each with its delivery state, and the template preview renders or refuses.

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/support/events_fixture.h"

namespace sb::testing {
namespace {

class Notifications : public EventsTest {
 protected:
  std::string Customer() {
    return Str(
        NewAccount(
            {{"email", "ada@example.com"}, {"phone", "+33612345678"}, {"amount_due_minor", 4599}}),
        "id");
  }

  // The channels of the account's messages for `event` other than its webhook event.
  std::vector<std::string> Channels(const std::string& id, const std::string& event) {
    std::vector<std::string> out;
    for (const auto& m : Outbox(id, event)) {
      std::string ch = Str(m, "channel");
      if (ch == "webhook") continue;
      out.push_back(ch);
      // Sealed: neither the address nor the name is in the outbox.
      std::string payload = boost::json::serialize(m.at("payload"));
      EXPECT_EQ(payload.find("ada@example.com"), std::string::npos);
      EXPECT_EQ(payload.find("Test Customer"), std::string::npos);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  HttpResponse Preview(const boost::json::object& body) {
    return Api("POST", "/v1/notification-templates/preview", boost::json::serialize(body));
  }
};

TEST_P(Notifications, AutomaticSuspensionAndReconnectionTellTheCustomer) {
  const std::vector<std::string> both = {"email", "sms"};
  std::string id = Customer();
  boost::json::object failure{{"account_id", id}, {"reason", "card_declined"}};
  for (int n = 0; n < 3; ++n) Send(NewEventId(), "payment.failed", failure);
  ASSERT_EQ(Str(Account(id), "status"), "suspended");
  // Composed before the answer when the store is not busy, by the job runner's next pass when
  // it is (docs/DESIGN-NOTES.md, "Notifications composed after the change").
  Eventually([&] { return Channels(id, "service.suspended").size() >= 2; });
  EXPECT_EQ(Channels(id, "service.suspended"), both);

  Send(NewEventId(), "payment.received",
       {{"account_id", id}, {"amount_minor", 4599}, {"currency", "EUR"}});
  ASSERT_EQ(Str(Account(id), "status"), "active");
  Eventually([&] { return Channels(id, "service.reconnected").size() >= 2; });
  EXPECT_EQ(Channels(id, "service.reconnected"), both);
  // The in-app event, once per change.
  EXPECT_EQ(Outbox(id, "customer.notification").size(), 2u);

  // The timeline shows each notification with its delivery state.
  HttpResponse timeline = Api("GET", "/v1/accounts/" + id + "/timeline?limit=100");
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  int told = 0;
  boost::json::value items = timeline.Json();
  for (const auto& item : items.at("data").as_array()) {
    if (!item.as_object().contains("notification")) continue;
    const auto& n = item.at("notification");
    EXPECT_EQ(Str(n, "state"), "pending");
    EXPECT_TRUE(Str(n, "channel") == "email" || Str(n, "channel") == "sms");
    ++told;
  }
  EXPECT_EQ(told, 4);
  EXPECT_EQ(timeline.body.find("ada@example.com"), std::string::npos);
}

// Many agents suspend at once: while writes queue for the store the messages may wait for a
// free moment (docs/NOTIFICATIONS.md, "When a message is composed"), but each customer is told
// once per channel, soon after, and none twice.
TEST_P(Notifications, ABurstOfSuspensionsTellsEachCustomerOnceAndSoon) {
  constexpr int kAccounts = 32;
  std::vector<std::string> ids;
  for (int i = 0; i < kAccounts; ++i) ids.push_back(Customer());
  std::atomic<int> placed{0};
  std::vector<std::thread> agents;
  for (const std::string& id : ids) {
    agents.emplace_back([&, id] {
      HttpResponse r = Api("POST", "/v1/accounts/" + id + "/holds",
                           R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
      if (r.status == 201) ++placed;
    });
  }
  for (auto& t : agents) t.join();
  ASSERT_EQ(placed.load(), kAccounts);
  const std::vector<std::string> both{"email", "sms"};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  size_t told = 0;
  while (told < ids.size() && std::chrono::steady_clock::now() < deadline) {
    told = 0;
    for (const std::string& id : ids) told += Channels(id, "service.suspended") == both;
    if (told < ids.size()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (const std::string& id : ids) {
    EXPECT_EQ(Channels(id, "service.suspended"), both) << id;
    EXPECT_EQ(Outbox(id, "customer.notification").size(), 1u) << id;
  }
}

TEST_P(Notifications, APreviewRendersTheShippedTemplateOrACandidate) {
  HttpResponse shipped =
      Preview({{"notification", "service.suspended"}, {"channel", "email"}, {"locale", "fr"}});
  ASSERT_EQ(shipped.status, 200) << shipped.body;
  EXPECT_EQ(Str(shipped.Json(), "template_id"), "shipped:service.suspended/email/fr");
  EXPECT_EQ(Str(shipped.Json(), "subject"), "Votre service sur le compte CUST-1001 est suspendu");

  HttpResponse candidate =
      Preview({{"notification", "service.suspended"},
               {"channel", "email"},
               {"locale", "en"},
               {"template",
                "subject: Hi {{customer_name}}\n--- text\nDue: {{amount_due}}\n"
                "--- html\n<b>{{customer_name}}</b>"}});
  ASSERT_EQ(candidate.status, 200) << candidate.body;
  EXPECT_EQ(Str(candidate.Json(), "subject"), "Hi Jane Doe");
  EXPECT_EQ(Str(candidate.Json(), "text"), "Due: 42.00 EUR");
  EXPECT_EQ(Str(candidate.Json(), "html"), "<b>Jane Doe</b>");
}

TEST_P(Notifications, ABadTemplateIsRefusedNamingTheTemplateAndTheLine) {
  HttpResponse bad = Preview({{"notification", "service.suspended"},
                              {"channel", "email"},
                              {"locale", "en"},
                              {"template", "subject: Hi\n--- text\nHello {{customer_nam}}"}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Str(bad.Json(), "code"), "invalid_template");
  EXPECT_EQ(Str(bad.Json(), "param"), "template");
  EXPECT_NE(Str(bad.Json(), "detail").find("template service.suspended/email/en line 3"),
            std::string::npos)
      << bad.body;

  HttpResponse locale =
      Preview({{"notification", "service.suspended"}, {"channel", "email"}, {"locale", "de"}});
  ASSERT_EQ(locale.status, 422) << locale.body;
  EXPECT_EQ(Str(locale.Json(), "param"), "locale");
  HttpResponse missing =
      Preview({{"notification", "no.such"}, {"channel", "sms"}, {"locale", "en"}});
  EXPECT_EQ(missing.status, 404) << missing.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, Notifications, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
