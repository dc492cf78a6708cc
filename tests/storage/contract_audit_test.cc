// Storage contract: audit entries, sequencing into the Merkle log, tree nodes, log size and
// checkpoints.

#include <algorithm>

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

TEST_P(StoreContract, AuditEntriesRoundTripListAndFilter) {
  AddTenants({"ten_a", "ten_b"});
  AuditEntry full = FullAudit("ten_a", "aud_1", "acc_1");
  AuditEntry sys = FullAudit("ten_a", "aud_2", "acc_2");
  sys.actor = {ActorType::kSystem, "system", std::nullopt};
  sys.category = AuditCategory::kAccountStatus;
  sys.request_id = "req_2";
  AuditEntry third = FullAudit("ten_a", "aud_3", "acc_1");
  third.request_id = "req_2";
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(full));
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(sys));
    return tx.InsertAuditEntry(third);
  }));
  auto got = Get([](Tx& tx) { return tx.GetAuditEntry("ten_a", "aud_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(Fields(*got), Fields(full));
  EXPECT_FALSE(got->leaf_index.has_value());
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetAuditEntry("ten_a", "aud_2"); })), Fields(sys));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetAuditEntry("ten_b", "aud_1"); }).status().code(),
            Code::kNotFound);
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertAuditEntry(full); }).code(), Code::kConflict);

  auto list = [&](const std::string& tenant, AuditFilter f) {
    auto page = Get([&](Tx& tx) { return tx.ListAuditEntries(tenant, f); });
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? Ids(page->items) : std::vector<std::string>{};
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list("ten_a", {}), (V{"aud_3", "aud_2", "aud_1"}));
  EXPECT_EQ(list("ten_a", {.account_id = "acc_1"}), (V{"aud_3", "aud_1"}));
  EXPECT_EQ(list("ten_a", {.category = AuditCategory::kAccountStatus}), V{"aud_2"});
  EXPECT_EQ(list("ten_a", {.request_id = "req_2"}), (V{"aud_3", "aud_2"}));
  EXPECT_EQ(list("ten_a", {.starting_after = "aud_3", .limit = 1}), V{"aud_2"});
  EXPECT_EQ(list("ten_b", {}), V{});
  auto page = Get([](Tx& tx) { return tx.ListAuditEntries("ten_a", {.limit = 2}); });
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(page->next_cursor, "aud_2");
}

TEST_P(StoreContract, UnsequencedAuditIsListedOldestFirstUntilSequenced) {
  AddTenants({"ten_a", "ten_b", "ten_c"});
  // Ids and creation times disagree on purpose: order is created_at, then id.
  SB_ASSERT_OK(Write([](Tx& tx) {
    const std::vector<std::pair<std::string, Timestamp>> rows = {
        {"aud_1", kT0 + 30}, {"aud_2", kT0 + 10}, {"aud_3", kT0 + 20}, {"aud_4", kT0 + 10}};
    for (const auto& [id, at] : rows) {
      AuditEntry e = FullAudit("ten_a", id, "acc_1");
      e.created_at = at;
      SB_RETURN_IF_ERROR(tx.InsertAuditEntry(e));
    }
    return tx.InsertAuditEntry(FullAudit("ten_b", "aud_9", "acc_9"));
  }));
  auto tenants = Get([](Tx& tx) { return tx.TenantsWithUnsequencedAudit(); });
  SB_ASSERT_OK(tenants.status());
  std::sort(tenants->begin(), tenants->end());  // the port does not order them
  EXPECT_EQ(*tenants, (std::vector<std::string>{"ten_a", "ten_b"}));
  auto first = Get([](Tx& tx) { return tx.ListUnsequencedAudit("ten_a", 3); });
  EXPECT_EQ(Ids(*first), (std::vector<std::string>{"aud_2", "aud_4", "aud_3"}));

  std::string hash(32, '\xab');
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.SetAuditLeaves("ten_a", {{"aud_2", 0, hash}, {"aud_4", 1, hash}}));
    return tx.SetAuditLeaves("ten_b", {{"aud_9", 0, hash}});  // indexes are per tenant
  }));
  EXPECT_EQ(Ids(*Get([](Tx& tx) { return tx.ListUnsequencedAudit("ten_a", 10); })),
            (std::vector<std::string>{"aud_3", "aud_1"}));
  EXPECT_EQ(*Get([](Tx& tx) { return tx.TenantsWithUnsequencedAudit(); }),
            std::vector<std::string>{"ten_a"});
  auto sequenced = Get([](Tx& tx) { return tx.GetAuditEntry("ten_a", "aud_4"); });
  EXPECT_EQ(sequenced->leaf_index, std::optional<std::int64_t>(1));
  EXPECT_EQ(sequenced->leaf_hash, hash);

  EXPECT_EQ(Write([&](Tx& tx) {
              return tx.SetAuditLeaves("ten_a", {{"aud_3", 1, hash}});
            }).code(),
            Code::kConflict);
  EXPECT_EQ(Write([&](Tx& tx) {
              return tx.SetAuditLeaves("ten_c", {{"aud_3", 2, hash}});
            }).code(),
            Code::kNotFound);
  // A batch is all or nothing: one entry that is not there leaves the others unsequenced.
  EXPECT_EQ(Write([&](Tx& tx) {
              return tx.SetAuditLeaves("ten_a", {{"aud_3", 2, hash}, {"aud_missing", 3, hash}});
            }).code(),
            Code::kNotFound);
  EXPECT_EQ(Ids(*Get([](Tx& tx) { return tx.ListUnsequencedAudit("ten_a", 10); })),
            (std::vector<std::string>{"aud_3", "aud_1"}));
}

// An entry given its place when written (a single-writer store sequences as it writes) is
// stored in the log at once; its tenant waits for a checkpoint until one covers the size.
TEST_P(StoreContract, AuditEntryInsertedWithItsLeafIsInTheLogAndAwaitsACheckpoint) {
  AddTenants({"ten_a", "ten_b"});
  std::string hash(32, '\x5c');
  AuditEntry placed = FullAudit("ten_a", "aud_1", "acc_1");
  placed.leaf_index = 0;
  placed.leaf_hash = hash;
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(placed));
    return tx.SetLogSize("ten_a", 1);
  }));
  auto got = Get([](Tx& tx) { return tx.GetAuditEntry("ten_a", "aud_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(got->leaf_index, std::optional<std::int64_t>(0));
  EXPECT_EQ(got->leaf_hash, hash);
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListUnsequencedAudit("ten_a", 10); })->empty());
  EXPECT_EQ(*Get([](Tx& tx) { return tx.TenantsWithUnsequencedAudit(); }),
            std::vector<std::string>{"ten_a"});

  AuditEntry twin = FullAudit("ten_a", "aud_2", "acc_1");
  twin.leaf_index = 0;
  twin.leaf_hash = hash;
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertAuditEntry(twin); }).code(), Code::kConflict);

  SB_ASSERT_OK(Write([&](Tx& tx) {
    return tx.InsertCheckpoint({"ten_a", 1, std::string(32, '\x01'), kT0, "key", "sig"});
  }));
  EXPECT_TRUE(Get([](Tx& tx) { return tx.TenantsWithUnsequencedAudit(); })->empty());
  // A log that grows past its checkpoint is listed again; an older, smaller checkpoint
  // stored late does not cover it; the next checkpoint does.
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.SetLogSize("ten_a", 3); }));
  EXPECT_EQ(*Get([](Tx& tx) { return tx.TenantsWithUnsequencedAudit(); }),
            std::vector<std::string>{"ten_a"});
  SB_ASSERT_OK(Write([&](Tx& tx) {
    return tx.InsertCheckpoint({"ten_a", 2, std::string(32, '\x02'), kT0 + 5, "key", "sig"});
  }));
  EXPECT_EQ(*Get([](Tx& tx) { return tx.TenantsWithUnsequencedAudit(); }),
            std::vector<std::string>{"ten_a"});
  SB_ASSERT_OK(Write([&](Tx& tx) {
    return tx.InsertCheckpoint({"ten_a", 3, std::string(32, '\x03'), kT0 + 9, "key", "sig"});
  }));
  EXPECT_TRUE(Get([](Tx& tx) { return tx.TenantsWithUnsequencedAudit(); })->empty());
  SB_ASSERT_OK(Write([&](Tx& tx) {
    return tx.InsertCheckpoint({"ten_a", 1, std::string(32, '\x01'), kT0 + 20, "key", "sig"});
  }));
  EXPECT_TRUE(Get([](Tx& tx) { return tx.TenantsWithUnsequencedAudit(); })->empty());
}

TEST_P(StoreContract, ListAuditByIndexReturnsTheRangeInIndexOrder) {
  AddTenants({"ten_a", "ten_b"});
  SB_ASSERT_OK(Write([](Tx& tx) {
    for (int i = 0; i < 5; ++i) {
      std::string id = "aud_" + std::to_string(9 - i);  // ids run against leaf order
      SB_RETURN_IF_ERROR(tx.InsertAuditEntry(FullAudit("ten_a", id, "acc_1")));
      SB_RETURN_IF_ERROR(tx.SetAuditLeaves("ten_a", {{id, i, std::string(32, char('0' + i))}}));
    }
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(FullAudit("ten_a", "aud_0", "acc_1")));
    return Status::Ok();
  }));
  auto range = Get([](Tx& tx) { return tx.ListAuditByIndex("ten_a", 1, 4); });
  SB_ASSERT_OK(range.status());
  EXPECT_EQ(Ids(*range), (std::vector<std::string>{"aud_8", "aud_7", "aud_6"}));
  ASSERT_EQ(range->size(), 3u);
  EXPECT_EQ((*range)[0].leaf_hash, std::string(32, '1'));
  EXPECT_EQ((*range)[2].leaf_index, std::optional<std::int64_t>(3));
  EXPECT_EQ(Get([](Tx& tx) { return tx.ListAuditByIndex("ten_a", 0, 100); })->size(), 5u);
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListAuditByIndex("ten_a", 5, 9); })->empty());
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListAuditByIndex("ten_b", 0, 5); })->empty());
}

TEST_P(StoreContract, MerkleNodesAndLogSizeArePerTenant) {
  AddTenants({"ten_a", "ten_b"});
  EXPECT_EQ(*Get([](Tx& tx) { return tx.GetLogSize("ten_a"); }), 0);
  std::string h0(32, '\x00'), h1(32, '\x11'), h2(32, '\x22');
  h0[5] = '\x7f';
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.PutTreeNodes("ten_a", {{0, 0, h2}, {0, 1, h1}}));
    // A node stored again at its place replaces the one there.
    SB_RETURN_IF_ERROR(tx.PutTreeNodes("ten_a", {{0, 0, h0}, {1, 0, h2}}));
    SB_RETURN_IF_ERROR(tx.SetLogSize("ten_a", 2));
    return tx.GetLogSize("ten_a").status();
  }));
  EXPECT_EQ(*Get([](Tx& tx) { return tx.GetLogSize("ten_a"); }), 2);
  EXPECT_EQ(*Get([](Tx& tx) { return tx.GetLogSize("ten_b"); }), 0);
  EXPECT_EQ(*Get([](Tx& tx) { return tx.GetTreeNode("ten_a", 0, 0); }), h0);
  EXPECT_EQ(*Get([](Tx& tx) { return tx.GetTreeNode("ten_a", 0, 1); }), h1);
  EXPECT_EQ(*Get([](Tx& tx) { return tx.GetTreeNode("ten_a", 1, 0); }), h2);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetTreeNode("ten_a", 1, 1); }).status().code(),
            Code::kNotFound);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetTreeNode("ten_b", 0, 0); }).status().code(),
            Code::kNotFound);
  // Ranges of one level, in index order; a missing node is left out.
  auto level0 = Get([](Tx& tx) { return tx.ListTreeNodes("ten_a", 0, 0, 10); });
  SB_ASSERT_OK(level0.status());
  EXPECT_EQ(*level0, (std::vector<merkle::TreeNode>{{0, 0, h0}, {0, 1, h1}}));
  EXPECT_EQ(*Get([](Tx& tx) { return tx.ListTreeNodes("ten_a", 0, 1, 2); }),
            (std::vector<merkle::TreeNode>{{0, 1, h1}}));
  EXPECT_EQ(*Get([](Tx& tx) { return tx.ListTreeNodes("ten_a", 1, 0, 5); }),
            (std::vector<merkle::TreeNode>{{1, 0, h2}}));
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListTreeNodes("ten_b", 0, 0, 10); })->empty());
  // A leaf found by its hash, at level 0 only and in its own tenant.
  EXPECT_EQ(*Get([&](Tx& tx) { return tx.FindLeafPosition("ten_a", h1); }),
            std::optional<std::int64_t>(1));
  EXPECT_EQ(*Get([&](Tx& tx) { return tx.FindLeafPosition("ten_a", h2); }), std::nullopt);
  EXPECT_EQ(*Get([&](Tx& tx) { return tx.FindLeafPosition("ten_b", h0); }), std::nullopt);
  SB_ASSERT_OK(Write([](Tx& tx) { return tx.SetLogSize("ten_a", 3); }));
  EXPECT_EQ(*Get([](Tx& tx) { return tx.GetLogSize("ten_a"); }), 3);
}

TEST_P(StoreContract, CheckpointsLatestAndList) {
  AddTenants({"ten_a", "ten_b"});
  EXPECT_EQ(Get([](Tx& tx) { return tx.LatestCheckpoint("ten_a"); }).status().code(),
            Code::kNotFound);
  auto cp = [](std::int64_t size, Timestamp at) {
    return Checkpoint{"ten_a", size,    std::string(32, char(size)),
                      at,      "srv_1", std::string(64, '\x05')};
  };
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertCheckpoint(cp(1, kT0)));
    SB_RETURN_IF_ERROR(tx.InsertCheckpoint(cp(4, kT0 + 20)));
    SB_RETURN_IF_ERROR(tx.InsertCheckpoint(cp(2, kT0 + 30)));
    return tx.InsertCheckpoint(cp(2, kT0 + 10));
  }));
  auto latest = Get([](Tx& tx) { return tx.LatestCheckpoint("ten_a"); });
  SB_ASSERT_OK(latest.status());
  EXPECT_EQ(Fields(*latest), Fields(cp(4, kT0 + 20)));
  // Paged in (tree_size, created_at) order: two of the same size are both read.
  std::vector<std::pair<std::int64_t, Timestamp>> seen;
  std::int64_t after_size = -1;
  Timestamp after_at = 0;
  for (int page = 0; page < 5; ++page) {
    auto got =
        Get([&](Tx& tx) { return tx.ListCheckpointsAfter("ten_a", after_size, after_at, 2); });
    SB_ASSERT_OK(got.status());
    if (got->empty()) break;
    EXPECT_LE(got->size(), 2u);
    for (const Checkpoint& c : *got) seen.emplace_back(c.tree_size, c.created_at);
    after_size = got->back().tree_size;
    after_at = got->back().created_at;
  }
  EXPECT_EQ(seen, (std::vector<std::pair<std::int64_t, Timestamp>>{
                      {1, kT0}, {2, kT0 + 10}, {2, kT0 + 30}, {4, kT0 + 20}}));
  auto first = Get([](Tx& tx) { return tx.ListCheckpointsAfter("ten_a", -1, 0, 1); });
  SB_ASSERT_OK(first.status());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(Fields(first->front()), Fields(cp(1, kT0)));
  EXPECT_EQ(Get([](Tx& tx) { return tx.LatestCheckpoint("ten_b"); }).status().code(),
            Code::kNotFound);
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListCheckpointsAfter("ten_b", -1, 0, 10); })->empty());
}

// A change's audit entries and events are all there, whatever it reads between them and
// however many it writes, or none is (PostgreSQL holds them back and writes them together:
// PgTx::Pending, storage/postgres/pg_tx.h).
TEST_P(StoreContract, AChangesEntriesAndEventsAreAllWrittenOrNoneIs) {
  AddTenants({"ten_a", "ten_b"});
  auto entries = [](Tx& tx, const std::string& tenant) {
    return tx.ListAuditEntries(tenant, {.limit = 100})->items.size();
  };
  auto events = [](Tx& tx) { return tx.ListOutbox("ten_a", {.limit = 100})->items.size(); };
  auto two_digits = [](int i) { return std::string(i < 10 ? "0" : "") + std::to_string(i); };
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    for (int i = 0; i < 20; ++i) {  // more than one statement's worth
      SB_RETURN_IF_ERROR(tx.InsertAuditEntry(FullAudit("ten_a", "aud_" + two_digits(i), "acc_1")));
      if (i % 7 == 0) {
        SB_RETURN_IF_ERROR(tx.InsertOutbox(FullOutbox("ten_a", "evt_" + two_digits(i), "acc_1")));
      }
      if (i == 9) EXPECT_EQ(entries(tx, "ten_a"), 10u) << "a read between sees them";
    }
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(FullAudit("ten_b", "aud_b", "acc_9")));
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(FullAudit("ten_a", "aud_20", "acc_1")));
    EXPECT_EQ(events(tx), 3u);
    return Status::Ok();
  }));
  EXPECT_EQ(*Get([&](Tx& tx) -> Result<size_t> { return entries(tx, "ten_a"); }), 21u);
  EXPECT_EQ(*Get([&](Tx& tx) -> Result<size_t> { return entries(tx, "ten_b"); }), 1u);

  // One id already taken among new ones: the write fails and none of them is stored.
  Status taken = Write([&](Tx& tx) -> Status {
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(FullAudit("ten_a", "aud_new_1", "acc_1")));
    SB_RETURN_IF_ERROR(tx.InsertOutbox(FullOutbox("ten_a", "evt_new", "acc_1")));
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(FullAudit("ten_a", "aud_05", "acc_1")));
    return tx.InsertAuditEntry(FullAudit("ten_a", "aud_new_2", "acc_1"));
  });
  EXPECT_EQ(taken.code(), Code::kConflict);
  EXPECT_EQ(taken.reason(), "duplicate");
  EXPECT_EQ(*Get([&](Tx& tx) -> Result<size_t> { return entries(tx, "ten_a"); }), 21u);
  EXPECT_EQ(*Get([&](Tx& tx) -> Result<size_t> { return events(tx); }), 3u);
}

}  // namespace
}  // namespace sb::testing
