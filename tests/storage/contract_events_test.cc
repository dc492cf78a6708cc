// Storage contract: tenant secrets (upsert per purpose) and inbound events (deduplication).

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

auto EventFields(const TenantSecret& s) {
  return std::make_tuple(s.tenant_id, s.purpose, s.secret_sealed, s.created_at);
}

auto EventFields(const InboundEvent& e) {
  return std::make_tuple(e.tenant_id, e.event_id, e.type, e.received_at, e.request_ids, e.outcome);
}

TEST_P(StoreContract, TenantSecretUpsertReplacesPerPurpose) {
  AddTenants({"ten_a", "ten_b"});
  std::string binary("\x00\x01\xff sealed", 10);
  TenantSecret first{"ten_a", "inbound_events", binary, kT0};
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpsertTenantSecret(first); }));
  auto got = Get([](Tx& tx) { return tx.GetTenantSecret("ten_a", "inbound_events"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(EventFields(*got), EventFields(first));

  TenantSecret second{"ten_a", "inbound_events", "other", kT0 + 5};
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpsertTenantSecret(second); }));
  got = Get([](Tx& tx) { return tx.GetTenantSecret("ten_a", "inbound_events"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(EventFields(*got), EventFields(second));

  EXPECT_EQ(
      Get([](Tx& tx) { return tx.GetTenantSecret("ten_b", "inbound_events"); }).status().code(),
      Code::kNotFound);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetTenantSecret("ten_a", "other"); }).status().code(),
            Code::kNotFound);
}

TEST_P(StoreContract, InboundEventIsSeenOncePerTenant) {
  AddTenants({"ten_a", "ten_b"});
  InboundEvent e{"ten_a", "evt_1", "payment.received", kT0, {"req_1"}, "applied"};
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertInboundEvent(e); }));
  auto got = Get([](Tx& tx) { return tx.GetInboundEvent("ten_a", "evt_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(EventFields(*got), EventFields(e));

  InboundEvent again = e;
  again.outcome = "ignored";
  Status dup = Write([&](Tx& tx) { return tx.InsertInboundEvent(again); });
  EXPECT_EQ(dup.code(), Code::kConflict);
  EXPECT_EQ(dup.reason(), "duplicate");
  got = Get([](Tx& tx) { return tx.GetInboundEvent("ten_a", "evt_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(got->outcome, "applied");

  // The same id in another tenant is another event.
  InboundEvent other{"ten_b", "evt_1", "account.unknown", kT0 + 1, {}, "ignored"};
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertInboundEvent(other); }));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetInboundEvent("ten_a", "evt_2"); }).status().code(),
            Code::kNotFound);
  got = Get([](Tx& tx) { return tx.GetInboundEvent("ten_b", "evt_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_TRUE(got->request_ids.empty());
}

// A payment that lifts several holds creates one request per hold: a redelivery must answer
// every one of them, in the order they were made.
TEST_P(StoreContract, InboundEventKeepsEveryRequestIdInOrder) {
  AddTenants({"ten_a"});
  InboundEvent e{"ten_a",  "evt_many", "payment.received", kT0, {"req_3", "req_1", "req_2"},
                 "applied"};
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertInboundEvent(e); }));
  auto got = Get([](Tx& tx) { return tx.GetInboundEvent("ten_a", "evt_many"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(got->request_ids, (std::vector<std::string>{"req_3", "req_1", "req_2"}));
  EXPECT_EQ(EventFields(*got), EventFields(e));
}

}  // namespace
}  // namespace sb::testing
