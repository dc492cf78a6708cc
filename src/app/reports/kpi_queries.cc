#include "app/reports/kpi_queries.h"

#include <map>
#include <optional>
#include <utility>

namespace sb::app {

namespace {

Status CheckKpiWindow(Timestamp from, Timestamp to) {
  if (from >= to) return Status::Invalid("to", "'to' must be after 'from'.", "invalid_window");
  if (to - from > kMaxKpiWindow)
    return Status::Invalid("from", "The window from 'from' to 'to' must be at most 366 days.",
                           "window_too_long");
  return Status::Ok();
}

}  // namespace

Result<domain::Kpis> KpiQueries::Get(const CallContext& ctx, Timestamp from, Timestamp to) const {
  SB_RETURN_IF_ERROR(CheckKpiWindow(from, to));
  return ForTenant(ctx.tenant_id, from, to);
}

Result<domain::GroupedKpis> KpiQueries::Grouped(const CallContext& ctx, Timestamp from,
                                                Timestamp to, domain::KpiGroupBy by) const {
  SB_RETURN_IF_ERROR(CheckKpiWindow(from, to));
  std::vector<domain::RequestStat> stats;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(stats, tx.ListRequestReportStats(ctx.tenant_id, from, to));
    if (by != domain::KpiGroupBy::kTeam) return Status::Ok();
    // A request counts for the team its assignee is in now.
    SB_ASSIGN_OR_RETURN(std::vector<domain::StaffUser> users, tx.ListUsers(ctx.tenant_id));
    std::map<std::string, std::string> team_of;
    for (const domain::StaffUser& u : users) team_of[u.id] = u.team;
    for (domain::RequestStat& s : stats) {
      auto it = team_of.find(s.assignee);
      if (it != team_of.end()) s.team = it->second;
    }
    return Status::Ok();
  }));
  return domain::ComputeGroupedKpis(from, to, stats, by);
}

Result<DashboardView> KpiQueries::Dashboard(const CallContext& ctx) const {
  Timestamp now = deps_.clock.Now();
  std::vector<domain::RequestStat> stats;
  std::vector<domain::BacklogCount> backlog;
  domain::Page<domain::BulkJob> jobs;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(
        stats, tx.ListRequestReportStats(ctx.tenant_id, now - domain::kDashboardWindow, now));
    SB_ASSIGN_OR_RETURN(backlog, tx.CountBacklog(ctx.tenant_id));
    SB_ASSIGN_OR_RETURN(jobs, tx.ListBulkJobs(ctx.tenant_id, "", 20));
    return Status::Ok();
  }));
  DashboardView view;
  view.figures = domain::ComputeDashboard(now, stats, backlog);
  for (const domain::BulkJob& j : jobs.items) {
    if (j.state == domain::BulkJobState::kLoading || j.state == domain::BulkJobState::kRunning ||
        j.state == domain::BulkJobState::kPaused) {
      view.bulk_jobs.push_back(ProgressOf(j, now));
    }
  }
  return view;
}

Result<domain::Kpis> KpiQueries::ForTenant(const std::string& tenant_id, Timestamp from,
                                           Timestamp to) const {
  std::vector<domain::RequestStat> stats;
  std::vector<domain::BacklogCount> backlog;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(stats, tx.ListRequestReportStats(tenant_id, from, to));
    SB_ASSIGN_OR_RETURN(backlog, tx.CountBacklog(tenant_id));
    return Status::Ok();
  }));
  return domain::ComputeKpis(from, to, stats, backlog);
}

Result<RecentKpis> KpiQueries::RecentForAllTenants(Timestamp window) const {
  std::vector<domain::Tenant> tenants;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(tenants, tx.ListTenants());
    return Status::Ok();
  }));
  Timestamp to = deps_.clock.Now();
  RecentKpis out;
  for (const domain::Tenant& t : tenants) {
    Result<domain::Kpis> k = ForTenant(t.id, to - window, to);
    if (k.ok()) {
      out.tenants.push_back({t.id, std::move(k).value()});
    } else {
      ++out.failed_tenants;
    }
  }
  return out;
}

}  // namespace sb::app
