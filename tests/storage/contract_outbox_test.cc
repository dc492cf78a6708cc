// Storage contract: verifications, outbox messages and the dormancy scan of accounts.

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;
using V = std::vector<std::string>;

TEST_P(StoreContract, VerificationsRoundTripNewestFirstPerAccount) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  AddAccount("ten_a", "acc_2", "REF-2");
  AddAccount("ten_b", "acc_1", "REF-1");
  Verification full = FullVerification("ten_a", "ver_1", "acc_1");
  Verification consent = FullVerification("ten_a", "ver_2", "acc_1");
  consent.kind = VerificationKind::kConsent;
  consent.party = "owner";
  consent.method = "recorded_call";
  consent.level = 0;
  consent.request_id.clear();
  consent.actor = {ActorType::kSystem, "system", std::nullopt};
  consent.verified_at = kT0 + 50;
  Verification tie = FullVerification("ten_a", "ver_3", "acc_1");  // same time as ver_1
  Verification old = FullVerification("ten_a", "ver_4", "acc_1");
  old.kind = VerificationKind::kDataConfirmation;
  old.verified_at = kT0 - 1000;
  SB_ASSERT_OK(Write([&](Tx& tx) {
    for (const Verification& v : {full, consent, tie, old}) {
      SB_RETURN_IF_ERROR(tx.InsertVerification(v));
    }
    SB_RETURN_IF_ERROR(tx.InsertVerification(FullVerification("ten_a", "ver_5", "acc_2")));
    return tx.InsertVerification(FullVerification("ten_b", "ver_1", "acc_1"));
  }));
  auto got = Get([](Tx& tx) { return tx.ListVerifications("ten_a", "acc_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(Ids(*got), (V{"ver_2", "ver_3", "ver_1", "ver_4"}));
  ASSERT_EQ(got->size(), 4u);
  EXPECT_EQ(Fields((*got)[0]), Fields(consent));
  EXPECT_EQ(Fields((*got)[2]), Fields(full));
  EXPECT_EQ(Fields((*got)[3]), Fields(old));
  auto b = Get([](Tx& tx) { return tx.ListVerifications("ten_b", "acc_1"); });
  EXPECT_EQ(Ids(*b), V{"ver_1"});
  EXPECT_EQ(b->front().tenant_id, "ten_b");
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListVerifications("ten_b", "acc_2"); })->empty());
  Status dup = Write([&](Tx& tx) { return tx.InsertVerification(full); });
  EXPECT_EQ(dup.code(), Code::kConflict);
  EXPECT_EQ(dup.reason(), "duplicate");
}

TEST_P(StoreContract, OutboxRoundTripsPagesNewestFirstAndFilters) {
  AddTenants({"ten_a", "ten_b"});
  OutboxMessage full = FullOutbox("ten_a", "msg_1", "acc_1");
  OutboxMessage pending = FullOutbox("ten_a", "msg_2", "");
  pending.channel = "email";
  pending.event_type = "request.received";
  pending.request_id = "req_2";
  pending.state = OutboxState::kPending;
  pending.attempts = 0;
  pending.last_error.clear();
  pending.delivered_at.reset();
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertOutbox(full));
    SB_RETURN_IF_ERROR(tx.InsertOutbox(pending));
    for (int i = 3; i <= 6; ++i) {
      OutboxMessage m = FullOutbox("ten_a", "msg_" + std::to_string(i), i % 2 ? "acc_1" : "acc_2");
      m.request_id = i <= 4 ? "req_1" : "req_5";
      if (i == 6) m.event_type = "account.suspended";
      SB_RETURN_IF_ERROR(tx.InsertOutbox(m));
    }
    return tx.InsertOutbox(FullOutbox("ten_b", "msg_9", "acc_1"));
  }));
  auto list = [&](const std::string& tenant, OutboxFilter f) {
    auto page = Get([&](Tx& tx) { return tx.ListOutbox(tenant, f); });
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? Ids(page->items) : V{};
  };
  EXPECT_EQ(list("ten_a", {}), (V{"msg_6", "msg_5", "msg_4", "msg_3", "msg_2", "msg_1"}));
  EXPECT_EQ(list("ten_a", {.account_id = "acc_1"}), (V{"msg_5", "msg_3", "msg_1"}));
  EXPECT_EQ(list("ten_a", {.account_id = ""}), V{"msg_2"});
  EXPECT_EQ(list("ten_a", {.request_id = "req_1"}), (V{"msg_4", "msg_3", "msg_1"}));
  EXPECT_EQ(list("ten_a", {.event_type = "account.suspended"}), V{"msg_6"});
  EXPECT_EQ(list("ten_a", {.account_id = "acc_1", .request_id = "req_5"}), V{"msg_5"});
  EXPECT_EQ(
      list("ten_a",
           {.request_id = "req_1", .event_type = "request.completed", .starting_after = "msg_4"}),
      (V{"msg_3", "msg_1"}));
  EXPECT_EQ(list("ten_b", {}), V{"msg_9"});
  EXPECT_EQ(list("ten_b", {.request_id = "req_2"}), V{});

  auto first = Get([](Tx& tx) { return tx.ListOutbox("ten_a", {.limit = 4}); });
  SB_ASSERT_OK(first.status());
  EXPECT_TRUE(first->has_more);
  EXPECT_EQ(first->next_cursor, "msg_3");
  auto rest = Get([&](Tx& tx) {
    return tx.ListOutbox("ten_a", {.starting_after = first->next_cursor, .limit = 4});
  });
  SB_ASSERT_OK(rest.status());
  EXPECT_EQ(Ids(rest->items), (V{"msg_2", "msg_1"}));
  EXPECT_FALSE(rest->has_more);
  EXPECT_EQ(rest->next_cursor, "");
  EXPECT_EQ(Fields(rest->items[0]), Fields(pending));
  EXPECT_EQ(Fields(rest->items[1]), Fields(full));
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertOutbox(full); }).code(), Code::kConflict);
}

TEST_P(StoreContract, CustomerMessageStampsAreTheAccountsNewestEmailAndSmsOnly) {
  AddTenants({"ten_a", "ten_b"});
  OutboxMessage sms = FullOutbox("ten_a", "msg_3", "acc_1");
  sms.channel = "sms";
  sms.event_type = "service.suspended";
  sms.request_id = "req_7";
  sms.state = OutboxState::kSuppressed;
  sms.next_attempt_at = kT0 + 3600;
  SB_ASSERT_OK(Write([&](Tx& tx) {
    for (int i = 1; i <= 6; ++i) {
      if (i == 3) {
        SB_RETURN_IF_ERROR(tx.InsertOutbox(sms));
        continue;
      }
      OutboxMessage m = FullOutbox("ten_a", "msg_" + std::to_string(i), i == 5 ? "acc_2" : "acc_1");
      m.channel = i == 4 ? "webhook" : "email";  // a webhook event is no customer message
      SB_RETURN_IF_ERROR(tx.InsertOutbox(m));
    }
    OutboxMessage other = FullOutbox("ten_b", "msg_9", "acc_1");
    other.channel = "email";
    return tx.InsertOutbox(other);
  }));
  auto stamps = [&](const std::string& tenant, const std::string& account, int limit) {
    auto got = Get([&](Tx& tx) { return tx.ListCustomerMessageStamps(tenant, account, limit); });
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? *got : std::vector<CustomerMessageStamp>{};
  };
  std::vector<CustomerMessageStamp> all = stamps("ten_a", "acc_1", 100);
  EXPECT_EQ(Ids(all), (V{"msg_6", "msg_3", "msg_2", "msg_1"}));
  ASSERT_EQ(all.size(), 4u);
  const CustomerMessageStamp& s = all[1];
  EXPECT_EQ(std::make_tuple(s.channel, s.event_type, s.request_id, s.state, s.next_attempt_at),
            std::make_tuple(std::string("sms"), std::string("service.suspended"),
                            std::string("req_7"), OutboxState::kSuppressed, kT0 + 3600));
  EXPECT_EQ(Ids(stamps("ten_a", "acc_1", 2)), (V{"msg_6", "msg_3"}));
  EXPECT_EQ(Ids(stamps("ten_a", "acc_2", 100)), V{"msg_5"});
  EXPECT_EQ(Ids(stamps("ten_b", "acc_1", 100)), V{"msg_9"});
  EXPECT_TRUE(stamps("ten_b", "acc_2", 100).empty());
}

TEST_P(StoreContract, ListInactiveAccountsFindsStaleActiveAccountsOldestFirst) {
  AddTenants({"ten_a", "ten_b"});
  auto add = [&](const std::string& tenant, const std::string& id, AccountLifecycle lifecycle,
                 Timestamp updated) {
    Account a = FullAccount(tenant, id, "REF-" + id);
    a.lifecycle = lifecycle;
    a.status = AccountStatus::kActive;
    a.updated_at = kT0 + updated;
    SB_EXPECT_OK(Write([&](Tx& tx) { return tx.InsertAccount(a); }));
    return a;
  };
  Account oldest = add("ten_a", "acc_5", AccountLifecycle::kActive, 10);
  add("ten_a", "acc_1", AccountLifecycle::kActive, 30);
  add("ten_a", "acc_2", AccountLifecycle::kActive, 20);
  add("ten_a", "acc_3", AccountLifecycle::kActive, 20);
  add("ten_a", "acc_4", AccountLifecycle::kActive, 100);  // not before `before`
  add("ten_a", "acc_6", AccountLifecycle::kDormant, 1);
  add("ten_a", "acc_7", AccountLifecycle::kClosed, 1);
  add("ten_a", "acc_8", AccountLifecycle::kPendingActivation, 1);
  add("ten_b", "acc_9", AccountLifecycle::kActive, 1);
  auto scan = [&](const std::string& tenant, Timestamp before, int limit) {
    auto got = Get([&](Tx& tx) { return tx.ListInactiveAccounts(tenant, before, limit); });
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    return got.ok() ? Ids(*got) : V{};
  };
  EXPECT_EQ(scan("ten_a", kT0 + 100, 10), (V{"acc_5", "acc_2", "acc_3", "acc_1"}));
  EXPECT_EQ(scan("ten_a", kT0 + 101, 10), (V{"acc_5", "acc_2", "acc_3", "acc_1", "acc_4"}));
  EXPECT_EQ(scan("ten_a", kT0 + 100, 2), (V{"acc_5", "acc_2"}));
  EXPECT_EQ(scan("ten_a", kT0 + 10, 10), V{});
  EXPECT_EQ(scan("ten_a", kT0 + 100, 0), V{});
  EXPECT_EQ(scan("ten_b", kT0 + 100, 10), V{"acc_9"});
  auto first = Get([](Tx& tx) { return tx.ListInactiveAccounts("ten_a", kT0 + 11, 1); });
  SB_ASSERT_OK(first.status());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(Fields(first->front()), Fields(oldest));
}

}  // namespace
}  // namespace sb::testing
