#pragma once

#include <string>
#include <vector>

#include "app/bulk/bulk_jobs.h"
#include "app/core/context.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/dashboard.h"
#include "domain/kpis.h"

namespace sb::app {

// The longest window GET /v1/kpis answers for: a year, leap day included.
inline constexpr Timestamp kMaxKpiWindow = 366 * kMillisPerDay;

// One tenant's indicators, for the metrics scrape.
struct TenantKpis {
  std::string tenant_id;
  domain::Kpis kpis;
};

// Every tenant's indicators over one recent window.
struct RecentKpis {
  std::vector<TenantKpis> tenants;  // in tenant listing order
  int failed_tenants = 0;           // tenants whose read failed and are left out
};

// The supervisor's dashboard: the figures and the bulk jobs still loading, running or paused
// (among the tenant's 20 newest).
struct DashboardView {
  domain::Dashboard figures;
  std::vector<BulkProgress> bulk_jobs;
};

// Read-only use cases over the request engine's KPIs (domain/kpis.h): one read
// transaction each. Thread-safe.
class KpiQueries {
 public:
  explicit KpiQueries(Deps deps) : deps_(deps) {}

  // The caller's tenant's indicators for requests created in [from, to), with the backlog
  // as it stands now. Invalid naming "to" unless from < to, naming "from" when the window
  // is longer than kMaxKpiWindow.
  Result<domain::Kpis> Get(const CallContext& ctx, Timestamp from, Timestamp to) const;

  // The same indicators broken down by `by` (domain::GroupedKpis), with the same window rules.
  Result<domain::GroupedKpis> Grouped(const CallContext& ctx, Timestamp from, Timestamp to,
                                      domain::KpiGroupBy by) const;

  // The caller's tenant's dashboard as of now: one read transaction.
  Result<DashboardView> Dashboard(const CallContext& ctx) const;

  // The same for a tenant named by id, with no caller (system work such as /metrics).
  Result<domain::Kpis> ForTenant(const std::string& tenant_id, Timestamp from, Timestamp to) const;

  // Every tenant's indicators over the `window` (milliseconds) ending now, one read per
  // tenant. A tenant whose read fails is left out and counted; only listing the tenants
  // can fail the call.
  Result<RecentKpis> RecentForAllTenants(Timestamp window) const;

 private:
  Deps deps_;
};

}  // namespace sb::app
