// Storage contract: scoring models and the history scoring reads.

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

}  // namespace
}  // namespace sb::testing
