#include "app/reports/kpi_queries.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
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

// Requests read per statement: the most a KPI read holds of them at once, however many the
// window has (the tallies keep one processing time per completed request).
constexpr int kStatsPage = 1000;

// Hands every request of the tenant created in [from, to) to `add`, a page at a time, all in
// the transaction `tx` (so they are the requests of one moment).
Status ForEachStat(domain::Tx& tx, const std::string& tenant_id, Timestamp from, Timestamp to,
                   const std::function<void(domain::RequestStat&)>& add) {
  domain::ReportCursor after;
  while (true) {
    SB_ASSIGN_OR_RETURN(std::vector<domain::RequestStat> page,
                        tx.ListRequestReportStats(tenant_id, from, to, after, kStatsPage));
    for (domain::RequestStat& s : page) add(s);
    if (page.size() < static_cast<std::size_t>(kStatsPage)) return Status::Ok();
    after.created_at = page.back().created_at;
    after.id = std::move(page.back().id);
  }
}

}  // namespace

Result<domain::Kpis> KpiQueries::Get(const CallContext& ctx, Timestamp from, Timestamp to) const {
  SB_RETURN_IF_ERROR(CheckKpiWindow(from, to));
  return ForTenant(ctx.tenant_id, from, to);
}

Result<domain::GroupedKpis> KpiQueries::Grouped(const CallContext& ctx, Timestamp from,
                                                Timestamp to, domain::KpiGroupBy by) const {
  SB_RETURN_IF_ERROR(CheckKpiWindow(from, to));
  domain::GroupedKpiTally tally(by);
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    // A request counts for the team its assignee is in now.
    std::map<std::string, std::string> team_of;
    if (by == domain::KpiGroupBy::kTeam) {
      SB_ASSIGN_OR_RETURN(std::vector<domain::StaffUser> users, tx.ListUsers(ctx.tenant_id));
      for (const domain::StaffUser& u : users) team_of[u.id] = u.team;
    }
    return ForEachStat(tx, ctx.tenant_id, from, to, [&](domain::RequestStat& s) {
      auto it = team_of.find(s.assignee);
      if (it != team_of.end()) s.team = it->second;
      tally.Add(s);
    });
  }));
  return std::move(tally).Finish(from, to);
}

Result<DashboardView> KpiQueries::Dashboard(const CallContext& ctx) const {
  Timestamp now = deps_.clock.Now();
  domain::DashboardTally tally(now);
  std::vector<domain::BacklogCount> backlog;
  domain::Page<domain::BulkJob> jobs;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_RETURN_IF_ERROR(ForEachStat(tx, ctx.tenant_id, now - domain::kDashboardWindow, now,
                                   [&](const domain::RequestStat& s) { tally.Add(s); }));
    SB_ASSIGN_OR_RETURN(backlog, tx.CountBacklog(ctx.tenant_id));
    SB_ASSIGN_OR_RETURN(jobs, tx.ListBulkJobs(ctx.tenant_id, "", 20));
    return Status::Ok();
  }));
  DashboardView view;
  view.figures = std::move(tally).Finish(backlog);
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
  domain::KpiTally tally;
  std::vector<domain::BacklogCount> backlog;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_RETURN_IF_ERROR(
        ForEachStat(tx, tenant_id, from, to, [&](const domain::RequestStat& s) { tally.Add(s); }));
    SB_ASSIGN_OR_RETURN(backlog, tx.CountBacklog(tenant_id));
    return Status::Ok();
  }));
  return std::move(tally).Finish(from, to, backlog);
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
