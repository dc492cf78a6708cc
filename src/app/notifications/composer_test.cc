// What the default pack's notifications write, for manual and automatic changes alike: sealed
// email and SMS outbox messages (opened here as the sender would), their send times under the
// quiet hours and the rate limit, suppression of marketing without consent, and the audit.
#include "app/notifications/composer.h"

#include <gtest/gtest.h>

#include "app/accounts/dormancy.h"
#include "tests/support/composer_fixture.h"

namespace sb::app {
namespace {

using domain::OutboxMessage;
using domain::OutboxState;

class Notifications : public ComposerTest {
 protected:
  std::string Customer(std::int64_t amount_due = 4250,
                       const std::string& name = "Jane <script>x</script> Doe") {
    CreateAccountInput in;
    in.profile.name = name;
    in.profile.email = "jane@example.com";
    in.profile.phone = "+33612345678";
    in.plan_codes = {"mobile_basic"};
    in.amount_due_minor = amount_due;
    return NewCustomer(std::move(in));
  }

  std::vector<OutboxMessage> Webhooks(const std::string& account_id, const std::string& event) {
    Compose();
    std::vector<OutboxMessage> out;
    deps_.store.Read([&](domain::Tx& tx) -> Status {
      domain::OutboxFilter f;
      f.account_id = account_id;
      f.event_type = event;
      f.limit = 100;
      out = tx.ListOutbox(ctx_.tenant_id, f)->items;
      return Status::Ok();
    });
    return out;
  }

  // An agent lifts the hold: a reconnection, completed when nothing is due.
  void Lift(const std::string& hold_id) {
    auto request = ComposerTest::Lift(hold_id);
    ASSERT_TRUE(request.ok());
    ASSERT_EQ(request->state, domain::RequestState::kCompleted) << request->checks_json;
  }
};

TEST_F(Notifications, AManualSuspensionTellsByEmailAndSmsAtOnce) {
  std::string id = Customer();
  Place(id, ServiceOf(id));
  auto told = Told(id, "service.suspended");
  ASSERT_EQ(told.size(), 2u);
  const OutboxMessage& email = On(told, "email");  // each fails the test when missing
  const OutboxMessage& sms = On(told, "sms");
  EXPECT_EQ(email.state, OutboxState::kPending);
  EXPECT_EQ(email.next_attempt_at, kNoon);  // urgent in the default pack
  EXPECT_FALSE(email.request_id.empty());
  // Nothing in clear in the outbox.
  EXPECT_EQ(email.payload_json.find("jane@example.com"), std::string::npos);
  EXPECT_EQ(email.payload_json.find("CUST-"), std::string::npos);

  domain::Notification n = Open(email);
  EXPECT_EQ(n.to, "jane@example.com");
  EXPECT_EQ(n.subject, "Your service on account CUST-1 is suspended");
  EXPECT_NE(n.text.find("Hello Jane <script>x</script> Doe"), std::string::npos) << n.text;
  EXPECT_NE(n.text.find("pay the amount due: 42.50 EUR"), std::string::npos) << n.text;
  EXPECT_NE(n.html.find("Hello Jane &lt;script&gt;x&lt;/script&gt; Doe"), std::string::npos)
      << n.html;
  EXPECT_EQ(n.html.find("<script>"), std::string::npos);
  EXPECT_TRUE(n.transactional);
  EXPECT_EQ(n.template_id, "shipped:service.suspended/email/en");
  EXPECT_EQ(n.locale, "en");
  domain::Notification text = Open(sms);
  EXPECT_EQ(text.to, "+33612345678");
  EXPECT_EQ(text.text, "A service on account CUST-1 is suspended. Pay 42.50 EUR to restore it.");

  // The in-app event names it without personal data.
  auto events = Webhooks(id, "customer.notification");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].payload_json.find("\"notification\":\"service.suspended\""),
            std::string::npos);
  EXPECT_EQ(events[0].payload_json.find("jane@"), std::string::npos);
  EXPECT_EQ(events[0].payload_json.find("Jane"), std::string::npos);
}

TEST_F(Notifications, EachNotificationIsAuditedWithItsTemplateAndAHashNeverTheBody) {
  std::string id = Customer();
  Place(id, ServiceOf(id));
  Compose();
  std::vector<domain::AuditEntry> entries;
  std::string actions;
  deps_.store.Read([&](domain::Tx& tx) -> Status {
    domain::AuditFilter f;
    f.account_id = id;
    f.limit = 100;
    auto page = tx.ListAuditEntries(ctx_.tenant_id, f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    for (const auto& e : page->items) {
      actions += e.action + " ";
      if (e.action == "notification.written") entries.push_back(e);
    }
    return Status::Ok();
  });
  ASSERT_EQ(entries.size(), 2u) << actions;
  for (const auto& e : entries) {
    EXPECT_NE(e.after_json.find("\"template_id\":\"shipped:service.suspended/"), std::string::npos);
    EXPECT_NE(e.after_json.find("\"text_sha256\":\""), std::string::npos);
    EXPECT_EQ(e.after_json.find("Jane"), std::string::npos);
    EXPECT_EQ(e.after_json.find("CUST-"), std::string::npos);
  }
}

TEST_F(Notifications, AnAutomaticReconnectionTellsAsAManualOneDoes) {
  std::string manual = Customer(0), automatic = Customer(0);
  domain::Hold h1 = Place(manual, ServiceOf(manual));
  domain::Hold h2 = Place(automatic, ServiceOf(automatic));
  Lift(h1.id);
  // The hold's expiry, filed by the system.
  ASSERT_TRUE(accounts_.ExpireHold(ctx_.tenant_id, h2.id).ok());
  for (const std::string& id : {manual, automatic}) {
    auto told = Told(id, "service.reconnected");
    ASSERT_EQ(told.size(), 2u) << id;
    EXPECT_EQ(On(told, "email").state, OutboxState::kPending);
    EXPECT_EQ(Open(On(told, "email")).subject,
              "Your service on account " + View(id).account.external_ref + " is back");
  }
}

TEST_F(Notifications, NonUrgentMessagesWaitForTheMorningInTheCustomersZone) {
  std::string id = Customer(0);
  domain::Hold h = Place(id, ServiceOf(id));
  clock_.Set(*ParseRfc3339("2027-02-10T22:30:00Z"));  // 23:30 in Paris
  Lift(h.id);
  auto told = Told(id, "service.reconnected");
  ASSERT_EQ(told.size(), 2u);
  for (const auto& m : told) {
    EXPECT_EQ(m.next_attempt_at, *ParseRfc3339("2027-02-11T07:00:00Z")) << m.channel;
    EXPECT_EQ(m.state, OutboxState::kPending);
  }
  // A suspension is urgent: it goes now, night or not.
  Place(id, ServiceOf(id));
  for (const auto& m : Told(id, "service.suspended")) {
    if (m.created_at == clock_.Now()) {
      EXPECT_EQ(m.next_attempt_at, clock_.Now());
    }
  }
}

TEST_F(Notifications, TheSixthSmsInAnHourWaitsForTheWindow) {
  std::string id = Customer(0);
  // Three suspensions and reconnections: six SMS within minutes.
  for (int i = 0; i < 3; ++i) {
    domain::Hold h = Place(id, ServiceOf(id));
    clock_.Advance(60'000);
    Lift(h.id);
    clock_.Advance(60'000);
  }
  std::vector<OutboxMessage> sms;
  for (const auto& m : Told(id)) {
    if (m.channel == "sms") sms.push_back(m);
  }
  ASSERT_EQ(sms.size(), 6u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(sms[i].next_attempt_at, sms[i].created_at) << i;
  EXPECT_EQ(sms[5].state, OutboxState::kPending);
  EXPECT_EQ(sms[5].next_attempt_at, sms[0].next_attempt_at + kMillisPerHour);
}

TEST_F(Notifications, AReactivationOfferWithoutConsentIsSuppressed) {
  std::string id = Customer();
  clock_.Advance(181LL * 24 * kMillisPerHour);
  ASSERT_TRUE(DormancyScan(deps_).Run().ok());
  auto told = Told(id, "account.reactivation_invited");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].channel, "email");
  EXPECT_EQ(told[0].state, OutboxState::kSuppressed);
  EXPECT_EQ(told[0].last_error, "no marketing consent");
  domain::Notification n = Open(told[0]);
  EXPECT_FALSE(n.transactional);
  EXPECT_NE(n.text.find("Half price for the first two months back"), std::string::npos) << n.text;
}

TEST_F(Notifications, NothingIsComposedInADryRun) {
  std::string id = Customer();
  CallContext dry = ctx_;
  dry.dry_run = true;
  PlaceHoldInput in;
  in.account_id = id;
  in.service_id = ServiceOf(id);
  ASSERT_TRUE(accounts_.PlaceHold(dry, in).ok());
  EXPECT_TRUE(Told(id).empty());
}

}  // namespace
}  // namespace sb::app
