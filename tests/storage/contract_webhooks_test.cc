// Storage contract: webhook endpoints, and what delivery needs of the outbox (claiming due
// webhooks with a lease, storing an attempt's outcome, the dead-letter list).

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;
using V = std::vector<std::string>;

WebhookEndpoint Enabled(const std::string& tenant, const std::string& id) {
  WebhookEndpoint e = FullWebhookEndpoint(tenant, id);
  e.disabled_at.reset();
  return e;
}

OutboxMessage Pending(const std::string& tenant, const std::string& id, Timestamp due) {
  OutboxMessage m = FullOutbox(tenant, id, "acc_1");
  m.state = OutboxState::kPending;
  m.attempts = 0;
  m.next_attempt_at = due;
  m.last_error.clear();
  m.delivered_at.reset();
  m.locked_until.reset();
  m.delivered_to.clear();
  return m;
}

std::vector<OutboxMessage> ClaimWebhooks(Store& store, Timestamp now, int limit) {
  std::vector<OutboxMessage> claimed;
  Status s = store.Write([&](Tx& tx) {
    SB_ASSIGN_OR_RETURN(claimed, tx.ClaimDueOutbox("webhook", now, limit, 60'000));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return claimed;
}

TEST_P(StoreContract, WebhookEndpointsRoundTripAndListTheEnabledOnesNewestFirst) {
  AddTenants({"ten_a", "ten_b"});
  WebhookEndpoint first = Enabled("ten_a", "whe_1");
  WebhookEndpoint second = Enabled("ten_a", "whe_2");
  second.event_types = {"*"};
  second.description.clear();
  second.format = domain::WebhookFormat::kSwitchboard;
  WebhookEndpoint removed = FullWebhookEndpoint("ten_a", "whe_3");
  SB_ASSERT_OK(Write([&](Tx& tx) {
    for (const WebhookEndpoint& e : {first, second, removed}) {
      SB_RETURN_IF_ERROR(tx.InsertWebhookEndpoint(e));
    }
    return tx.InsertWebhookEndpoint(Enabled("ten_b", "whe_9"));
  }));
  auto got = Get([](Tx& tx) { return tx.GetWebhookEndpoint("ten_a", "whe_3"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(Fields(*got), Fields(removed));
  auto list = Get([](Tx& tx) { return tx.ListWebhookEndpoints("ten_a"); });
  SB_ASSERT_OK(list.status());
  ASSERT_EQ(Ids(*list), (V{"whe_2", "whe_1"}));
  EXPECT_EQ(Fields((*list)[0]), Fields(second));
  EXPECT_EQ(Fields((*list)[1]), Fields(first));
  EXPECT_EQ(Ids(*Get([](Tx& tx) { return tx.ListWebhookEndpoints("ten_b"); })), V{"whe_9"});
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetWebhookEndpoint("ten_b", "whe_1"); }).status().code(),
            Code::kNotFound);
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertWebhookEndpoint(first); }).code(), Code::kConflict);
}

TEST_P(StoreContract, DisablingAnEndpointTakesItOutOfTheListOnce) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertWebhookEndpoint(Enabled("ten_a", "whe_1")));
    SB_RETURN_IF_ERROR(tx.InsertWebhookEndpoint(Enabled("ten_a", "whe_2")));
    return tx.InsertWebhookEndpoint(Enabled("ten_b", "whe_3"));
  }));
  EXPECT_EQ(Write([](Tx& tx) { return tx.DisableWebhookEndpoint("ten_b", "whe_2", kT0); }).code(),
            Code::kNotFound);
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.DisableWebhookEndpoint("ten_a", "whe_2", kT0 + 5); }));
  EXPECT_EQ(Ids(*Get([](Tx& tx) { return tx.ListWebhookEndpoints("ten_a"); })), V{"whe_1"});
  auto removed = Get([](Tx& tx) { return tx.GetWebhookEndpoint("ten_a", "whe_2"); });
  SB_ASSERT_OK(removed.status());
  EXPECT_EQ(removed->disabled_at, std::optional<Timestamp>(kT0 + 5));
  EXPECT_EQ(
      Write([](Tx& tx) { return tx.DisableWebhookEndpoint("ten_a", "whe_2", kT0 + 9); }).code(),
      Code::kNotFound);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetWebhookEndpoint("ten_a", "whe_2"); })->disabled_at,
            std::optional<Timestamp>(kT0 + 5));
  EXPECT_EQ(Ids(*Get([](Tx& tx) { return tx.ListWebhookEndpoints("ten_b"); })), V{"whe_3"});
}

// A change lists the endpoints once per event it writes: within one transaction the list
// follows what that transaction adds and disables, per tenant.
TEST_P(StoreContract, EndpointsListedWithinOneTransactionFollowItsOwnChanges) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.InsertWebhookEndpoint(Enabled("ten_b", "whe_9")); }));
  SB_ASSERT_OK(Write([](Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto before, tx.ListWebhookEndpoints("ten_a"));
    EXPECT_EQ(Ids(before), V{});
    SB_RETURN_IF_ERROR(tx.InsertWebhookEndpoint(Enabled("ten_a", "whe_1")));
    SB_ASSIGN_OR_RETURN(auto added, tx.ListWebhookEndpoints("ten_a"));
    EXPECT_EQ(Ids(added), V{"whe_1"});
    SB_ASSIGN_OR_RETURN(auto other, tx.ListWebhookEndpoints("ten_b"));
    EXPECT_EQ(Ids(other), V{"whe_9"});
    SB_RETURN_IF_ERROR(tx.DisableWebhookEndpoint("ten_a", "whe_1", kT0));
    SB_ASSIGN_OR_RETURN(auto after, tx.ListWebhookEndpoints("ten_a"));
    EXPECT_EQ(Ids(after), V{});
    return Status::Ok();
  }));
}

TEST_P(StoreContract, ClaimDueOutboxLeasesDuePendingWebhooksAcrossTenants) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertOutbox(Pending("ten_a", "msg_1", kT0 + 100)));
    SB_RETURN_IF_ERROR(tx.InsertOutbox(Pending("ten_b", "msg_2", kT0 + 200)));
    SB_RETURN_IF_ERROR(tx.InsertOutbox(Pending("ten_a", "msg_3", kT0 + 300)));
    OutboxMessage email = Pending("ten_a", "msg_4", kT0);
    email.channel = "email";
    SB_RETURN_IF_ERROR(tx.InsertOutbox(email));
    SB_RETURN_IF_ERROR(tx.InsertOutbox(Pending("ten_a", "msg_5", kT0 + 100'000)));
    OutboxMessage dead = Pending("ten_a", "msg_6", kT0);
    dead.state = OutboxState::kDead;
    SB_RETURN_IF_ERROR(tx.InsertOutbox(dead));
    SB_RETURN_IF_ERROR(tx.InsertOutbox(FullOutbox("ten_a", "msg_7", "acc_1")));  // delivered
    OutboxMessage leased = Pending("ten_a", "msg_8", kT0);
    leased.locked_until = kT0 + 5'000;
    return tx.InsertOutbox(leased);
  }));
  std::vector<OutboxMessage> first = ClaimWebhooks(*store_, kT0 + 1'000, 2);
  EXPECT_EQ(Ids(first), (V{"msg_1", "msg_2"}));
  for (const OutboxMessage& m : first) {
    EXPECT_EQ(m.locked_until, std::optional<Timestamp>(kT0 + 61'000));
    EXPECT_EQ(m.state, OutboxState::kPending);
  }
  OutboxMessage expected = Pending("ten_b", "msg_2", kT0 + 200);
  expected.locked_until = kT0 + 61'000;
  EXPECT_EQ(Fields(first[1]), Fields(expected));
  EXPECT_EQ(Ids(ClaimWebhooks(*store_, kT0 + 1'001, 10)), V{"msg_3"});
  // A lease that ran out is claimed again; leased and future messages are not.
  EXPECT_EQ(Ids(ClaimWebhooks(*store_, kT0 + 5'000, 10)), V{"msg_8"});
  EXPECT_TRUE(ClaimWebhooks(*store_, kT0 + 6'000, 10).empty());
  EXPECT_EQ(Ids(ClaimWebhooks(*store_, kT0 + 61'000, 10)), (V{"msg_1", "msg_2"}));
  auto stored = Get([](Tx& tx) { return tx.GetOutbox("ten_a", "msg_1"); });
  SB_ASSERT_OK(stored.status());
  EXPECT_EQ(stored->locked_until, std::optional<Timestamp>(kT0 + 121'000));
}

TEST_P(StoreContract, UpdateOutboxDeliveryStoresAnAttemptsOutcome) {
  AddTenants({"ten_a", "ten_b"});
  OutboxMessage m = Pending("ten_a", "msg_1", kT0);
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertOutbox(m); }));
  m.state = OutboxState::kPending;
  m.attempts = 2;
  m.next_attempt_at = kT0 + 150'000;
  m.last_error = "whe_2: HTTP 500";
  m.locked_until = kT0 + 60'000;
  m.delivered_to = {"whe_1"};
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateOutboxDelivery(m); }));
  auto got = Get([](Tx& tx) { return tx.GetOutbox("ten_a", "msg_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(Fields(*got), Fields(m));

  m.state = OutboxState::kDelivered;
  m.attempts = 3;
  m.last_error.clear();
  m.delivered_at = kT0 + 160'000;
  m.locked_until.reset();
  m.delivered_to = {"whe_1", "whe_2"};
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateOutboxDelivery(m); }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetOutbox("ten_a", "msg_1"); })), Fields(m));

  OutboxMessage elsewhere = m;
  elsewhere.tenant_id = "ten_b";
  EXPECT_EQ(Write([&](Tx& tx) { return tx.UpdateOutboxDelivery(elsewhere); }).code(),
            Code::kNotFound);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetOutbox("ten_b", "msg_1"); }).status().code(),
            Code::kNotFound);
}

// A dispatcher's round over several tenants is stored in one call, all or nothing.
TEST_P(StoreContract, UpdateOutboxDeliveriesStoresARoundOverTenantsAllOrNothing) {
  AddTenants({"ten_a", "ten_b"});
  OutboxMessage a1 = Pending("ten_a", "msg_1", kT0), a2 = Pending("ten_a", "msg_2", kT0);
  OutboxMessage b1 = Pending("ten_b", "msg_1", kT0);
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    for (const OutboxMessage* m : {&a1, &a2, &b1}) SB_RETURN_IF_ERROR(tx.InsertOutbox(*m));
    return Status::Ok();
  }));
  a1.state = OutboxState::kSkipped;
  a2.state = OutboxState::kDelivered;
  a2.attempts = 1;
  a2.delivered_at = kT0 + 5'000;
  a2.delivered_to = {"whe_1"};
  b1.state = OutboxState::kDead;
  b1.attempts = 8;
  b1.last_error = "whe_9: HTTP 410";
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateOutboxDeliveries({a1, b1, a2}); }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetOutbox("ten_a", "msg_1"); })), Fields(a1));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetOutbox("ten_a", "msg_2"); })), Fields(a2));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetOutbox("ten_b", "msg_1"); })), Fields(b1));

  OutboxMessage retried = a1, missing = Pending("ten_b", "msg_404", kT0);
  retried.state = OutboxState::kPending;
  EXPECT_EQ(Write([&](Tx& tx) {
              return tx.UpdateOutboxDeliveries({retried, missing});
            }).code(),
            Code::kNotFound);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetOutbox("ten_a", "msg_1"); })->state,
            OutboxState::kSkipped);
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateOutboxDeliveries({}); }));
}

TEST_P(StoreContract, ListOutboxByStateIsTheDeadLetterList) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([](Tx& tx) {
    for (int i = 1; i <= 6; ++i) {
      OutboxMessage m = Pending("ten_a", "msg_" + std::to_string(i), kT0);
      if (i % 2 == 0) m.state = OutboxState::kDead;
      if (i == 5) m.state = OutboxState::kSkipped;
      SB_RETURN_IF_ERROR(tx.InsertOutbox(m));
    }
    OutboxMessage other = Pending("ten_b", "msg_9", kT0);
    other.state = OutboxState::kDead;
    return tx.InsertOutbox(other);
  }));
  auto list = [&](const std::string& tenant, OutboxFilter f) {
    auto page = Get([&](Tx& tx) { return tx.ListOutbox(tenant, f); });
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? Ids(page->items) : V{};
  };
  EXPECT_EQ(list("ten_a", {.state = OutboxState::kDead}), (V{"msg_6", "msg_4", "msg_2"}));
  EXPECT_EQ(list("ten_a", {.state = OutboxState::kDead, .starting_after = "msg_6"}),
            (V{"msg_4", "msg_2"}));
  EXPECT_EQ(list("ten_a", {.state = OutboxState::kPending}), (V{"msg_3", "msg_1"}));
  EXPECT_EQ(list("ten_a", {.state = OutboxState::kSkipped}), V{"msg_5"});
  EXPECT_EQ(list("ten_a", {.state = OutboxState::kDelivered}), V{});
  EXPECT_EQ(list("ten_b", {.state = OutboxState::kDead}), V{"msg_9"});
}

}  // namespace
}  // namespace sb::testing
