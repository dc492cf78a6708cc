// When a customer's messages are composed: a change queues them and writes none itself; the
// composer writes them right after it while the store is free, holds back while writes queue
// for the store (a bounded batch meanwhile, oldest first), and composes what another process
// left. Each message is written once whichever path composed it.
#include "app/notifications/notification_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/support/composer_fixture.h"

namespace sb::app {
namespace {

using domain::OutboxMessage;

class NotificationQueue : public ComposerTest {
 protected:
  std::string Customer() {
    CreateAccountInput in;
    in.profile.name = "Jane Doe";
    in.profile.email = "jane@example.com";
    in.profile.phone = "+33612345678";
    in.plan_codes = {"mobile_basic"};
    in.amount_due_minor = 4250;
    return NewCustomer(std::move(in));
  }

  // The intents waiting, every tenant's.
  std::vector<domain::NotificationIntent> Waiting() {
    std::vector<domain::NotificationIntent> out;
    deps_.store.Write([&](domain::Tx& tx) -> Status {
      auto intents = tx.ListNotificationIntents(ctx_.tenant_id, 1000);
      EXPECT_TRUE(intents.ok()) << intents.status().ToString();
      if (intents.ok()) out = std::move(intents).value();
      return Status::Ok();
    });
    return out;
  }

  // The account's suspension messages written so far, without composing anything first.
  std::vector<OutboxMessage> Written(const std::string& account_id) {
    std::vector<OutboxMessage> out;
    deps_.store.Read([&](domain::Tx& tx) -> Status {
      domain::OutboxFilter f;
      f.account_id = account_id;
      f.event_type = "service.suspended";
      f.limit = 100;
      auto page = tx.ListOutbox(ctx_.tenant_id, f);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) return Status::Ok();
      for (auto& m : page->items) {
        if (m.channel != "webhook") out.push_back(std::move(m));
      }
      return Status::Ok();
    });
    return out;
  }

  // Customers each suspended by an agent; their ids.
  std::vector<std::string> Suspended(int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      ids.push_back(Customer());
      Place(ids.back(), ServiceOf(ids.back()));
    }
    return ids;
  }

  int writes_in_flight_ = 0;
  NotificationComposer::Options options_ = [] {
    NotificationComposer::Options o;
    o.busy_writes = 4;
    o.busy_batch = 2;
    o.busy_every = std::chrono::hours(1);
    return o;
  }();
  NotificationComposer composer_{deps_.store,
                                 [this] {
                                   return StoreLoad{writes_in_flight_, 0};
                                 },
                                 options_};
};

TEST_F(NotificationQueue, AChangeQueuesItsMessagesAndTheComposerWritesThemOnce) {
  std::string id = Suspended(1).front();
  std::vector<domain::NotificationIntent> waiting = Waiting();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].event_type, "service.suspended");
  EXPECT_EQ(waiting[0].account_id, id);
  EXPECT_EQ(waiting[0].created_at, kNoon);
  EXPECT_EQ(waiting[0].data_json.find("jane"), std::string::npos);  // no personal data
  EXPECT_TRUE(Written(id).empty());

  composer_.AfterCommit();  // the store is free
  EXPECT_TRUE(Waiting().empty());
  auto told = Written(id);
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(On(told, "email").next_attempt_at, kNoon);  // as of the change, not of composing
  On(told, "sms");
  composer_.AfterCommit();
  ASSERT_TRUE(composer_.ComposeWaiting().ok());
  EXPECT_EQ(Written(id).size(), 2u);
}

TEST_F(NotificationQueue, WhileWritesQueueTheComposerHoldsBackThenComposesOldestFirst) {
  std::vector<std::string> ids = Suspended(3);
  writes_in_flight_ = 10;
  composer_.AfterCommit();
  EXPECT_EQ(Waiting().size(), 3u);
  for (const std::string& id : ids) EXPECT_TRUE(Written(id).empty());

  // A busy batch: the oldest two, then nothing more until busy_every has passed.
  ASSERT_TRUE(composer_.ComposeWaiting().ok());
  EXPECT_EQ(Written(ids[0]).size(), 2u);
  EXPECT_EQ(Written(ids[1]).size(), 2u);
  EXPECT_TRUE(Written(ids[2]).empty());
  ASSERT_TRUE(composer_.ComposeWaiting().ok());
  EXPECT_TRUE(Written(ids[2]).empty());

  writes_in_flight_ = 0;  // free again: the rest, once each
  ASSERT_TRUE(composer_.ComposeWaiting().ok());
  EXPECT_TRUE(Waiting().empty());
  for (const std::string& id : ids) EXPECT_EQ(Written(id).size(), 2u) << id;
}

TEST_F(NotificationQueue, WhileChangesQueueFastTheComposerHoldsBack) {
  std::uint64_t queued = 0;  // notifications queued, as IntentsWritten() counts them
  NotificationComposer composer(
      deps_.store,
      [&] {
        return StoreLoad{0, queued};
      },
      options_);
  std::string quiet = Suspended(1).front();
  composer.AfterCommit();  // nothing was queued for a long while
  EXPECT_EQ(Written(quiet).size(), 2u);

  std::string in_burst = Suspended(1).front();
  queued += 1000;  // 1,000 in the last ~120 ms: thousands a second
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  composer.AfterCommit();
  EXPECT_TRUE(Written(in_burst).empty());

  std::this_thread::sleep_for(std::chrono::milliseconds(120));  // none since
  ASSERT_TRUE(composer.ComposeWaiting().ok());
  EXPECT_EQ(Written(in_burst).size(), 2u);

  // A handful a second (one client's changes one after another): each told at once.
  std::string alone = Suspended(1).front();
  queued += 1;
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  composer.AfterCommit();
  EXPECT_EQ(Written(alone).size(), 2u);
}

TEST_F(NotificationQueue, WhatAnotherProcessLeftIsComposedByTheNextLook) {
  options_.look_every = std::chrono::milliseconds(0);
  NotificationComposer composer(
      deps_.store, [] { return StoreLoad{}; }, options_);
  ASSERT_TRUE(composer.ComposeAll().ok());
  // An intent this process did not write: another server's, or one from before a restart.
  std::string id = Customer();
  domain::NotificationIntent n;
  n.tenant_id = ctx_.tenant_id;
  n.id = "ntf_from_another_process";
  n.event_type = "service.suspended";
  n.account_id = id;
  n.data_json = "{}";
  n.context_json = R"({"actor":{"type":"system","id":"system"},"channel":"system"})";
  n.created_at = kNoon;
  ASSERT_TRUE(
      deps_.store.Write([&](domain::Tx& tx) { return tx.InsertNotificationIntent(n); }).ok());
  ASSERT_TRUE(composer.ComposeWaiting().ok());
  EXPECT_TRUE(Waiting().empty());
  EXPECT_EQ(Written(id).size(), 2u);
}

TEST_F(NotificationQueue, AnIntentWhoseAccountIsGoneIsDroppedAndBlocksNoOther) {
  std::string id = Customer();
  domain::NotificationIntent n;
  n.tenant_id = ctx_.tenant_id;
  n.id = "ntf_00000000000000_gone";  // before every intent a change writes
  n.event_type = "service.suspended";
  n.account_id = "acc_that_does_not_exist";
  n.data_json = "{}";
  n.context_json = "{}";
  n.created_at = kNoon;
  ASSERT_TRUE(
      deps_.store.Write([&](domain::Tx& tx) { return tx.InsertNotificationIntent(n); }).ok());
  Place(id, ServiceOf(id));
  ASSERT_TRUE(composer_.ComposeAll().ok());
  EXPECT_TRUE(Waiting().empty());
  EXPECT_EQ(Written(id).size(), 2u);
}

TEST_F(NotificationQueue, ADryRunQueuesNothing) {
  std::string id = Customer();
  ctx_.dry_run = true;
  PlaceHoldInput in;
  in.account_id = id;
  in.service_id = ServiceOf(id);
  in.type = domain::HoldType::kNonPayment;
  auto placed = accounts_.PlaceHold(ctx_, in);
  ASSERT_TRUE(placed.ok()) << placed.status().ToString();
  EXPECT_TRUE(Waiting().empty());
}

}  // namespace
}  // namespace sb::app
