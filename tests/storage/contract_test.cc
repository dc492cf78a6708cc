// Storage contract: tenants, API keys, catalogues, keys and the Write/Read semantics
// (rollback on error, abort or exception; group commit isolation; read-only reads).

#include "tests/storage/contract.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <thread>

#include "tests/support/test_stores.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

TEST_P(StoreContract, TenantsRoundTripListAndRejectDuplicates) {
  AddTenants({"ten_a", "ten_b"});
  auto got = Get([](Tx& tx) { return tx.GetTenant("ten_a"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(Fields(*got), Fields(FullTenant("ten_a")));
  auto all = Get([](Tx& tx) { return tx.ListTenants(); });
  SB_ASSERT_OK(all.status());
  std::vector<std::string> ids = Ids(*all);  // the port does not order tenants
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"ten_a", "ten_b"}));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetTenant("ten_zz"); }).status().code(), Code::kNotFound);
  Status dup = Write([](Tx& tx) { return tx.InsertTenant(FullTenant("ten_a")); });
  EXPECT_EQ(dup.code(), Code::kConflict);
  EXPECT_EQ(dup.reason(), "duplicate");
}

TEST_P(StoreContract, ApiKeysFoundByHashAcrossTenantsAndRevoked) {
  AddTenants({"ten_a", "ten_b"});
  ApiKey live = FullApiKey("ten_b", "key_1", "hash-live");
  live.revoked_at.reset();
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertApiKey(live); }));
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.InsertApiKey(FullApiKey("ten_a", "key_2", "h2")); }));

  auto found = Get([](Tx& tx) { return tx.FindApiKeyByHash("hash-live"); });
  SB_ASSERT_OK(found.status());
  EXPECT_EQ(Fields(*found), Fields(live));
  auto revoked = Get([](Tx& tx) { return tx.FindApiKeyByHash("h2"); });
  SB_ASSERT_OK(revoked.status());
  EXPECT_EQ(Fields(*revoked), Fields(FullApiKey("ten_a", "key_2", "h2")));
  EXPECT_EQ(Get([](Tx& tx) { return tx.FindApiKeyByHash("nope"); }).status().code(),
            Code::kNotFound);

  auto a_keys = Get([](Tx& tx) { return tx.ListApiKeys("ten_a"); });
  SB_ASSERT_OK(a_keys.status());
  EXPECT_EQ(Ids(*a_keys), std::vector<std::string>{"key_2"});

  Status dup_hash =
      Write([](Tx& tx) { return tx.InsertApiKey(FullApiKey("ten_a", "key_3", "hash-live")); });
  EXPECT_EQ(dup_hash.code(), Code::kConflict);

  EXPECT_EQ(Write([](Tx& tx) { return tx.RevokeApiKey("ten_a", "key_1", kT0 + 5); }).code(),
            Code::kNotFound);
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.RevokeApiKey("ten_b", "key_1", kT0 + 5); }));
  auto after = Get([](Tx& tx) { return tx.FindApiKeyByHash("hash-live"); });
  SB_ASSERT_OK(after.status());
  EXPECT_EQ(after->revoked_at, std::optional<Timestamp>(kT0 + 5));
}

TEST_P(StoreContract, ReasonCodesAndPlansUpsertPerTenant) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.UpsertReasonCode({"ten_a", "PAID", "paid"}));
    SB_RETURN_IF_ERROR(tx.UpsertReasonCode({"ten_a", "PAID", "payment received"}));
    SB_RETURN_IF_ERROR(tx.UpsertReasonCode({"ten_a", "FRAUD", "fraud"}));
    SB_RETURN_IF_ERROR(tx.UpsertPlan({"ten_a", "basic", "Basic", 999, "EUR", true}));
    return tx.UpsertPlan({"ten_a", "basic", "Basic+", 1299, "USD", false});
  }));
  auto codes = Get([](Tx& tx) { return tx.ListReasonCodes("ten_a"); });
  SB_ASSERT_OK(codes.status());
  ASSERT_EQ(codes->size(), 2u);
  for (const ReasonCode& c : *codes) {
    if (c.code == "PAID") {
      EXPECT_EQ(c.description, "payment received");
    }
  }
  auto plan = Get([](Tx& tx) { return tx.GetPlan("ten_a", "basic"); });
  SB_ASSERT_OK(plan.status());
  EXPECT_EQ(Fields(*plan), Fields(Plan{"ten_a", "basic", "Basic+", 1299, "USD", false}));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetPlan("ten_b", "basic"); }).status().code(),
            Code::kNotFound);
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListPlans("ten_b"); })->empty());
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListReasonCodes("ten_b"); })->empty());
  EXPECT_EQ(Get([](Tx& tx) { return tx.ListPlans("ten_a"); })->size(), 1u);
}

TEST_P(StoreContract, SubjectKeysAndServerKeys) {
  AddTenants({"ten_a", "ten_b"});
  SubjectKey live{"ten_a", "acc_1", std::string("\x00wrapped\xff", 9), std::nullopt};
  SubjectKey gone{"ten_a", "acc_2", "w2", kT0 + 1};
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertSubjectKey(live));
    return tx.InsertSubjectKey(gone);
  }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetSubjectKey("ten_a", "acc_1"); })), Fields(live));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetSubjectKey("ten_a", "acc_2"); })), Fields(gone));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetSubjectKey("ten_b", "acc_1"); }).status().code(),
            Code::kNotFound);
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertSubjectKey(live); }).code(), Code::kConflict);

  EXPECT_EQ(Get([](Tx& tx) { return tx.GetServerKey("audit_signing"); }).status().code(),
            Code::kNotFound);
  ServerKey old_key{"srv_1", "audit_signing", std::string(32, '\x01'), "sealed1", kT0};
  ServerKey new_key{"srv_2", "audit_signing", std::string(32, '\x02'), "sealed2", kT0 + 10};
  ServerKey other{"srv_3", "webhook", "pk", "sk", kT0 + 20};
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertServerKey(old_key));
    SB_RETURN_IF_ERROR(tx.InsertServerKey(new_key));
    return tx.InsertServerKey(other);
  }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetServerKey("audit_signing"); })), Fields(new_key));
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertServerKey(old_key); }).code(), Code::kConflict);
}

TEST_P(StoreContract, ReadTransactionRefusesWrites) {
  Status s = store_->Read([](Tx& tx) { return tx.InsertTenant(FullTenant("ten_a")); });
  EXPECT_EQ(s.code(), Code::kInternal);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetTenant("ten_a"); }).status().code(), Code::kNotFound);
  SB_EXPECT_OK(store_->Ping());
}

TEST_P(StoreContract, WriteSeesItsOwnChangesAndCommits) {
  Status s = Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertTenant(FullTenant("ten_a")));
    return tx.GetTenant("ten_a").status();
  });
  SB_ASSERT_OK(s);
  SB_EXPECT_OK(Get([](Tx& tx) { return tx.GetTenant("ten_a"); }).status());
}

TEST_P(StoreContract, FailedWritesKeepNothing) {
  Status failed = Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertTenant(FullTenant("ten_err")));
    return Status::Unprocessable("rule", "refused by a rule");
  });
  EXPECT_EQ(failed.code(), Code::kUnprocessable);
  EXPECT_EQ(failed.reason(), "rule");
  Status aborted = Write([](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertTenant(FullTenant("ten_abort")));
    return Status::Aborted();
  });
  EXPECT_EQ(aborted.code(), Code::kAborted);
  Status thrown = Write([](Tx& tx) -> Status {
    SB_RETURN_IF_ERROR(tx.InsertTenant(FullTenant("ten_throw")));
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(thrown.code(), Code::kInternal);
  auto all = Get([](Tx& tx) { return tx.ListTenants(); });
  SB_ASSERT_OK(all.status());
  EXPECT_TRUE(all->empty()) << all->size() << " tenants kept";
  // The store still works afterwards.
  AddTenants({"ten_ok"});
  EXPECT_EQ(Get([](Tx& tx) { return tx.ListTenants(); })->size(), 1u);
}

// Many writers at once: on SQLite they share batches. A failing callback (error, duplicate
// key after a successful insert, or exception) loses only its own rows.
TEST_P(StoreContract, ConcurrentWritersFailIndependently) {
  AddTenants({"ten_a"});
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> unexpected{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = "acc_" + std::to_string(t) + "_" + std::to_string(i);
        int mode = (t * kPerThread + i) % 10;  // 7: error, 8: duplicate, 9: throw
        Status s = Write([&](Tx& tx) -> Status {
          SB_RETURN_IF_ERROR(tx.InsertAccount(FullAccount("ten_a", id, "ref_" + id)));
          if (mode == 7) return Status::Conflict("illegal_transition", "no");
          if (mode == 8) return tx.InsertAccount(FullAccount("ten_a", id, "other_" + id));
          if (mode == 9) throw std::runtime_error("boom");
          return Status::Ok();
        });
        Code want = mode == 7 || mode == 8 ? Code::kConflict
                    : mode == 9            ? Code::kInternal
                                           : Code::kOk;
        if (s.code() != want) ++unexpected;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(unexpected.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      std::string id = "acc_" + std::to_string(t) + "_" + std::to_string(i);
      bool kept = (t * kPerThread + i) % 10 < 7;
      Code got = Get([&](Tx& tx) { return tx.GetAccount("ten_a", id, false); }).status().code();
      EXPECT_EQ(got, kept ? Code::kOk : Code::kNotFound) << id;
    }
  }
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values(&NewSqliteTestStore));

}  // namespace sb::testing
