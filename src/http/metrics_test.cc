#include "http/metrics.h"

#include <gtest/gtest.h>

namespace sb::http {
namespace {

using domain::RequestState;
using domain::RequestType;

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(RequestKpiMetrics, RendersGaugesPerTenantAndTypeLeavingNullsOut) {
  domain::RequestStat done;
  done.type = RequestType::kReconnection;
  done.state = RequestState::kCompleted;
  done.created_at = 0;
  done.completed_at = 1'234'567'000;  // 1234567 s: printed without rounding
  domain::RequestStat rejected = done;
  rejected.state = RequestState::kRejected;
  rejected.completed_at.reset();
  app::RecentKpis recent;
  recent.tenants.push_back({"ten_a", domain::ComputeKpis(0, 1, {done, rejected},
                                                         {{RequestType::kReconnection,
                                                           RequestState::kProvisioning, 2}})});
  recent.failed_tenants = 1;
  std::string text = RenderRequestKpis(recent);

  const std::string rec = R"(tenant="ten_a",type="reconnection")";
  EXPECT_TRUE(Has(text, "switchboard_requests_backlog{" + rec + R"(,state="provisioning"} 2)"))
      << text;
  EXPECT_TRUE(Has(text, "switchboard_requests_backlog{" + rec + R"(,state="received"} 0)"));
  EXPECT_EQ(text.find(R"(state="completed")"), std::string::npos);  // terminal states: no backlog
  EXPECT_TRUE(Has(text, "switchboard_request_success_ratio{" + rec + "} 0.5"));
  // A histogram, not a gauge with a quantile label: one completion of 1234567 s lies past the
  // last bucket.
  EXPECT_EQ(text.find("quantile"), std::string::npos) << text;
  EXPECT_TRUE(Has(text, "# TYPE switchboard_request_processing_seconds histogram"));
  const std::string hist = "switchboard_request_processing_seconds";
  EXPECT_TRUE(Has(text, hist + "_bucket{" + rec + R"(,le="86400"} 0)")) << text;
  EXPECT_TRUE(Has(text, hist + "_bucket{" + rec + R"(,le="+Inf"} 1)"));
  EXPECT_TRUE(Has(text, hist + "_sum{" + rec + "} 1234567"));
  EXPECT_TRUE(Has(text, hist + "_count{" + rec + "} 1"));
  // No completed request had a due time, and plan changes had no requests at all.
  EXPECT_EQ(text.find("switchboard_request_sla_compliance_ratio{"), std::string::npos);
  EXPECT_EQ(text.find(R"(switchboard_request_success_ratio{tenant="ten_a",type="plan_change")"),
            std::string::npos);
  EXPECT_TRUE(Has(text, "# TYPE switchboard_request_sla_compliance_ratio gauge"));
  EXPECT_TRUE(Has(text, "switchboard_kpi_tenants_failed 1"));
}

TEST(RequestKpiMetrics, ProcessingBucketsAreCumulative) {
  domain::RequestStat quick;
  quick.type = RequestType::kSuspension;
  quick.state = RequestState::kCompleted;
  quick.created_at = 0;
  quick.completed_at = 2'000;  // 2 s
  domain::RequestStat slow = quick;
  slow.completed_at = 120'000;  // 2 min
  app::RecentKpis recent;
  recent.tenants.push_back({"ten_a", domain::ComputeKpis(0, 1, {quick, slow}, {})});
  std::string text = RenderRequestKpis(recent);
  const std::string b =
      R"(switchboard_request_processing_seconds_bucket{tenant="ten_a",type="suspension",le=)";
  EXPECT_TRUE(Has(text, b + R"("1"} 0)")) << text;
  EXPECT_TRUE(Has(text, b + R"("5"} 1)"));
  EXPECT_TRUE(Has(text, b + R"("60"} 1)"));
  EXPECT_TRUE(Has(text, b + R"("300"} 2)"));
  EXPECT_TRUE(Has(text, b + R"("+Inf"} 2)"));
  EXPECT_TRUE(Has(
      text, R"(switchboard_request_processing_seconds_sum{tenant="ten_a",type="suspension"} 122)"));
}

TEST(RequestKpiMetrics, EscapesLabelValues) {
  app::RecentKpis recent;
  recent.tenants.push_back({"ten_\"x\\", domain::ComputeKpis(0, 1, {}, {})});
  std::string text = RenderRequestKpis(recent);
  EXPECT_NE(text.find(R"(tenant="ten_\"x\\",type="status_sync",state="received"} 0)"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace sb::http
