// Storage contract: the request engine's fields on requests and the queries over requests
// (work-queue filters and order, open requests, cooling-off counts, KPI stats, backlog).

#include <algorithm>
#include <optional>
#include <type_traits>

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;
using V = std::vector<std::string>;

// A request with every field set, in `state`, created at kT0 + `created`.
Request Req(const std::string& tenant, const std::string& id, const std::string& account,
            RequestState state, Timestamp created = 0) {
  Request r = FullRequest(tenant, id, account);
  r.state = state;
  r.created_at = kT0 + created;
  return r;
}

// Runs `f` in a read transaction of `store` and returns what it returned.
template <typename F>
auto Read(Store& store, F&& f) -> std::invoke_result_t<F, Tx&> {
  std::optional<std::invoke_result_t<F, Tx&>> out;
  Status s = store.Read([&](Tx& tx) {
    out.emplace(f(tx));
    return Status::Ok();
  });
  if (!s.ok()) return std::invoke_result_t<F, Tx&>(s);
  return std::move(*out);
}

void AddRequests(Store& store, const std::vector<Request>& requests) {
  SB_ASSERT_OK(store.Write([&](Tx& tx) {
    for (const Request& r : requests) SB_RETURN_IF_ERROR(tx.InsertRequest(r));
    return Status::Ok();
  }));
}

// The ids ListRequests returns for `f` in ten_a, or nothing after a failure.
V List(Store& store, const RequestFilter& f) {
  auto page = Read(store, [&](Tx& tx) { return tx.ListRequests("ten_a", f); });
  EXPECT_TRUE(page.ok()) << page.status().ToString();
  return page.ok() ? Ids(page->items) : V{};
}

// Every id of ten_a in the work-queue order, read f.limit at a time.
V AllByDue(Store& store, RequestFilter f) {
  V all;
  f.by_due = true;
  for (int pages = 0; pages < 20; ++pages) {
    auto page = Read(store, [&](Tx& tx) { return tx.ListRequests("ten_a", f); });
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    for (const Request& r : page->items) all.push_back(r.id);
    if (!page->has_more) break;
    EXPECT_EQ(page->next_cursor, page->items.back().id);
    f.starting_after = page->next_cursor;
  }
  return all;
}

TEST_P(StoreContract, RequestEngineFieldsRoundTripAndUpdate) {
  AddTenants({"ten_a", "ten_b"});
  Request full = FullRequest("ten_a", "req_1", "acc_1");
  Request bare = FullRequest("ten_a", "req_2", "acc_1");
  bare.at_risk_at.reset();
  bare.sla_paused_at.reset();
  bare.sla_status = SlaStatus::kOnTrack;
  bare.assignee.clear();
  bare.decisions.clear();
  bare.comments.clear();
  AddRequests(*store_, {full, bare});
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_1"); })), Fields(full));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_2"); })), Fields(bare));

  bare.sla_status = SlaStatus::kBreached;
  bare.at_risk_at = kT0 + 50;
  bare.sla_paused_at = kT0 + 60;
  bare.assignee = "queue:billing";
  bare.decisions = full.decisions;
  bare.comments = {{{ActorType::kSystem, "system", std::nullopt}, "{\"not\": [json", kT0 + 70}};
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateRequest(bare); }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_2"); })), Fields(bare));
  full.decisions.clear();
  full.comments.clear();
  full.sla_paused_at.reset();
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateRequest(full); }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_1"); })), Fields(full));
  auto listed = Get([](Tx& tx) { return tx.ListRequests("ten_a", {}); });
  SB_ASSERT_OK(listed.status());
  ASSERT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(Fields(listed->items[0]), Fields(bare));
}

TEST_P(StoreContract, ListRequestsFiltersOnSlaAssigneeAndPriority) {
  AddTenants({"ten_a", "ten_b"});
  std::vector<Request> rs;
  for (int i = 1; i <= 6; ++i) {
    Request r = Req("ten_a", "req_" + std::to_string(i), "acc_1",
                    i <= 3 ? RequestState::kAwaitingApproval : RequestState::kVerifying);
    r.sla_status = i % 3 == 0   ? SlaStatus::kBreached
                   : i % 3 == 1 ? SlaStatus::kOnTrack
                                : SlaStatus::kAtRisk;
    r.assignee = i <= 2 ? "" : (i <= 4 ? "usr_1" : "usr_2");
    r.priority = i % 2 ? "high" : "normal";
    rs.push_back(r);
  }
  Request other = rs[0];
  other.tenant_id = "ten_b";
  rs.push_back(other);
  AddRequests(*store_, rs);
  EXPECT_EQ(List(*store_, {.sla_status = SlaStatus::kBreached}), (V{"req_6", "req_3"}));
  EXPECT_EQ(List(*store_, {.sla_status = SlaStatus::kOnTrack}), (V{"req_4", "req_1"}));
  EXPECT_EQ(List(*store_, {.assignee = ""}), (V{"req_2", "req_1"}));
  EXPECT_EQ(List(*store_, {.assignee = "usr_1"}), (V{"req_4", "req_3"}));
  EXPECT_EQ(List(*store_, {.assignee = "usr_9"}), V{});
  EXPECT_EQ(List(*store_, {.priority = "high"}), (V{"req_5", "req_3", "req_1"}));
  EXPECT_EQ(List(*store_, {.state = RequestState::kVerifying, .priority = "normal"}),
            (V{"req_6", "req_4"}));
  EXPECT_EQ(List(*store_, {.sla_status = SlaStatus::kAtRisk, .assignee = "usr_2"}), V{"req_5"});
  EXPECT_EQ(List(*store_, {.priority = "high", .starting_after = "req_5", .limit = 1}), V{"req_3"});
  auto b = Get([](Tx& tx) { return tx.ListRequests("ten_b", {.assignee = ""}); });
  EXPECT_EQ(Ids(b->items), V{"req_1"});
}

TEST_P(StoreContract, ListRequestsByDuePagesAcrossRequestsWithoutDeadline) {
  AddTenants({"ten_a", "ten_b"});
  // Due order: req_5 (10), req_2 and req_4 (20, ties by id), req_1 (30); then no deadline:
  // req_3, req_6, req_7 by id.
  std::vector<std::optional<Timestamp>> due = {30, 20,           std::nullopt, 20,
                                               10, std::nullopt, std::nullopt};
  std::vector<Request> rs;
  for (size_t i = 0; i < due.size(); ++i) {
    Request r = Req("ten_a", "req_" + std::to_string(i + 1), "acc_1", RequestState::kVerifying);
    r.due_at = due[i] ? std::optional<Timestamp>(kT0 + *due[i]) : std::nullopt;
    r.assignee = i % 2 ? "usr_1" : "";
    rs.push_back(r);
  }
  Request other = rs[4];
  other.tenant_id = "ten_b";
  other.id = "req_0";
  rs.push_back(other);
  AddRequests(*store_, rs);
  V order = {"req_5", "req_2", "req_4", "req_1", "req_3", "req_6", "req_7"};
  EXPECT_EQ(AllByDue(*store_, {.limit = 100}), order);
  for (int limit : {1, 2, 3, 4}) {
    EXPECT_EQ(AllByDue(*store_, {.limit = limit}), order) << "limit " << limit;
  }
  EXPECT_EQ(AllByDue(*store_, {.assignee = "", .limit = 2}),
            (V{"req_5", "req_1", "req_3", "req_7"}));
  EXPECT_EQ(AllByDue(*store_, {.assignee = "usr_1", .limit = 1}), (V{"req_2", "req_4", "req_6"}));
  EXPECT_EQ(List(*store_, {.by_due = true, .starting_after = "req_1", .limit = 2}),
            (V{"req_3", "req_6"}));
  EXPECT_EQ(List(*store_, {.by_due = true, .starting_after = "req_6"}), V{"req_7"});
  EXPECT_EQ(List(*store_, {.by_due = true, .starting_after = "req_7"}), V{});

  auto last = Get([](Tx& tx) {
    return tx.ListRequests("ten_a", {.by_due = true, .starting_after = "req_6", .limit = 1});
  });
  SB_ASSERT_OK(last.status());
  EXPECT_FALSE(last->has_more);
  for (const char* cursor : {"req_404", "req_0"}) {
    auto bad = Get([&](Tx& tx) {
      return tx.ListRequests("ten_a", {.by_due = true, .starting_after = cursor});
    });
    EXPECT_EQ(bad.status().code(), Code::kInvalidArgument) << cursor;
    EXPECT_EQ(bad.status().param(), "starting_after");
  }
  auto b = Get([](Tx& tx) { return tx.ListRequests("ten_b", {.by_due = true}); });
  EXPECT_EQ(Ids(b->items), V{"req_0"});
}

TEST_P(StoreContract, ListOpenRequestsExcludesTerminalStatesOldestFirst) {
  AddTenants({"ten_a", "ten_b"});
  std::vector<Request> rs;
  V open;
  for (int s = 0; s <= static_cast<int>(RequestState::kFailed); ++s) {
    auto state = static_cast<RequestState>(s);
    std::string id = "req_" + std::string(1, static_cast<char>('a' + s));
    rs.push_back(Req("ten_a", id, "acc_1", state, s));
    if (!IsTerminal(state)) open.push_back(id);
  }
  rs.push_back(Req("ten_a", "req_z", "acc_2", RequestState::kReceived));
  rs.push_back(Req("ten_b", "req_y", "acc_1", RequestState::kReceived));
  AddRequests(*store_, rs);
  auto got = Get([](Tx& tx) { return tx.ListOpenRequests("ten_a", "acc_1"); });
  SB_ASSERT_OK(got.status());
  EXPECT_EQ(Ids(*got), open);
  EXPECT_EQ(open.size(), 7u);
  EXPECT_EQ(Fields(got->front()), Fields(rs.front()));
  EXPECT_EQ(Ids(*Get([](Tx& tx) { return tx.ListOpenRequests("ten_b", "acc_1"); })), V{"req_y"});
  EXPECT_TRUE(Get([](Tx& tx) { return tx.ListOpenRequests("ten_b", "acc_2"); })->empty());
}

// An update that changes neither the state nor the due time (a comment, an assignment) leaves
// the request where it was in every list; one that changes either moves it in every list that
// reads them.
TEST_P(StoreContract, UpdatesKeepTheListsByStateAndDueTimeTrue) {
  AddTenants({"ten_a"});
  Request a = Req("ten_a", "req_a", "acc_1", RequestState::kAwaitingApproval, 1);
  a.due_at = kT0 + 30;
  Request b = Req("ten_a", "req_b", "acc_1", RequestState::kAwaitingApproval, 2);
  b.due_at = kT0 + 20;
  AddRequests(*store_, {a, b});
  auto open = [&] {
    return Ids(*Get([](Tx& tx) { return tx.ListOpenRequests("ten_a", "acc_1"); }));
  };

  a.comments.push_back({{ActorType::kUser, "usr_1", std::nullopt}, "called back", kT0 + 40});
  a.assignee = "usr_2";
  a.updated_at = kT0 + 40;
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateRequest(a); }));
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_a"); })), Fields(a));
  EXPECT_EQ(open(), (V{"req_a", "req_b"}));
  EXPECT_EQ(List(*store_, {.state = RequestState::kAwaitingApproval}), (V{"req_b", "req_a"}));
  EXPECT_EQ(AllByDue(*store_, {}), (V{"req_b", "req_a"}));

  a.due_at = kT0 + 10;  // the due time alone
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateRequest(a); }));
  EXPECT_EQ(AllByDue(*store_, {}), (V{"req_a", "req_b"}));

  b.state = RequestState::kCompleted;  // the state alone
  b.completed_at = kT0 + 50;
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateRequest(b); }));
  EXPECT_EQ(open(), V{"req_a"});
  EXPECT_EQ(List(*store_, {.state = RequestState::kAwaitingApproval}), V{"req_a"});
  EXPECT_EQ(List(*store_, {.state = RequestState::kCompleted}), V{"req_b"});
  EXPECT_EQ(Fields(*Get([](Tx& tx) { return tx.GetRequest("ten_a", "req_b"); })), Fields(b));

  Request missing = Req("ten_a", "req_404", "acc_1", RequestState::kReceived);
  EXPECT_EQ(Write([&](Tx& tx) { return tx.UpdateRequest(missing); }).code(), Code::kNotFound);
}

TEST_P(StoreContract, CountRequestsSinceCountsWhatCoolingOffLimits) {
  AddTenants({"ten_a", "ten_b"});
  std::vector<Request> rs;
  int n = 0;
  auto add = [&](const std::string& tenant, const std::string& account, RequestType type,
                 RequestState state, Timestamp created) {
    Request r = Req(tenant, "req_" + std::to_string(++n), account, state, created);
    r.type = type;
    rs.push_back(r);
  };
  const RequestType kRe = RequestType::kReconnection;
  add("ten_a", "acc_1", kRe, RequestState::kCompleted, 100);         // counted
  add("ten_a", "acc_1", kRe, RequestState::kReceived, 200);          // counted
  add("ten_a", "acc_1", kRe, RequestState::kAwaitingApproval, 300);  // counted
  add("ten_a", "acc_1", kRe, RequestState::kRejected, 300);
  add("ten_a", "acc_1", kRe, RequestState::kCancelled, 300);
  add("ten_a", "acc_1", kRe, RequestState::kFailed, 300);
  add("ten_a", "acc_1", kRe, RequestState::kCompleted, 99);  // before `since`
  add("ten_a", "acc_1", RequestType::kSuspension, RequestState::kCompleted, 300);
  add("ten_a", "acc_2", kRe, RequestState::kCompleted, 300);
  add("ten_b", "acc_1", kRe, RequestState::kCompleted, 300);
  AddRequests(*store_, rs);
  auto count = [&](const std::string& tenant, const std::string& account, RequestType type,
                   Timestamp since) {
    auto c = Get([&](Tx& tx) { return tx.CountRequestsSince(tenant, account, type, since); });
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : -1;
  };
  EXPECT_EQ(count("ten_a", "acc_1", kRe, kT0 + 100), 3);
  EXPECT_EQ(count("ten_a", "acc_1", kRe, kT0 + 99), 4);
  EXPECT_EQ(count("ten_a", "acc_1", kRe, kT0 + 301), 0);
  EXPECT_EQ(count("ten_a", "acc_1", RequestType::kSuspension, kT0), 1);
  EXPECT_EQ(count("ten_a", "acc_3", kRe, kT0), 0);
  EXPECT_EQ(count("ten_b", "acc_1", kRe, kT0), 1);
}

TEST_P(StoreContract, ListRequestStatsTakesTheHalfOpenWindow) {
  AddTenants({"ten_a", "ten_b"});
  std::vector<Request> rs;
  for (Timestamp created : {99, 100, 150, 199, 200}) {
    Request r =
        Req("ten_a", "req_" + std::to_string(created), "acc_1", RequestState::kReceived, created);
    r.completed_at.reset();
    r.due_at.reset();
    rs.push_back(r);
  }
  rs[2].type = RequestType::kPlanChange;
  rs[2].state = RequestState::kCompleted;
  rs[2].completed_at = kT0 + 160;
  rs[2].due_at = kT0 + 170;
  Request other = Req("ten_b", "req_150", "acc_1", RequestState::kReceived, 150);
  rs.push_back(other);
  AddRequests(*store_, rs);
  auto stats = Get([](Tx& tx) { return tx.ListRequestStats("ten_a", kT0 + 100, kT0 + 200); });
  SB_ASSERT_OK(stats.status());
  std::vector<std::tuple<Timestamp, RequestType, RequestState, std::optional<Timestamp>,
                         std::optional<Timestamp>>>
      got;
  for (const RequestStat& s : *stats) {
    got.emplace_back(s.created_at, s.type, s.state, s.completed_at, s.due_at);
  }
  std::sort(got.begin(), got.end());
  const auto kNone = std::optional<Timestamp>();
  EXPECT_EQ(
      got,
      (decltype(got){
          {kT0 + 100, RequestType::kReconnection, RequestState::kReceived, kNone, kNone},
          {kT0 + 150, RequestType::kPlanChange, RequestState::kCompleted, kT0 + 160, kT0 + 170},
          {kT0 + 199, RequestType::kReconnection, RequestState::kReceived, kNone, kNone}}));
  EXPECT_TRUE(
      Get([](Tx& tx) { return tx.ListRequestStats("ten_a", kT0 + 200, kT0 + 200); })->empty());
  EXPECT_EQ(Get([](Tx& tx) { return tx.ListRequestStats("ten_b", kT0, kT0 + 1000); })->size(), 1u);
}

TEST_P(StoreContract, CountBacklogCountsOpenRequestsByTypeAndState) {
  AddTenants({"ten_a", "ten_b"});
  std::vector<Request> rs;
  int n = 0;
  auto add = [&](const std::string& tenant, RequestType type, RequestState state) {
    ++n;
    Request r = Req(tenant, "req_" + std::to_string(n), "acc_" + std::to_string(n % 3), state);
    r.type = type;
    rs.push_back(r);
  };
  for (int i = 0; i < 3; ++i) add("ten_a", RequestType::kReconnection, RequestState::kVerifying);
  add("ten_a", RequestType::kReconnection, RequestState::kAwaitingPayment);
  add("ten_a", RequestType::kPlanChange, RequestState::kVerifying);
  add("ten_a", RequestType::kPlanChange, RequestState::kProvisioning);
  add("ten_a", RequestType::kPlanChange, RequestState::kCompleted);
  add("ten_a", RequestType::kPlanChange, RequestState::kRejected);
  add("ten_a", RequestType::kSuspension, RequestState::kCancelled);
  add("ten_a", RequestType::kSuspension, RequestState::kFailed);
  add("ten_b", RequestType::kReconnection, RequestState::kVerifying);
  AddRequests(*store_, rs);
  auto backlog = Get([](Tx& tx) { return tx.CountBacklog("ten_a"); });
  SB_ASSERT_OK(backlog.status());
  std::vector<std::tuple<RequestType, RequestState, std::int64_t>> got;
  for (const BacklogCount& c : *backlog) got.emplace_back(c.type, c.state, c.count);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (decltype(got){{RequestType::kReconnection, RequestState::kVerifying, 3},
                                {RequestType::kReconnection, RequestState::kAwaitingPayment, 1},
                                {RequestType::kPlanChange, RequestState::kVerifying, 1},
                                {RequestType::kPlanChange, RequestState::kProvisioning, 1}}));
  EXPECT_EQ(Get([](Tx& tx) { return tx.CountBacklog("ten_b"); })->size(), 1u);
  AddTenants({"ten_c"});
  EXPECT_TRUE(Get([](Tx& tx) { return tx.CountBacklog("ten_c"); })->empty());
}

}  // namespace

}  // namespace sb::testing
