// Storage contract: the plan history of services (migration 0011).

#include <tuple>

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

PlanHistoryEntry Entry(const std::string& tenant, const std::string& id, const std::string& account,
                       const std::string& service, const std::string& plan, Timestamp at) {
  return {tenant, id, account, service, plan, "req_" + id, at};
}

TEST_P(StoreContract, PlanHistoryListsAnAccountsEntriesOldestFirst) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  AddAccount("ten_a", "acc_2", "REF-2");
  AddAccount("ten_b", "acc_1", "REF-1");
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertService(FullService("ten_a", "svc_1", "acc_1")));
    SB_RETURN_IF_ERROR(tx.InsertService(FullService("ten_a", "svc_2", "acc_1")));
    SB_RETURN_IF_ERROR(tx.InsertService(FullService("ten_a", "svc_3", "acc_2")));
    return tx.InsertService(FullService("ten_b", "svc_1", "acc_1"));
  }));
  std::vector<PlanHistoryEntry> entries = {
      Entry("ten_a", "plh_3", "acc_1", "svc_1", "mobile_unlimited", kT0 + 20),
      Entry("ten_a", "plh_1", "acc_1", "svc_1", "mobile_basic", kT0),
      Entry("ten_a", "plh_2", "acc_1", "svc_2", "fiber_500", kT0),
      Entry("ten_a", "plh_4", "acc_2", "svc_3", "tv_plus", kT0),
      Entry("ten_b", "plh_5", "acc_1", "svc_1", "mobile_basic", kT0),
  };
  SB_ASSERT_OK(Write([&](Tx& tx) {
    for (const auto& e : entries) SB_RETURN_IF_ERROR(tx.InsertPlanHistory(e));
    return Status::Ok();
  }));
  auto listed = Get([](Tx& tx) { return tx.ListPlanHistory("ten_a", "acc_1"); });
  SB_ASSERT_OK(listed.status());
  std::vector<std::tuple<std::string, std::string, std::string, std::string, Timestamp>> got;
  for (const auto& e : *listed)
    got.emplace_back(e.id, e.service_id, e.plan_code, e.request_id, e.at);
  EXPECT_EQ(got,
            (std::vector<std::tuple<std::string, std::string, std::string, std::string, Timestamp>>{
                {"plh_1", "svc_1", "mobile_basic", "req_plh_1", kT0},
                {"plh_2", "svc_2", "fiber_500", "req_plh_2", kT0},
                {"plh_3", "svc_1", "mobile_unlimited", "req_plh_3", kT0 + 20},
            }));
  EXPECT_EQ(listed->front().tenant_id, "ten_a");
  EXPECT_EQ(listed->front().account_id, "acc_1");
  auto other = Get([](Tx& tx) { return tx.ListPlanHistory("ten_b", "acc_2"); });
  SB_ASSERT_OK(other.status());
  EXPECT_TRUE(other->empty());
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertPlanHistory(entries[0]); }).code(),
            Code::kConflict);
}

}  // namespace
}  // namespace sb::testing
