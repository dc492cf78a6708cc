// Storage contract: what composing and delivering notifications needs (the intents changes
// queue, each channel claiming only its own due messages, the suppression list of keyed
// address hashes, the ids providers gave the messages they accepted), on both backends.

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;
using V = std::vector<std::string>;

OutboxMessage Due(const std::string& tenant, const std::string& id, const std::string& channel,
                  Timestamp due) {
  OutboxMessage m = FullOutbox(tenant, id, "acc_1");
  m.channel = channel;
  m.state = OutboxState::kPending;
  m.attempts = 0;
  m.next_attempt_at = due;
  m.last_error.clear();
  m.delivered_at.reset();
  m.locked_until.reset();
  m.delivered_to.clear();
  return m;
}

V IdsOf(const std::vector<OutboxMessage>& claimed) {
  V ids;
  for (const OutboxMessage& m : claimed) ids.push_back(m.id);
  return ids;
}

TEST_P(StoreContract, EachChannelClaimsOnlyItsOwnDueMessagesAcrossTenants) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertOutbox(Due("ten_a", "msg_1", "email", kT0 + 2)));
    SB_RETURN_IF_ERROR(tx.InsertOutbox(Due("ten_b", "msg_2", "email", kT0 + 1)));
    SB_RETURN_IF_ERROR(tx.InsertOutbox(Due("ten_a", "msg_3", "sms", kT0)));
    SB_RETURN_IF_ERROR(tx.InsertOutbox(Due("ten_a", "msg_4", "webhook", kT0)));
    SB_RETURN_IF_ERROR(tx.InsertOutbox(Due("ten_a", "msg_5", "email", kT0 + 60'000)));  // later
    OutboxMessage dead = Due("ten_b", "msg_6", "email", kT0);
    dead.state = OutboxState::kDead;
    return tx.InsertOutbox(dead);
  }));
  auto claim_ids = [&](const std::string& channel, Timestamp now, int limit) {
    std::vector<OutboxMessage> claimed;
    Status s = Write([&](Tx& tx) {
      SB_ASSIGN_OR_RETURN(claimed, tx.ClaimDueOutbox(channel, now, limit, 60'000));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return IdsOf(claimed);
  };
  EXPECT_EQ(claim_ids("email", kT0 + 10, 10), (V{"msg_2", "msg_1"})) << "longest due first";
  EXPECT_EQ(claim_ids("email", kT0 + 10, 10), V{}) << "leased";
  EXPECT_EQ(claim_ids("sms", kT0 + 10, 10), V{"msg_3"});
  EXPECT_EQ(claim_ids("webhook", kT0 + 10, 10), V{"msg_4"});
  auto claimed = Get([](Tx& tx) { return tx.GetOutbox("ten_b", "msg_2"); });
  SB_ASSERT_OK(claimed.status());
  EXPECT_EQ(claimed->locked_until, std::optional<Timestamp>(kT0 + 10 + 60'000));
  // The lease runs out: the message is due again.
  EXPECT_EQ(claim_ids("email", kT0 + 10 + 60'000, 1), V{"msg_2"});
}

NotificationIntent Intent(const std::string& tenant, const std::string& id) {
  NotificationIntent n;
  n.tenant_id = tenant;
  n.id = id;
  n.event_type = "service.suspended";
  n.account_id = "acc_1";
  n.request_id = "req_1";
  n.request_state = "completed";
  n.data_json = R"({"service_id":"svc_1"})";
  n.context_json = R"({"actor":{"type":"api_key","id":"key_1"}})";
  n.created_at = kT0;
  return n;
}

TEST_P(StoreContract, NotificationIntentsAreListedOldestFirstPerTenantAndDeletedOnce) {
  AddTenants({"ten_a", "ten_b"});
  EXPECT_EQ(*Get([](Tx& tx) { return tx.TenantsWithNotificationIntents(); }), V{});
  SB_ASSERT_OK(Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertNotificationIntent(Intent("ten_b", "ntf_2")));
    SB_RETURN_IF_ERROR(tx.InsertNotificationIntent(Intent("ten_a", "ntf_3")));
    NotificationIntent bare = Intent("ten_a", "ntf_1");
    bare.request_id.clear();
    bare.request_state.clear();
    return tx.InsertNotificationIntent(bare);
  }));
  EXPECT_EQ(*Get([](Tx& tx) { return tx.TenantsWithNotificationIntents(); }),
            (V{"ten_a", "ten_b"}));
  EXPECT_EQ(*Get([](Tx& tx) { return tx.CountNotificationIntents(); }), 3);
  std::vector<NotificationIntent> listed;
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_ASSIGN_OR_RETURN(listed, tx.ListNotificationIntents("ten_a", 10));
    return Status::Ok();
  }));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "ntf_1");
  EXPECT_EQ(listed[0].request_id, "");
  EXPECT_EQ(listed[0].request_state, "");
  const NotificationIntent want = Intent("ten_a", "ntf_3");
  const NotificationIntent& got = listed[1];
  EXPECT_EQ(got.tenant_id, want.tenant_id);
  EXPECT_EQ(got.event_type, want.event_type);
  EXPECT_EQ(got.account_id, want.account_id);
  EXPECT_EQ(got.request_id, want.request_id);
  EXPECT_EQ(got.request_state, want.request_state);
  EXPECT_EQ(got.data_json, want.data_json);
  EXPECT_EQ(got.context_json, want.context_json);
  EXPECT_EQ(got.created_at, want.created_at);
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_ASSIGN_OR_RETURN(listed, tx.ListNotificationIntents("ten_a", 1));
    return Status::Ok();
  }));
  ASSERT_EQ(listed.size(), 1u) << "limit";
  EXPECT_EQ(listed[0].id, "ntf_1");

  SB_ASSERT_OK(Write([](Tx& tx) { return tx.DeleteNotificationIntent("ten_a", "ntf_1"); }));
  EXPECT_EQ(Write([](Tx& tx) { return tx.DeleteNotificationIntent("ten_a", "ntf_1"); }).code(),
            Code::kNotFound);
  EXPECT_EQ(Write([](Tx& tx) { return tx.DeleteNotificationIntent("ten_a", "ntf_2"); }).code(),
            Code::kNotFound)
      << "another tenant's";
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.DeleteNotificationIntent("ten_a", "ntf_3"); }));
  EXPECT_EQ(*Get([](Tx& tx) { return tx.TenantsWithNotificationIntents(); }), V{"ten_b"});
  EXPECT_EQ(*Get([](Tx& tx) { return tx.CountNotificationIntents(); }), 1);
}

TEST_P(StoreContract, TheSuppressionListKeepsTheFirstEntryOfATenantsHash) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.InsertSuppression("ten_a", "h1", "msg_1", kT0); }));
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.InsertSuppression("ten_a", "h1", "msg_2", kT0 + 1); }));
  EXPECT_TRUE(*Get([](Tx& tx) { return tx.IsSuppressed("ten_a", "h1"); }));
  EXPECT_FALSE(*Get([](Tx& tx) { return tx.IsSuppressed("ten_a", "h2"); }));
  EXPECT_FALSE(*Get([](Tx& tx) { return tx.IsSuppressed("ten_b", "h1"); })) << "per tenant";
}

TEST_P(StoreContract, AProviderRefLeadsBackToItsMessageWithinItsTenant) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.InsertProviderRef("ten_a", "SM123", "msg_1", kT0); }));
  auto id = Get([](Tx& tx) { return tx.MessageIdByProviderRef("ten_a", "SM123"); });
  SB_ASSERT_OK(id.status());
  EXPECT_EQ(*id, "msg_1");
  EXPECT_EQ(Get([](Tx& tx) { return tx.MessageIdByProviderRef("ten_b", "SM123"); }).status().code(),
            Code::kNotFound);
  EXPECT_EQ(
      Write([](Tx& tx) { return tx.InsertProviderRef("ten_a", "SM123", "msg_2", kT0); }).code(),
      Code::kConflict);
  EXPECT_EQ(*Get([](Tx& tx) { return tx.MessageIdByProviderRef("ten_a", "SM123"); }), "msg_1");
}

}  // namespace
}  // namespace sb::testing
