// KPIs read from a real store (SQLite, and PostgreSQL on SB_TEST_PG_URL) a page at a time: a
// window of more requests than one page gives the figures of all of them, the same as computed
// from the whole list at once.
#include "app/reports/kpi_queries.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "domain/kpis.h"
#include "tests/support/backend_tenant_fixture.h"

namespace sb::app {
namespace {

using domain::RequestState;
using domain::RequestType;

constexpr int kRequests = 2'345;  // more than two pages of the KPI read

class KpiQueriesTest : public sb::testing::BackendTenantTest {
 protected:
  void SetUp() override {
    BackendTenantTest::SetUp();
    if (HasFatalFailure()) return;
    ctx_.actor = {domain::ActorType::kApiKey, "key_sup", domain::Role::kSupervisor};
    Seed();
  }

  // kRequests requests over the last 20 hours, some made in the same millisecond: every fifth
  // rejected, the others completed after 0-99 s, a third of them due before they completed,
  // half assigned to one agent, one in seven rated.
  void Seed() {
    Status s = store_->Write([&](domain::Tx& tx) -> Status {
      domain::Account a;
      a.tenant_id = ctx_.tenant_id;
      a.id = "acc_kpi";
      a.external_ref = "CUST-KPI";
      a.created_at = a.updated_at = clock_.Now();
      SB_RETURN_IF_ERROR(tx.InsertAccount(a));
      for (int i = 0; i < kRequests; ++i) {
        domain::Request r;
        r.tenant_id = ctx_.tenant_id;
        r.id = "req_kpi_" + std::to_string(100000 + i);
        r.account_id = a.id;
        r.type = i % 2 ? RequestType::kReconnection : RequestType::kSuspension;
        r.priority = "normal";
        r.created_at = r.updated_at = clock_.Now() - 20 * 3'600'000 + (i / 3) * 30'000;
        r.assignee = i % 2 ? "usr_agent" : "";
        if (i % 5 == 0) {
          r.state = RequestState::kRejected;
        } else {
          r.state = RequestState::kCompleted;
          r.completed_at = r.created_at + (i % 100) * 1000;
          r.due_at = r.created_at + (i % 3 == 0 ? 50'000 : 200'000);
        }
        SB_RETURN_IF_ERROR(tx.InsertRequest(r));
        domain::RequestStat st;
        st.type = r.type;
        st.state = r.state;
        st.created_at = r.created_at;
        st.completed_at = r.completed_at;
        st.due_at = r.due_at;
        st.assignee = r.assignee;
        seeded_.push_back(st);
      }
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::vector<domain::RequestStat> seeded_;  // what the store holds, as the KPIs see it
};

TEST_P(KpiQueriesTest, AWindowOfManyPagesCountsEveryRequestOnce) {
  const Timestamp from = clock_.Now() - 24 * 3'600'000, to = clock_.Now();
  auto kpis = KpiQueries(*deps_).Get(ctx_, from, to);
  ASSERT_TRUE(kpis.ok()) << kpis.status().ToString();
  domain::Kpis expected = domain::ComputeKpis(from, to, seeded_, {});
  for (RequestType type : {RequestType::kReconnection, RequestType::kSuspension}) {
    const domain::TypeKpis& got = kpis->types.at(type);
    const domain::TypeKpis& want = expected.types.at(type);
    EXPECT_EQ(got.volume, want.volume);
    EXPECT_EQ(got.completed, want.completed);
    EXPECT_EQ(got.rejected, want.rejected);
    EXPECT_EQ(got.success_rate, want.success_rate);
    EXPECT_EQ(got.median_processing_seconds, want.median_processing_seconds);
    EXPECT_EQ(got.p95_processing_seconds, want.p95_processing_seconds);
    EXPECT_EQ(got.processing_buckets, want.processing_buckets);
    EXPECT_EQ(got.sla_compliance, want.sla_compliance);
  }
  EXPECT_EQ(kpis->types.at(RequestType::kReconnection).volume +
                kpis->types.at(RequestType::kSuspension).volume,
            kRequests);

  auto by_agent = KpiQueries(*deps_).Grouped(ctx_, from, to, domain::KpiGroupBy::kAgent);
  ASSERT_TRUE(by_agent.ok()) << by_agent.status().ToString();
  EXPECT_EQ(by_agent->groups.at("usr_agent").volume, kRequests / 2);
  EXPECT_EQ(by_agent->groups.at("unassigned").volume + by_agent->groups.at("usr_agent").volume,
            kRequests);

  auto dashboard = KpiQueries(*deps_).Dashboard(ctx_);
  ASSERT_TRUE(dashboard.ok()) << dashboard.status().ToString();
  std::int64_t by_hour = 0;
  for (const auto& [type, hours] : dashboard->figures.processing_by_hour) {
    for (const domain::HourlyProcessing& h : hours) by_hour += h.completed;
  }
  EXPECT_EQ(by_hour, expected.types.at(RequestType::kReconnection).completed +
                         expected.types.at(RequestType::kSuspension).completed);
  EXPECT_EQ(dashboard->figures.success_rate,
            domain::ComputeDashboard(clock_.Now(), seeded_, {}).success_rate);
}

INSTANTIATE_TEST_SUITE_P(Backends, KpiQueriesTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace sb::app
