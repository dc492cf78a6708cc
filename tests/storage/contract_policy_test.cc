// Storage contract: policy packs (versions, the pack in force at a time, tenant isolation).

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

StoredPolicyPack Pack(const std::string& tenant, const std::string& version, Timestamp from) {
  return {tenant,  version,         from, "version: \"" + version + "\"\n# " + tenant + "\n",
          kT0 + 3, "key_" + version};
}

auto PolicyFields(const StoredPolicyPack& p) {
  return std::make_tuple(p.tenant_id, p.version, p.effective_from, p.yaml_text, p.created_at,
                         p.created_by);
}

std::vector<std::string> Versions(const std::vector<StoredPolicyPack>& packs) {
  std::vector<std::string> out;
  for (const auto& p : packs) out.push_back(p.version);
  return out;
}

TEST_P(StoreContract, PolicyPackRoundTrips) {
  AddTenants({"ten_a"});
  StoredPolicyPack p = Pack("ten_a", "2026.1", kT0);
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertPolicyPack(p); }));
  auto got = Get([](Tx& tx) { return tx.PolicyPackInForce("ten_a", kT0); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(PolicyFields(*got), PolicyFields(p));
  auto list = Get([](Tx& tx) { return tx.ListPolicyPacks("ten_a"); });
  SB_ASSERT_OK(list.status());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(PolicyFields((*list)[0]), PolicyFields(p));
}

TEST_P(StoreContract, PolicyPackInForceFollowsEffectiveTime) {
  AddTenants({"ten_a"});
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    SB_RETURN_IF_ERROR(tx.InsertPolicyPack(Pack("ten_a", "1", kT0)));
    SB_RETURN_IF_ERROR(tx.InsertPolicyPack(Pack("ten_a", "2", kT0 + 1000)));
    SB_RETURN_IF_ERROR(tx.InsertPolicyPack(Pack("ten_a", "2b", kT0 + 1000)));
    return tx.InsertPolicyPack(Pack("ten_a", "3", kT0 + 5000));  // future-dated
  }));
  auto at = [&](Timestamp t) {
    auto r = Get([&](Tx& tx) { return tx.PolicyPackInForce("ten_a", t); });
    auto v = Get([&](Tx& tx) { return tx.PolicyVersionInForce("ten_a", t); });
    EXPECT_EQ(v.ok() ? *v : std::string(CodeName(v.status().code())),
              r.ok() ? r->version : std::string(CodeName(r.status().code())));
    return r.ok() ? r->version : std::string(CodeName(r.status().code()));
  };
  EXPECT_EQ(at(kT0 - 1), "not_found");
  EXPECT_EQ(at(kT0), "1");
  EXPECT_EQ(at(kT0 + 999), "1");
  EXPECT_EQ(at(kT0 + 1000), "2b");  // same effective time: the highest version
  EXPECT_EQ(at(kT0 + 4999), "2b");  // "3" is not in force yet
  EXPECT_EQ(at(kT0 + 5000), "3");
  auto list = Get([](Tx& tx) { return tx.ListPolicyPacks("ten_a"); });
  SB_ASSERT_OK(list.status());
  EXPECT_EQ(Versions(*list), (std::vector<std::string>{"3", "2b", "2", "1"}));
}

// One transaction asking again and again (as one change does) sees the pack that takes
// effect in between, and a pack it stores itself.
TEST_P(StoreContract, PolicyVersionInForceFollowsTimeAndStoresWithinOneTransaction) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    SB_RETURN_IF_ERROR(tx.InsertPolicyPack(Pack("ten_a", "1", kT0)));
    SB_RETURN_IF_ERROR(tx.InsertPolicyPack(Pack("ten_b", "b1", kT0)));
    return tx.InsertPolicyPack(Pack("ten_a", "2", kT0 + 1000));
  }));
  std::vector<std::string> seen;
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    for (Timestamp t : {kT0, kT0 + 999, kT0 + 1000, kT0 + 999}) {
      SB_ASSIGN_OR_RETURN(std::string v, tx.PolicyVersionInForce("ten_a", t));
      seen.push_back(v);
    }
    SB_ASSIGN_OR_RETURN(std::string other, tx.PolicyVersionInForce("ten_b", kT0 + 1000));
    seen.push_back(other);
    SB_RETURN_IF_ERROR(tx.InsertPolicyPack(Pack("ten_a", "3", kT0 + 1000)));
    SB_ASSIGN_OR_RETURN(std::string stored, tx.PolicyVersionInForce("ten_a", kT0 + 1000));
    seen.push_back(stored);
    return Status::Ok();
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "1", "2", "1", "b1", "3"}));
}

TEST_P(StoreContract, PolicyPacksStayInTheirTenant) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    SB_RETURN_IF_ERROR(tx.InsertPolicyPack(Pack("ten_a", "a1", kT0)));
    return tx.InsertPolicyPack(Pack("ten_b", "b1", kT0 + 10));
  }));
  auto a = Get([](Tx& tx) { return tx.PolicyPackInForce("ten_a", kT0 + 100); });
  SB_ASSERT_OK(a.status());
  EXPECT_EQ(a->version, "a1");
  auto list_b = Get([](Tx& tx) { return tx.ListPolicyPacks("ten_b"); });
  SB_ASSERT_OK(list_b.status());
  EXPECT_EQ(Versions(*list_b), std::vector<std::string>{"b1"});
  auto none = Get([](Tx& tx) { return tx.PolicyPackInForce("ten_c", kT0 + 100); });
  EXPECT_EQ(none.status().code(), Code::kNotFound);
  auto empty = Get([](Tx& tx) { return tx.ListPolicyPacks("ten_c"); });
  SB_ASSERT_OK(empty.status());
  EXPECT_TRUE(empty->empty());
}

TEST_P(StoreContract, DuplicatePolicyPackVersionConflicts) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertPolicyPack(Pack("ten_a", "1", kT0)); }));
  Status dup = Write([&](Tx& tx) { return tx.InsertPolicyPack(Pack("ten_a", "1", kT0 + 9)); });
  EXPECT_EQ(dup.code(), Code::kConflict) << dup.ToString();
  // The same version in another tenant is a different pack.
  SB_EXPECT_OK(Write([&](Tx& tx) { return tx.InsertPolicyPack(Pack("ten_b", "1", kT0)); }));
  auto a = Get([](Tx& tx) { return tx.PolicyPackInForce("ten_a", kT0 + 100); });
  SB_ASSERT_OK(a.status());
  EXPECT_EQ(a->effective_from, kT0);
}

}  // namespace
}  // namespace sb::testing
