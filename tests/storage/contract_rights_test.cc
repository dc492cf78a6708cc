// Storage contract: data rights (migration 0018): destroying a subject's data key, subject
// access exports, and the retention scan's list of closed accounts.

#include <string>
#include <vector>

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

TEST_P(StoreContract, DestroyingASubjectKeyWipesItAndKeepsTheFirstTime) {
  AddTenants({"ten_a", "ten_b"});
  SubjectKey live{"ten_a", "acc_1", std::string("\x00wrapped\xff", 9), std::nullopt};
  SubjectKey other{"ten_b", "acc_1", "w-b", std::nullopt};
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertSubjectKey(live));
    return tx.InsertSubjectKey(other);
  }));
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.DestroySubjectKey("ten_a", "acc_1", kT0 + 5); }));
  auto gone = Get([](Tx& tx) { return tx.GetSubjectKey("ten_a", "acc_1"); });
  SB_ASSERT_OK(gone.status());
  EXPECT_EQ(gone->wrapped_key, "") << "the wrapped key is overwritten, not kept";
  EXPECT_EQ(gone->destroyed_at, kT0 + 5);
  // Again: the first destruction's time stays.
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.DestroySubjectKey("ten_a", "acc_1", kT0 + 9); }));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetSubjectKey("ten_a", "acc_1"); })->destroyed_at, kT0 + 5);
  // Another tenant's key of the same subject id is untouched.
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetSubjectKey("ten_b", "acc_1"); })), Fields(other));
  // A subject without a key gets a destroyed row, so no key can be made for it later.
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.DestroySubjectKey("ten_a", "acc_7", kT0 + 6); }));
  auto never = Get([](Tx& tx) { return tx.GetSubjectKey("ten_a", "acc_7"); });
  SB_ASSERT_OK(never.status());
  EXPECT_EQ(never->destroyed_at, kT0 + 6);
  EXPECT_EQ(Write([&](Tx& tx) {
              return tx.InsertSubjectKey({"ten_a", "acc_7", "new", std::nullopt});
            }).code(),
            Code::kConflict);
}

TEST_P(StoreContract, DataExportsAreStoredOncePerRequest) {
  AddTenants({"ten_a", "ten_b"});
  DataExport e{"ten_a", "req_1", "acc_1", std::string("\x00sealed\xff", 8), kT0};
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertDataExport(e); }));
  auto got = Get([](Tx& tx) { return tx.GetDataExport("ten_a", "req_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(std::make_tuple(got->tenant_id, got->request_id, got->account_id, got->sealed,
                            got->created_at),
            std::make_tuple(e.tenant_id, e.request_id, e.account_id, e.sealed, e.created_at));
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertDataExport(e); }).code(), Code::kConflict);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetDataExport("ten_b", "req_1"); }).status().code(),
            Code::kNotFound);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetDataExport("ten_a", "req_2"); }).status().code(),
            Code::kNotFound);
}

TEST_P(StoreContract, ClosedAccountsToEraseAreOldClosedAndNotErased) {
  AddTenants({"ten_a", "ten_b"});
  auto add = [&](const std::string& tenant, const std::string& id, AccountLifecycle lifecycle,
                 Timestamp updated) {
    Account a = FullAccount(tenant, id, "REF-" + id);
    a.lifecycle = lifecycle;
    a.updated_at = kT0 + updated;
    SB_EXPECT_OK(Write([&](Tx& tx) { return tx.InsertAccount(a); }));
  };
  add("ten_a", "acc_1", AccountLifecycle::kClosed, 30);
  add("ten_a", "acc_2", AccountLifecycle::kClosed, 10);
  add("ten_a", "acc_3", AccountLifecycle::kClosed, 20);   // erased below
  add("ten_a", "acc_4", AccountLifecycle::kClosed, 200);  // too recent
  add("ten_a", "acc_5", AccountLifecycle::kActive, 1);
  add("ten_a", "acc_6", AccountLifecycle::kDormant, 1);
  add("ten_b", "acc_9", AccountLifecycle::kClosed, 1);
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.DestroySubjectKey("ten_a", "acc_3", kT0 + 50); }));
  // A live key does not count as erased.
  SB_ASSERT_OK(Write([](Tx& tx) {
    return tx.InsertSubjectKey({"ten_a", "acc_1", "k", std::nullopt});
  }));
  auto scan = [&](const std::string& tenant, Timestamp before, int limit) {
    auto got = Get([&](Tx& tx) { return tx.ListClosedAccountsToErase(tenant, before, limit); });
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    std::vector<std::string> ids;
    if (got.ok()) {
      for (const Account& a : *got) ids.push_back(a.id);
    }
    return ids;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(scan("ten_a", kT0 + 100, 10), (V{"acc_2", "acc_1"}));
  EXPECT_EQ(scan("ten_a", kT0 + 100, 1), (V{"acc_2"}));
  EXPECT_EQ(scan("ten_a", kT0 + 201, 10), (V{"acc_2", "acc_1", "acc_4"}));
  EXPECT_EQ(scan("ten_a", kT0 + 10, 10), V{});
  EXPECT_EQ(scan("ten_a", kT0 + 100, 0), V{});
  EXPECT_EQ(scan("ten_b", kT0 + 100, 10), V{"acc_9"});
}

}  // namespace
}  // namespace sb::testing
