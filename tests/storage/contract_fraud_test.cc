// Storage contract: fraud signals.

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;
using V = std::vector<std::string>;

FraudSignal Signal(const std::string& tenant, const std::string& id, const std::string& account) {
  return {tenant, id, "reactivation_velocity", account, "req_1", "", R"({"reactivations":3})", kT0};
}

auto SignalFields(const FraudSignal& s) {
  return std::make_tuple(s.tenant_id, s.id, s.rule, s.account_id, s.request_id, s.hold_request_id,
                         s.figures_json, s.created_at);
}

TEST_P(StoreContract, FraudSignalsPageNewestFirstPerTenantAndAccount) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  AddAccount("ten_a", "acc_2", "REF-2");
  AddAccount("ten_b", "acc_1", "REF-1");
  FraudSignal held = Signal("ten_a", "fsig_2", "acc_1");
  held.rule = "alert";
  held.request_id.clear();
  held.hold_request_id = "req_9";
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertFraudSignal(Signal("ten_a", "fsig_1", "acc_1")));
    SB_RETURN_IF_ERROR(tx.InsertFraudSignal(held));
    SB_RETURN_IF_ERROR(tx.InsertFraudSignal(Signal("ten_a", "fsig_3", "acc_2")));
    return tx.InsertFraudSignal(Signal("ten_b", "fsig_4", "acc_1"));
  }));
  auto list = [&](const std::string& tenant, FraudSignalFilter f) {
    auto page = Get([&](Tx& tx) { return tx.ListFraudSignals(tenant, f); });
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? *page : Page<FraudSignal>{};
  };
  EXPECT_EQ(Ids(list("ten_a", {}).items), (V{"fsig_3", "fsig_2", "fsig_1"}));
  EXPECT_EQ(Ids(list("ten_a", {.account_id = "acc_1"}).items), (V{"fsig_2", "fsig_1"}));
  EXPECT_EQ(Ids(list("ten_b", {}).items), (V{"fsig_4"}));
  Page<FraudSignal> first = list("ten_a", {.limit = 2});
  EXPECT_EQ(Ids(first.items), (V{"fsig_3", "fsig_2"}));
  EXPECT_TRUE(first.has_more);
  EXPECT_EQ(first.next_cursor, "fsig_2");
  Page<FraudSignal> rest = list("ten_a", {.starting_after = "fsig_2", .limit = 2});
  EXPECT_EQ(Ids(rest.items), (V{"fsig_1"}));
  EXPECT_FALSE(rest.has_more);
  EXPECT_EQ(SignalFields(list("ten_a", {.account_id = "acc_1"}).items.front()), SignalFields(held));
}

}  // namespace
}  // namespace sb::testing
