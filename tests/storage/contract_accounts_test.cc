// Storage contract: accounts, services, holds and requests.

#include <algorithm>

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

TEST_P(StoreContract, AccountsRoundTripAndStayInTheirTenant) {
  AddTenants({"ten_a", "ten_b"});
  Account full = FullAccount("ten_a", "acc_1", "REF-1");
  Account bare = FullAccount("ten_a", "acc_2", "REF-2");
  bare.last_payment_at.reset();
  bare.profile_sealed.clear();
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertAccount(full));
    return tx.InsertAccount(bare);
  }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetAccount("ten_a", "acc_1", false); })),
            Fields(full));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetAccount("ten_a", "acc_2", false); })),
            Fields(bare));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetAccountByRef("ten_a", "REF-2"); })),
            Fields(bare));
  Status in_write = Write([&](Tx& tx) { return tx.GetAccount("ten_a", "acc_1", true).status(); });
  SB_EXPECT_OK(in_write);

  EXPECT_EQ(Get([](Tx& tx) { return tx.GetAccount("ten_b", "acc_1", false); }).status().code(),
            Code::kNotFound);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetAccountByRef("ten_b", "REF-1"); }).status().code(),
            Code::kNotFound);
  auto b_list = Get([](Tx& tx) { return tx.ListAccounts("ten_b", {}); });
  SB_ASSERT_OK(b_list.status());
  EXPECT_TRUE(b_list->items.empty());
  Account stolen = full;
  stolen.tenant_id = "ten_b";
  EXPECT_EQ(Write([&](Tx& tx) { return tx.UpdateAccount(stolen, full.version); }).code(),
            Code::kNotFound);
}

TEST_P(StoreContract, AccountExternalRefIsUniquePerTenant) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  SB_EXPECT_OK(
      Write([](Tx& tx) { return tx.InsertAccount(FullAccount("ten_b", "acc_9", "REF-1")); }));
  Status same_ref =
      Write([](Tx& tx) { return tx.InsertAccount(FullAccount("ten_a", "acc_2", "REF-1")); });
  EXPECT_EQ(same_ref.code(), Code::kConflict);
  EXPECT_EQ(same_ref.reason(), "duplicate");
  Status same_id =
      Write([](Tx& tx) { return tx.InsertAccount(FullAccount("ten_a", "acc_1", "REF-3")); });
  EXPECT_EQ(same_id.code(), Code::kConflict);
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetAccount("ten_a", "acc_2", false); }).status().code(),
            Code::kNotFound);
}

TEST_P(StoreContract, UpdateAccountChecksTheVersion) {
  AddTenants({"ten_a"});
  Account a = FullAccount("ten_a", "acc_1", "REF-1");  // version 3
  AddAccount("ten_a", "acc_1", "REF-1");
  Account changed = a;
  changed.version = 4;
  changed.amount_due_minor = 0;
  changed.failed_payments = 0;
  changed.status = AccountStatus::kActive;
  changed.last_payment_at.reset();
  changed.updated_at = kT0 + 100;
  Status stale = Write([&](Tx& tx) { return tx.UpdateAccount(changed, 2); });
  EXPECT_EQ(stale.code(), Code::kPreconditionFailed);
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetAccount("ten_a", "acc_1", false); })), Fields(a));
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateAccount(changed, 3); }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetAccount("ten_a", "acc_1", false); })),
            Fields(changed));
  EXPECT_EQ(Write([&](Tx& tx) { return tx.UpdateAccount(changed, 3); }).code(),
            Code::kPreconditionFailed);
  Account missing = FullAccount("ten_a", "acc_404", "REF-404");
  EXPECT_EQ(Write([&](Tx& tx) { return tx.UpdateAccount(missing, 3); }).code(), Code::kNotFound);
}

TEST_P(StoreContract, ListAccountsPagesNewestFirstAndFilters) {
  AddTenants({"ten_a"});
  SB_ASSERT_OK(Write([](Tx& tx) {
    for (int i = 1; i <= 5; ++i) {
      Account a = FullAccount("ten_a", "acc_" + std::to_string(i), "REF-" + std::to_string(i));
      a.status = i % 2 ? AccountStatus::kActive : AccountStatus::kSuspended;
      SB_RETURN_IF_ERROR(tx.InsertAccount(a));
    }
    return Status::Ok();
  }));
  AccountFilter f;
  f.limit = 2;
  std::vector<std::vector<std::string>> pages;
  for (int guard = 0; guard < 5; ++guard) {
    auto page = Get([&](Tx& tx) { return tx.ListAccounts("ten_a", f); });
    SB_ASSERT_OK(page.status());
    pages.push_back(Ids(page->items));
    if (!page->has_more) {
      EXPECT_TRUE(page->next_cursor.empty());
      break;
    }
    EXPECT_EQ(page->next_cursor, page->items.back().id);
    f.starting_after = page->next_cursor;
  }
  EXPECT_EQ(pages, (std::vector<std::vector<std::string>>{
                       {"acc_5", "acc_4"}, {"acc_3", "acc_2"}, {"acc_1"}}));

  AccountFilter suspended;
  suspended.status = AccountStatus::kSuspended;
  auto s = Get([&](Tx& tx) { return tx.ListAccounts("ten_a", suspended); });
  EXPECT_EQ(Ids(s->items), (std::vector<std::string>{"acc_4", "acc_2"}));
  EXPECT_FALSE(s->has_more);
  suspended.starting_after = "acc_4";
  s = Get([&](Tx& tx) { return tx.ListAccounts("ten_a", suspended); });
  EXPECT_EQ(Ids(s->items), std::vector<std::string>{"acc_2"});
  AccountFilter by_ref;
  by_ref.external_ref = "REF-3";
  auto r = Get([&](Tx& tx) { return tx.ListAccounts("ten_a", by_ref); });
  EXPECT_EQ(Ids(r->items), std::vector<std::string>{"acc_3"});
}

TEST_P(StoreContract, ManyAccountsAndTheirServicesAreReadAtOnce) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  AddAccount("ten_a", "acc_2", "REF-2\"quoted\"");
  AddAccount("ten_a", "acc_3", "REF-3");
  AddAccount("ten_b", "acc_9", "REF-1");
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertService(FullService("ten_a", "svc_1", "acc_1")));
    SB_RETURN_IF_ERROR(tx.InsertService(FullService("ten_a", "svc_2", "acc_1")));
    SB_RETURN_IF_ERROR(tx.InsertService(FullService("ten_a", "svc_3", "acc_3")));
    return tx.InsertService(FullService("ten_b", "svc_9", "acc_9"));
  }));
  auto sorted = [](auto items) {
    std::vector<std::string> ids = Ids(items);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  // By id and by external_ref; unknown keys and other tenants' accounts are left out.
  auto by_id = Get([](Tx& tx) {
    return tx.GetAccounts("ten_a", {"acc_3", "acc_1", "acc_9", "acc_nope"}, false);
  });
  SB_ASSERT_OK(by_id.status());
  EXPECT_EQ(sorted(*by_id), (std::vector<std::string>{"acc_1", "acc_3"}));
  auto by_ref = Get([](Tx& tx) {
    return tx.GetAccounts("ten_a", {"REF-2\"quoted\"", "REF-1", "REF-404"}, true);
  });
  SB_ASSERT_OK(by_ref.status());
  EXPECT_EQ(sorted(*by_ref), (std::vector<std::string>{"acc_1", "acc_2"}));
  EXPECT_TRUE(Get([](Tx& tx) { return tx.GetAccounts("ten_a", {}, false); })->empty());
  // Every service of the accounts named, in the tenant only.
  auto services = Get([](Tx& tx) {
    return tx.ListServicesOf("ten_a", {"acc_1", "acc_3", "acc_9"});
  });
  SB_ASSERT_OK(services.status());
  EXPECT_EQ(sorted(*services), (std::vector<std::string>{"svc_1", "svc_2", "svc_3"}));
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListServicesOf("ten_b", {"acc_1"}); })->empty());
}

TEST_P(StoreContract, ServicesRoundTripUpdateAndList) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  AddAccount("ten_a", "acc_2", "REF-2");
  Service ended = FullService("ten_a", "svc_1", "acc_1");
  Service live = FullService("ten_a", "svc_2", "acc_1");
  live.status = ServiceStatus::kActive;
  live.terminated_at.reset();
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertService(ended));
    SB_RETURN_IF_ERROR(tx.InsertService(live));
    return tx.InsertService(FullService("ten_a", "svc_3", "acc_2"));
  }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetService("ten_a", "svc_1"); })), Fields(ended));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetService("ten_a", "svc_2"); })), Fields(live));
  auto list = Get([](Tx& tx) { return tx.ListServices("ten_a", "acc_1"); });
  EXPECT_EQ(Ids(*list), (std::vector<std::string>{"svc_2", "svc_1"}));
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListServices("ten_b", "acc_1"); })->empty());
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetService("ten_b", "svc_1"); }).status().code(),
            Code::kNotFound);

  live.status = ServiceStatus::kSuspended;
  live.plan_code = "fibre_900";
  live.version = 5;
  live.updated_at = kT0 + 50;
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateService(live); }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetService("ten_a", "svc_2"); })), Fields(live));
  Service other_tenant = live;
  other_tenant.tenant_id = "ten_b";
  EXPECT_EQ(Write([&](Tx& tx) { return tx.UpdateService(other_tenant); }).code(), Code::kNotFound);
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertService(ended); }).code(), Code::kConflict);
}

TEST_P(StoreContract, HoldsRoundTripAndListActiveOnly) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  SB_ASSERT_OK(
      Write([](Tx& tx) { return tx.InsertService(FullService("ten_a", "svc_1", "acc_1")); }));
  Hold lifted = FullHold("ten_a", "hld_1", "acc_1", "svc_1");
  Hold active = FullHold("ten_a", "hld_2", "acc_1", std::nullopt);
  active.state = HoldState::kActive;
  active.expires_at.reset();
  active.released_at.reset();
  active.released_reason_code.clear();
  active.released_by_request_id.clear();
  active.blocks_billing = false;
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertHold(lifted));
    return tx.InsertHold(active);
  }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetHold("ten_a", "hld_1"); })), Fields(lifted));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetHold("ten_a", "hld_2"); })), Fields(active));
  EXPECT_EQ(Ids(*Get([](Tx& tx) { return tx.ListHolds("ten_a", "acc_1", false); })),
            (std::vector<std::string>{"hld_2", "hld_1"}));
  EXPECT_EQ(Ids(*Get([](Tx& tx) { return tx.ListHolds("ten_a", "acc_1", true); })),
            std::vector<std::string>{"hld_2"});
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListHolds("ten_b", "acc_1", false); })->empty());
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetHold("ten_b", "hld_1"); }).status().code(),
            Code::kNotFound);

  active.state = HoldState::kExpired;
  active.released_at = kT0 + 9;
  active.released_reason_code = "EXPIRED";
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateHold(active); }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetHold("ten_a", "hld_2"); })), Fields(active));
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListHolds("ten_a", "acc_1", true); })->empty());
  Hold missing = FullHold("ten_a", "hld_404", "acc_1", std::nullopt);
  EXPECT_EQ(Write([&](Tx& tx) { return tx.UpdateHold(missing); }).code(), Code::kNotFound);
}

TEST_P(StoreContract, RequestsRoundTripWithHistory) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  SB_ASSERT_OK(
      Write([](Tx& tx) { return tx.InsertService(FullService("ten_a", "svc_1", "acc_1")); }));
  Request full = FullRequest("ten_a", "req_1", "acc_1");
  Request bare = FullRequest("ten_a", "req_2", "acc_1");
  bare.service_id.reset();
  bare.actor = {ActorType::kSystem, "system", std::nullopt};
  bare.history.clear();
  bare.completed_at.reset();
  bare.due_at.reset();
  bare.at_risk_at.reset();
  bare.sla_paused_at.reset();
  bare.sla_status = SlaStatus::kOnTrack;
  bare.assignee.clear();
  bare.decisions.clear();
  bare.comments.clear();
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertRequest(full));
    return tx.InsertRequest(bare);
  }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_1"); })), Fields(full));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_2"); })), Fields(bare));
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetRequest("ten_b", "req_1"); }).status().code(),
            Code::kNotFound);

  bare.state = RequestState::kAwaitingApproval;
  bare.history.push_back({RequestState::kReceived, kT0});
  bare.history.push_back({RequestState::kAwaitingApproval, kT0 + 3});
  bare.checks_json = R"([{"check":"approval","ok":false}])";
  bare.updated_at = kT0 + 3;
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateRequest(bare); }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_2"); })), Fields(bare));
  Request missing = FullRequest("ten_b", "req_1", "acc_1");
  EXPECT_EQ(Write([&](Tx& tx) { return tx.UpdateRequest(missing); }).code(), Code::kNotFound);
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertRequest(full); }).code(), Code::kConflict);
}

TEST_P(StoreContract, ListRequestsFiltersAndPages) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  AddAccount("ten_a", "acc_2", "REF-2");
  SB_ASSERT_OK(
      Write([](Tx& tx) { return tx.InsertService(FullService("ten_a", "svc_1", "acc_1")); }));
  SB_ASSERT_OK(Write([](Tx& tx) {
    for (int i = 1; i <= 6; ++i) {
      Request r = FullRequest("ten_a", "req_" + std::to_string(i), i <= 4 ? "acc_1" : "acc_2");
      r.state = i % 2 ? RequestState::kCompleted : RequestState::kAwaitingApproval;
      r.type = i % 3 ? RequestType::kReconnection : RequestType::kSuspension;
      SB_RETURN_IF_ERROR(tx.InsertRequest(r));
    }
    return Status::Ok();
  }));
  auto list = [&](RequestFilter f) {
    auto page = Get([&](Tx& tx) { return tx.ListRequests("ten_a", f); });
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? Ids(page->items) : std::vector<std::string>{};
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(list({}), (V{"req_6", "req_5", "req_4", "req_3", "req_2", "req_1"}));
  EXPECT_EQ(list({.account_id = "acc_2"}), (V{"req_6", "req_5"}));
  EXPECT_EQ(list({.state = RequestState::kAwaitingApproval}), (V{"req_6", "req_4", "req_2"}));
  EXPECT_EQ(list({.type = RequestType::kSuspension}), (V{"req_6", "req_3"}));
  EXPECT_EQ(list({.account_id = "acc_1", .state = RequestState::kCompleted}),
            (V{"req_3", "req_1"}));
  EXPECT_EQ(list({.starting_after = "req_4", .limit = 2}), (V{"req_3", "req_2"}));
  auto page = Get([](Tx& tx) { return tx.ListRequests("ten_a", {.limit = 4}); });
  EXPECT_TRUE(page->has_more);
  EXPECT_EQ(page->next_cursor, "req_3");
  auto other = Get([](Tx& tx) { return tx.ListRequests("ten_b", {}); });
  EXPECT_TRUE(other->items.empty());
  EXPECT_FALSE(other->has_more);
}

// What a transaction wrote is what it reads next, whatever it read before: a change reads the
// account (for update), its services, active holds and key, writes them, and builds its answer
// from what it reads again (PostgreSQL keeps those rows in the transaction: storage/postgres/
// pg_tx.h).
TEST_P(StoreContract, ATransactionReadsBackWhatItWrote) {
  AddTenants({"ten_a"});
  const Account a = FullAccount("ten_a", "acc_1", "REF-1");
  const Service s = FullService("ten_a", "svc_1", "acc_1");
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertAccount(a));
    SB_RETURN_IF_ERROR(tx.InsertService(s));
    return tx.InsertSubjectKey({"ten_a", "acc_1", "wrapped", std::nullopt});
  }));
  Hold older = FullHold("ten_a", "hld_1", "acc_1", std::string("svc_1"));
  Hold newer = FullHold("ten_a", "hld_2", "acc_1", std::nullopt);
  older.state = newer.state = HoldState::kActive;
  Account changed = a;
  changed.version = a.version + 1;
  changed.status = AccountStatus::kSuspended;
  changed.updated_at = a.updated_at + 1;
  Service suspended = s;
  suspended.status = ServiceStatus::kSuspended;
  suspended.version = s.version + 1;
  Hold lifted = older;
  lifted.state = HoldState::kLifted;
  lifted.released_at = kT0 + 9;
  auto active_ids = [](Tx& tx) {
    std::vector<std::string> ids;
    auto holds = tx.ListHolds("ten_a", "acc_1", true);
    for (const Hold& h : *holds) ids.push_back(h.id);
    return ids;
  };
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(Account locked, tx.GetAccount("ten_a", "acc_1", true));
    SB_RETURN_IF_ERROR(tx.ListServices("ten_a", "acc_1").status());
    EXPECT_TRUE(active_ids(tx).empty());
    SB_RETURN_IF_ERROR(tx.GetSubjectKey("ten_a", "acc_1").status());
    SB_RETURN_IF_ERROR(tx.UpdateAccount(changed, locked.version));
    SB_RETURN_IF_ERROR(tx.UpdateService(suspended));
    SB_RETURN_IF_ERROR(tx.InsertHold(older));
    SB_RETURN_IF_ERROR(tx.InsertHold(newer));
    EXPECT_EQ(Fields(*tx.GetAccount("ten_a", "acc_1", false)), Fields(changed));
    EXPECT_EQ(Fields(*tx.GetAccount("ten_a", "acc_1", true)), Fields(changed));
    auto services = tx.ListServices("ten_a", "acc_1");
    EXPECT_EQ(services->size(), 1u);
    EXPECT_EQ(Fields(services->at(0)), Fields(suspended));
    EXPECT_EQ(active_ids(tx), (std::vector<std::string>{"hld_2", "hld_1"}));
    SB_RETURN_IF_ERROR(tx.UpdateHold(lifted));
    EXPECT_EQ(active_ids(tx), (std::vector<std::string>{"hld_2"}));
    EXPECT_EQ(Fields(*tx.GetHold("ten_a", "hld_1")), Fields(lifted));
    SB_RETURN_IF_ERROR(tx.DestroySubjectKey("ten_a", "acc_1", kT0 + 7));
    auto key = tx.GetSubjectKey("ten_a", "acc_1");
    EXPECT_EQ(key->destroyed_at, kT0 + 7);
    EXPECT_EQ(key->wrapped_key, "");
    return Status::Ok();
  }));
  // The next transaction reads the same from the database.
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetAccount("ten_a", "acc_1", false); })),
            Fields(changed));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetHold("ten_a", "hld_1"); })), Fields(lifted));
  EXPECT_EQ(*Get([&](Tx& tx) -> Result<std::vector<std::string>> { return active_ids(tx); }),
            (std::vector<std::string>{"hld_2"}));
}

}  // namespace
}  // namespace sb::testing
