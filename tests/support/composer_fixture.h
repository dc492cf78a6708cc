#pragma once

// A fixture for composer tests: EffectsTest with the notification keyring installed, the
// clock at noon in Paris, and helpers that read the email and SMS messages an account was told
// and open them as the sender would. The base of the tests of app/notifications/composer*.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "app/notifications/composer.h"
#include "app/notifications/notification_queue.h"
#include "app/notifications/sealed_notification.h"
#include "tests/support/effects_fixture.h"

namespace sb::app {

// Wednesday 10 February 2027, 12:00 in Paris (11:00Z): daytime.
inline constexpr Timestamp kNoon = 1'802'257'200'000;

class ComposerTest : public EffectsTest {
 protected:
  ComposerTest() : EffectsTest(kNoon) {}
  void SetUp() override {
    EffectsTest::SetUp();
    InstallNotificationKeyring(&keyring_);
  }
  void TearDown() override { InstallNotificationKeyring(nullptr); }

  // Creates the account of `in` with the next external_ref "CUST-<n>"; its id.
  std::string NewCustomer(CreateAccountInput in) {
    in.external_ref = "CUST-" + std::to_string(++made_);
    auto r = accounts_.CreateAccount(ctx_, in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->account.account.id : std::string();
  }

  // Composes every notification the changes so far queued, as the server does right after
  // each change (app/notifications/notification_queue.h).
  void Compose() {
    Status s = deps_.store.Write(
        [&](domain::Tx& tx) { return ComposeQueued(tx, ctx_.tenant_id, 1000).status(); });
    EXPECT_TRUE(s.ok()) << s.ToString();
  }

  // The account's email and sms messages (of `event` when given), oldest first, once what was
  // queued is composed.
  std::vector<domain::OutboxMessage> Told(const std::string& account_id,
                                          const std::string& event = "") {
    Compose();
    std::vector<domain::OutboxMessage> out;
    deps_.store.Read([&](domain::Tx& tx) -> Status {
      domain::OutboxFilter f;
      f.account_id = account_id;
      f.limit = 100;
      auto page = tx.ListOutbox(ctx_.tenant_id, f);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) return Status::Ok();
      for (auto& m : page->items) {
        if (m.channel != "webhook" && (event.empty() || m.event_type == event)) {
          out.push_back(std::move(m));
        }
      }
      return Status::Ok();
    });
    std::reverse(out.begin(), out.end());
    return out;
  }

  // The message of `ms` on `channel`; a failure (and an empty message) when there is none.
  const domain::OutboxMessage& On(const std::vector<domain::OutboxMessage>& ms,
                                  const std::string& channel) {
    for (const auto& m : ms) {
      if (m.channel == channel) return m;
    }
    ADD_FAILURE() << "no " << channel << " message";
    static const domain::OutboxMessage kNone;
    return kNone;
  }

  // The message's notification, opened as the sender opens it.
  domain::Notification Open(const domain::OutboxMessage& m) {
    std::optional<domain::Notification> n;
    deps_.store.Read([&](domain::Tx& tx) -> Status {
      auto r = OpenNotification(tx, keyring_, ctx_.tenant_id, m.account_id, m.payload_json);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (r.ok()) n = *r;
      return Status::Ok();
    });
    return n.value_or(domain::Notification{});
  }

  // An agent lifts the hold (a reconnection); the request it made.
  Result<domain::Request> Lift(const std::string& hold_id) {
    CallContext agent = ctx_;
    agent.reason_code = "agent_correction";
    auto r = accounts_.LiftHold(agent, hold_id);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return r.status();
    return r->request;
  }

  std::string ServiceOf(const std::string& account_id) {
    return View(account_id).services.at(0).id;
  }

  int made_ = 0;
};

}  // namespace sb::app
