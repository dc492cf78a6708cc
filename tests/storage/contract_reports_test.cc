// Storage contract: what reports read. An account's region, the requests export's pages with
// their filters and region, the breakdown's stats, and the audit list's time and actor filters.

#include <algorithm>

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;
using V = std::vector<std::string>;

TEST_P(StoreContract, AccountRegionIsStoredAndListedBy) {
  AddTenants({"ten_a"});
  Account eu = FullAccount("ten_a", "acc_1", "R1");
  eu.region = "eu-west";
  Account none = FullAccount("ten_a", "acc_2", "R2");
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertAccount(eu));
    return tx.InsertAccount(none);
  }));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetAccount("ten_a", "acc_1"); })->region, "eu-west");
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetAccount("ten_a", "acc_2"); })->region, "");
  // An update keeps it.
  Account changed = *Get([](Tx& tx) { return tx.GetAccount("ten_a", "acc_1"); });
  std::int64_t was = changed.version;
  changed.version = was + 1;
  changed.region = "elsewhere";
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateAccount(changed, was); }));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetAccount("ten_a", "acc_1"); })->region, "eu-west");
  auto page = Get([](Tx& tx) {
    AccountFilter f;
    f.region = "eu-west";
    return tx.ListAccounts("ten_a", f);
  });
  SB_ASSERT_OK(page.status());
  EXPECT_EQ(Ids(page->items), V{"acc_1"});
}

// Two accounts (eu-west, none) and requests created at kT0 + 0..9, alternating accounts;
// req_3 and req_4 share a creation time.
void SeedReportRows(Store& store) {
  Account eu = FullAccount("ten_a", "acc_eu", "EU");
  eu.region = "eu-west";
  Account none = FullAccount("ten_a", "acc_none", "NONE");
  SB_ASSERT_OK(store.Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertAccount(eu));
    SB_RETURN_IF_ERROR(tx.InsertAccount(none));
    for (int i = 0; i < 10; ++i) {
      Request r = FullRequest("ten_a", "req_" + std::to_string(i), i % 2 ? "acc_none" : "acc_eu");
      r.created_at = kT0 + (i == 4 ? 3 : i);
      r.origin = i < 5 ? Origin::kBulk : Origin::kVoluntary;
      r.channel = i == 9 ? Channel::kVoice : Channel::kApi;
      r.actor.id = i == 8 ? "key_other" : "key_main";
      r.state = i == 7 ? RequestState::kRejected : RequestState::kCompleted;
      SB_RETURN_IF_ERROR(tx.InsertRequest(r));
    }
    return Status::Ok();
  }));
}

// Every id that `read` (a page after a cursor) gives, page after page until an empty one.
template <typename Row, typename ReadPage>
V AllPages(Store& store, ReadPage read) {
  V out;
  ReportCursor after;
  for (int guard = 0; guard < 100; ++guard) {
    std::vector<Row> page;
    Status s = store.Read([&](Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(page, read(tx, after));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok() || page.empty()) break;
    for (const auto& r : page) out.push_back(r.id);
    after = {page.back().created_at, page.back().id};
  }
  return out;
}

// Every id of ten_a the report gives for `f`, read `limit` at a time.
V AllReported(Store& store, const RequestReportFilter& f, int limit) {
  return AllPages<RequestReportRow>(store, [&](Tx& tx, const ReportCursor& after) {
    return tx.ListRequestReport("ten_a", f, after, limit);
  });
}

TEST_P(StoreContract, RequestReportPagesNewestFirstThroughTies) {
  AddTenants({"ten_a", "ten_b"});
  SeedReportRows(*store_);
  RequestReportFilter f{.from = kT0, .to = kT0 + 100};
  V all = {"req_9", "req_8", "req_7", "req_6", "req_5",
           "req_4", "req_3", "req_2", "req_1", "req_0"};
  for (int limit : {1, 2, 3, 1000}) EXPECT_EQ(AllReported(*store_, f, limit), all) << limit;
  EXPECT_EQ(AllReported(*store_, {.from = kT0 + 3, .to = kT0 + 5}, 1), (V{"req_4", "req_3"}));
  auto rows = Get([&](Tx& tx) { return tx.ListRequestReport("ten_a", f, {}, 2); });
  SB_ASSERT_OK(rows.status());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].region, "eu-west");
  EXPECT_EQ((*rows)[1].account_id, "acc_eu");
  EXPECT_EQ((*rows)[0].region, "");
  EXPECT_EQ((*rows)[0].channel, Channel::kVoice);
  EXPECT_TRUE(Get([&](Tx& tx) { return tx.ListRequestReport("ten_b", f, {}, 10); })->empty());
}

// The ids of ten_a's requests in [from, to) as the KPIs read them, `limit` at a time.
V AllStats(Store& store, Timestamp from, Timestamp to, int limit) {
  return AllPages<RequestStat>(store, [&](Tx& tx, const ReportCursor& after) {
    return tx.ListRequestReportStats("ten_a", from, to, after, limit);
  });
}

// A window of any size is read a page at a time: every request once, newest first, the two
// made at the same millisecond (req_3, req_4) included whatever the page size.
TEST_P(StoreContract, RequestStatsComeInPagesNewestFirst) {
  AddTenants({"ten_a", "ten_b"});
  SeedReportRows(*store_);
  V all = {"req_9", "req_8", "req_7", "req_6", "req_5",
           "req_4", "req_3", "req_2", "req_1", "req_0"};
  for (int limit : {1, 2, 3, 1000}) EXPECT_EQ(AllStats(*store_, kT0, kT0 + 100, limit), all);
  EXPECT_EQ(AllStats(*store_, kT0 + 3, kT0 + 5, 1), (V{"req_4", "req_3"}));
  EXPECT_EQ(AllStats(*store_, kT0 + 10, kT0 + 100, 2), V{});
  auto other =
      Get([](Tx& tx) { return tx.ListRequestReportStats("ten_b", kT0, kT0 + 100, {}, 5); });
  SB_ASSERT_OK(other.status());
  EXPECT_TRUE(other->empty());
}

TEST_P(StoreContract, RequestReportFilters) {
  AddTenants({"ten_a"});
  SeedReportRows(*store_);
  RequestReportFilter f{.from = kT0, .to = kT0 + 100};
  auto with = [&](auto set) {
    RequestReportFilter g = f;
    set(g);
    return AllReported(*store_, g, 3);
  };
  EXPECT_EQ(with([](auto& g) { g.region = "eu-west"; }),
            (V{"req_8", "req_6", "req_4", "req_2", "req_0"}));
  EXPECT_EQ(with([](auto& g) { g.origin = Origin::kVoluntary; }),
            (V{"req_9", "req_8", "req_7", "req_6", "req_5"}));
  EXPECT_EQ(with([](auto& g) { g.channel = Channel::kVoice; }), V{"req_9"});
  EXPECT_EQ(with([](auto& g) { g.actor_id = "key_other"; }), V{"req_8"});
  EXPECT_EQ(with([](auto& g) { g.state = RequestState::kRejected; }), V{"req_7"});
  EXPECT_EQ(with([](auto& g) { g.type = RequestType::kTermination; }), V{});
  auto stats =
      Get([](Tx& tx) { return tx.ListRequestReportStats("ten_a", kT0, kT0 + 5, {}, 1000); });
  SB_ASSERT_OK(stats.status());
  ASSERT_EQ(stats->size(), 5u);
  for (const RequestStat& s : *stats) {
    EXPECT_EQ(s.origin, Origin::kBulk);
    EXPECT_TRUE(s.region == "eu-west" || s.region.empty());
  }
}

TEST_P(StoreContract, AuditListFiltersByTimeAndActor) {
  AddTenants({"ten_a"});
  SB_ASSERT_OK(Write([](Tx& tx) {
    for (int i = 1; i <= 4; ++i) {
      AuditEntry e = FullAudit("ten_a", "aud_" + std::to_string(i), "acc_1");
      e.created_at = kT0 + i * 10;
      e.actor.id = i % 2 ? "key_odd" : "key_even";
      SB_RETURN_IF_ERROR(tx.InsertAuditEntry(e));
    }
    return Status::Ok();
  }));
  auto list = [&](AuditFilter f) {
    auto page = Get([&](Tx& tx) { return tx.ListAuditEntries("ten_a", f); });
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? Ids(page->items) : V{};
  };
  EXPECT_EQ(list({.created_from = kT0 + 20}), (V{"aud_4", "aud_3", "aud_2"}));
  EXPECT_EQ(list({.created_to = kT0 + 20}), V{"aud_1"});
  EXPECT_EQ(list({.created_from = kT0 + 20, .created_to = kT0 + 40}), (V{"aud_3", "aud_2"}));
  EXPECT_EQ(list({.actor_id = "key_odd"}), (V{"aud_3", "aud_1"}));
  EXPECT_EQ(list({.starting_after = "aud_3", .created_from = kT0 + 10, .actor_id = "key_odd"}),
            V{"aud_1"});
}

}  // namespace
}  // namespace sb::testing
