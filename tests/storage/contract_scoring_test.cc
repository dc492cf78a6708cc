// Storage contract: scoring models, the history scoring reads, and the stored scores of the
// outreach list.

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

constexpr Timestamp kDay = 24LL * 60 * 60 * 1000;

ScoringModel Model(const std::string& tenant, std::int64_t version) {
  ScoringModel m;
  m.tenant_id = tenant;
  m.version = version;
  m.trained_at = kT0 + version;
  m.feature_names = {"days_suspended", "amount_due"};
  m.means = {12.25, 1.0 / 3.0};
  m.scales = {4.5, 0.1};
  m.coefficients = {-0.123456789012345678, 2.5e-7};
  m.intercept = -1.75;
  m.training_size = 120 + version;
  m.holdout_size = 40;
  m.holdout_auc = 0.8123456789;
  m.positive_rate = 0.3;
  return m;
}

auto ModelFields(const ScoringModel& m) {
  return std::make_tuple(m.tenant_id, m.version, m.trained_at, m.feature_names, m.means, m.scales,
                         m.coefficients, m.intercept, m.training_size, m.holdout_size,
                         m.holdout_auc, m.positive_rate);
}

TEST_P(StoreContract, ScoringModelsKeepEveryNumberExactlyNewestVersionFirst) {
  AddTenants({"ten_a", "ten_b"});
  EXPECT_EQ(Get([](Tx& tx) { return tx.LatestScoringModel("ten_a"); }).status().code(),
            Code::kNotFound);
  SB_ASSERT_OK(Write([&](Tx& tx) {
    for (int v = 1; v <= 3; ++v) SB_RETURN_IF_ERROR(tx.InsertScoringModel(Model("ten_a", v)));
    return tx.InsertScoringModel(Model("ten_b", 1));
  }));
  Status taken = Write([&](Tx& tx) { return tx.InsertScoringModel(Model("ten_a", 2)); });
  EXPECT_EQ(taken.code(), Code::kConflict) << taken.ToString();

  auto latest = Get([](Tx& tx) { return tx.LatestScoringModel("ten_a"); });
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(ModelFields(*latest), ModelFields(Model("ten_a", 3)));

  auto first = Get([](Tx& tx) { return tx.ListScoringModels("ten_a", 0, 2); });
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].version, 3);
  EXPECT_EQ(first->items[1].version, 2);
  EXPECT_TRUE(first->has_more);
  EXPECT_EQ(first->next_cursor, "2");
  auto rest = Get([](Tx& tx) { return tx.ListScoringModels("ten_a", 2, 2); });
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].version, 1);
  EXPECT_FALSE(rest->has_more);
  auto other = Get([](Tx& tx) { return tx.ListScoringModels("ten_b", 0, 10); });
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->items.size(), 1u);
}

Request Step(const std::string& tenant, const std::string& id, const std::string& account,
             RequestType type, RequestState state, Timestamp at) {
  Request r = FullRequest(tenant, id, account);
  r.type = type;
  r.state = state;
  r.channel = Channel::kVoice;
  r.created_at = at;
  r.updated_at = at;
  r.completed_at = state == RequestState::kCompleted ? std::optional<Timestamp>(at) : std::nullopt;
  r.payload_json = "{}";
  r.check_inputs_json = "";
  return r;
}

TEST_P(StoreContract, LifecycleStepsAndPaymentFailuresOfTheAccountsAsked) {
  AddTenants({"ten_a", "ten_b"});
  AddAccount("ten_a", "acc_1", "REF-1");
  AddAccount("ten_a", "acc_2", "REF-2");
  AddAccount("ten_b", "acc_1", "REF-1");
  Request suspended = Step("ten_a", "req_1", "acc_1", RequestType::kSuspension,
                           RequestState::kCompleted, kT0 + 2 * kDay);
  suspended.check_inputs_json = R"({"at":1,"account":{"amount_due_minor":4599}})";
  Request dormant = Step("ten_a", "req_3", "acc_2", RequestType::kStatusSync,
                         RequestState::kCompleted, kT0 + kDay);
  dormant.payload_json = R"({"lifecycle":"dormant","trigger":"agent"})";
  Request synced = Step("ten_a", "req_4", "acc_2", RequestType::kStatusSync,
                        RequestState::kCompleted, kT0 + 2 * kDay);
  synced.payload_json = R"({"lifecycle":"active"})";
  std::vector<Request> rows = {
      suspended,
      Step("ten_a", "req_2", "acc_1", RequestType::kReconnection, RequestState::kCompleted,
           kT0 + 5 * kDay),
      Step("ten_a", "req_0", "acc_1", RequestType::kSuspension, RequestState::kCompleted, kT0),
      Step("ten_a", "req_5", "acc_1", RequestType::kReconnection, RequestState::kAwaitingPayment,
           kT0 + 6 * kDay),
      Step("ten_a", "req_6", "acc_1", RequestType::kPlanChange, RequestState::kCompleted,
           kT0 + 7 * kDay),
      dormant,
      synced,
      Step("ten_a", "req_7", "acc_2", RequestType::kReactivation, RequestState::kCompleted,
           kT0 + 9 * kDay),
      Step("ten_b", "req_8", "acc_1", RequestType::kSuspension, RequestState::kCompleted, kT0)};
  AuditEntry failed = FullAudit("ten_a", "aud_1", "acc_1");
  failed.action = "payment.failed";
  failed.created_at = kT0 + kDay;
  failed.leaf_index.reset();
  failed.leaf_hash.clear();
  AuditEntry earlier = failed;
  earlier.id = "aud_2";
  earlier.created_at = kT0;
  AuditEntry received = failed;
  received.id = "aud_3";
  received.action = "payment.received";
  SB_ASSERT_OK(Write([&](Tx& tx) {
    for (const auto& r : rows) SB_RETURN_IF_ERROR(tx.InsertRequest(r));
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(failed));
    SB_RETURN_IF_ERROR(tx.InsertAuditEntry(earlier));
    return tx.InsertAuditEntry(received);
  }));

  auto steps = Get([](Tx& tx) { return tx.ListLifecycleSteps("ten_a", {"acc_1", "acc_2"}); });
  ASSERT_TRUE(steps.ok()) << steps.status().ToString();
  using Row = std::tuple<std::string, LifecycleStepKind, Channel, Timestamp, std::int64_t>;
  std::vector<Row> got;
  for (const auto& s : *steps)
    got.emplace_back(s.account_id, s.kind, s.channel, s.at, s.amount_due_minor);
  EXPECT_EQ(got,
            (std::vector<Row>{
                {"acc_1", LifecycleStepKind::kSuspended, Channel::kVoice, kT0, -1},
                {"acc_1", LifecycleStepKind::kSuspended, Channel::kVoice, kT0 + 2 * kDay, 4599},
                {"acc_1", LifecycleStepKind::kReconnected, Channel::kVoice, kT0 + 5 * kDay, -1},
                {"acc_2", LifecycleStepKind::kDormant, Channel::kVoice, kT0 + kDay, -1},
                {"acc_2", LifecycleStepKind::kReactivated, Channel::kVoice, kT0 + 9 * kDay, -1},
            }));
  auto only_2 = Get([](Tx& tx) { return tx.ListLifecycleSteps("ten_a", {"acc_2"}); });
  ASSERT_TRUE(only_2.ok());
  EXPECT_EQ(only_2->size(), 2u);

  auto failures = Get([](Tx& tx) { return tx.ListPaymentFailures("ten_a", {"acc_1", "acc_2"}); });
  ASSERT_TRUE(failures.ok()) << failures.status().ToString();
  ASSERT_EQ(failures->size(), 2u);
  EXPECT_EQ((*failures)[0].at, kT0);
  EXPECT_EQ((*failures)[1].at, kT0 + kDay);
  EXPECT_EQ((*failures)[1].account_id, "acc_1");
  auto none = Get([](Tx& tx) { return tx.ListPaymentFailures("ten_b", {"acc_1"}); });
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// A step that completes in a later write (a reconnection once the payment cleared) is listed
// from then on, with the amount its suspension's checks read, and once however often the
// completed request is written again (a comment, a note).
TEST_P(StoreContract, AStepCompletedByALaterWriteIsListedOnce) {
  AddTenants({"ten_a"});
  AddAccount("ten_a", "acc_1", "REF-1");
  Request suspension =
      Step("ten_a", "req_1", "acc_1", RequestType::kSuspension, RequestState::kVerifying, kT0);
  Request reconnection = Step("ten_a", "req_2", "acc_1", RequestType::kReconnection,
                              RequestState::kAwaitingPayment, kT0 + kDay);
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertRequest(suspension));
    return tx.InsertRequest(reconnection);
  }));
  auto listed = [&] {
    auto steps = Get([](Tx& tx) { return tx.ListLifecycleSteps("ten_a", {"acc_1"}); });
    EXPECT_TRUE(steps.ok()) << steps.status().ToString();
    std::vector<std::pair<LifecycleStepKind, std::int64_t>> got;
    if (steps.ok()) {
      for (const auto& s : *steps) got.emplace_back(s.kind, s.amount_due_minor);
    }
    return got;
  };
  EXPECT_TRUE(listed().empty());

  suspension.state = RequestState::kCompleted;
  suspension.completed_at = kT0 + 60'000;
  suspension.check_inputs_json = R"({"at":1,"account":{"amount_due_minor":2500}})";
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateRequest(suspension); }));
  using Kinds = std::vector<std::pair<LifecycleStepKind, std::int64_t>>;
  EXPECT_EQ(listed(), (Kinds{{LifecycleStepKind::kSuspended, 2500}}));

  reconnection.state = RequestState::kCompleted;
  reconnection.completed_at = kT0 + 2 * kDay;
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateRequest(reconnection); }));
  suspension.comment = "noted after completion";
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.UpdateRequest(suspension));
    return tx.UpdateRequest(reconnection);
  }));
  EXPECT_EQ(listed(),
            (Kinds{{LifecycleStepKind::kSuspended, 2500}, {LifecycleStepKind::kReconnected, -1}}));

  // An update that brings no check inputs keeps the stored ones, and the step their amount.
  Request later = Step("ten_a", "req_3", "acc_1", RequestType::kSuspension,
                       RequestState::kAwaitingApproval, kT0 + 3 * kDay);
  later.check_inputs_json = R"({"at":2,"account":{"amount_due_minor":700}})";
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertRequest(later); }));
  later.state = RequestState::kCompleted;
  later.completed_at = kT0 + 4 * kDay;
  later.check_inputs_json.clear();
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.UpdateRequest(later); }));
  EXPECT_EQ(listed(), (Kinds{{LifecycleStepKind::kSuspended, 2500},
                             {LifecycleStepKind::kReconnected, -1},
                             {LifecycleStepKind::kSuspended, 700}}));
}

StoredScore Scored(const std::string& tenant, const std::string& account, std::int64_t rank,
                   Timestamp at) {
  StoredScore s;
  s.tenant_id = tenant;
  s.account_id = account;
  s.model_version = 2;
  s.rank_ppb = rank;
  s.features = {1.0 / 3.0, 0, 250, 1e-9};
  s.scored_at = at;
  return s;
}

// Scores are stored, replaced, listed highest first (ties by account) page after page, only
// for accounts still suspended or dormant, and those a run did not reach are removed.
TEST_P(StoreContract, OutreachScoresRankPageAndGoWhenNotReached) {
  AddTenants({"ten_a", "ten_b"});
  const std::vector<std::pair<std::string, AccountStatus>> accounts = {
      {"acc_1", AccountStatus::kSuspended},
      {"acc_2", AccountStatus::kDormant},
      {"acc_3", AccountStatus::kSuspended},
      {"acc_4", AccountStatus::kActive},
      {"acc_5", AccountStatus::kSuspended}};
  SB_ASSERT_OK(Write([&](Tx& tx) {
    for (const auto& [id, status] : accounts) {
      Account a = FullAccount("ten_a", id, "REF-" + id);
      a.status = status;
      SB_RETURN_IF_ERROR(tx.InsertAccount(a));
    }
    return tx.InsertAccount(FullAccount("ten_b", "acc_1", "B-1"));
  }));
  SB_ASSERT_OK(Write([&](Tx& tx) {
    return tx.UpsertAccountScores(
        {Scored("ten_a", "acc_1", 100, kT0), Scored("ten_a", "acc_2", 900'000'000, kT0),
         Scored("ten_a", "acc_3", 500, kT0), Scored("ten_a", "acc_4", 999'999'999, kT0),
         Scored("ten_a", "acc_5", 500, kT0)});
  }));
  SB_ASSERT_OK(
      Write([&](Tx& tx) { return tx.UpsertAccountScores({Scored("ten_b", "acc_1", 7, kT0)}); }));
  // A later run replaces acc_1's score.
  SB_ASSERT_OK(Write(
      [&](Tx& tx) { return tx.UpsertAccountScores({Scored("ten_a", "acc_1", 300, kT0 + kDay)}); }));

  auto one = Get([](Tx& tx) { return tx.GetAccountScore("ten_a", "acc_1"); });
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->rank_ppb, 300);
  EXPECT_EQ(one->scored_at, kT0 + kDay);
  EXPECT_EQ(one->features, (std::vector<double>{1.0 / 3.0, 0, 250, 1e-9}));
  EXPECT_EQ(one->external_ref, "REF-acc_1");
  EXPECT_EQ(Get([](Tx& tx) { return tx.GetAccountScore("ten_b", "acc_2"); }).status().code(),
            Code::kNotFound);

  // Pages of two: acc_4 (active) is left out; acc_3 and acc_5 tie and go by id.
  std::vector<std::string> order;
  std::vector<AccountStatus> statuses;
  std::optional<StoredScore> after;
  for (int pages = 0; pages < 5; ++pages) {
    auto page = Get([&](Tx& tx) { return tx.ListOutreach("ten_a", after ? &*after : nullptr, 2); });
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const auto& s : page->items) {
      order.push_back(s.account_id);
      statuses.push_back(s.status);
      EXPECT_EQ(s.tenant_id, "ten_a");
    }
    if (!page->has_more) break;
    EXPECT_EQ(page->next_cursor, page->items.back().account_id);
    after = page->items.back();
  }
  EXPECT_EQ(order, (std::vector<std::string>{"acc_2", "acc_3", "acc_5", "acc_1"}));
  EXPECT_EQ(statuses,
            (std::vector<AccountStatus>{AccountStatus::kDormant, AccountStatus::kSuspended,
                                        AccountStatus::kSuspended, AccountStatus::kSuspended}));

  // The run of kT0 + kDay reached only acc_1: the rest go, the other tenant's stay.
  std::int64_t removed = 0;
  SB_ASSERT_OK(Write([&](Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(removed, tx.DeleteAccountScoresBefore("ten_a", kT0 + kDay));
    return Status::Ok();
  }));
  EXPECT_EQ(removed, 4);
  auto left = Get([](Tx& tx) { return tx.ListOutreach("ten_a", nullptr, 10); });
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->items.size(), 1u);
  EXPECT_EQ(left->items[0].account_id, "acc_1");
  EXPECT_FALSE(left->has_more);
  EXPECT_TRUE(Get([](Tx& tx) { return tx.GetAccountScore("ten_b", "acc_1"); }).ok());
}

}  // namespace
}  // namespace sb::testing
