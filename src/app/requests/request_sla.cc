#include "app/requests/request_sla.h"

#include <boost/json.hpp>

#include "app/core/job_kinds.h"
#include "app/requests/request_flow.h"
#include "common/tzif.h"
#include "crypto/crypto.h"
#include "domain/sla.h"

namespace sb::app {
namespace {

namespace json = boost::json;

// Counts every minute: used by calendar-hours targets, which need no calendar.
const domain::BusinessCalendar& AlwaysOpen() {
  static const domain::BusinessCalendar* cal = [] {
    domain::Calendar c;
    c.time_zone = "UTC";
    c.week.assign(7, domain::WorkingHours{0, 24 * 60});
    return new domain::BusinessCalendar(domain::BusinessCalendar::Make(c, TimeZone::Utc()).value());
  }();
  return *cal;
}

struct Clocked {
  domain::SlaTarget target;
  const domain::BusinessCalendar* calendar = nullptr;
};

// The target of the request's type and priority, with the calendar it counts in.
std::optional<Clocked> TargetFor(const CompiledPolicy& policy, const domain::Request& r) {
  const domain::RequestPolicy& p = policy.For(r.type);
  auto it = p.sla.find(r.priority);
  if (it == p.sla.end()) return std::nullopt;
  Clocked c{it->second, nullptr};
  if (c.target.clock == domain::SlaClock::kCalendarHours) {
    c.calendar = &AlwaysOpen();
  } else {
    c.calendar = policy.CalendarFor(c.target);
    if (!c.calendar) c.calendar = &AlwaysOpen();
  }
  return c;
}

}  // namespace

Status ScheduleSlaJobs(domain::Tx& tx, const domain::Request& r, Timestamp now) {
  for (const std::optional<Timestamp>& at : {r.at_risk_at, r.due_at}) {
    if (!at) continue;
    domain::Job job;
    job.tenant_id = r.tenant_id;
    job.id = crypto::NewId("job", now);
    job.kind = kSlaJob;
    job.subject_id = r.id;
    job.payload_json = "{}";
    job.run_at = *at;
    job.created_at = now;
    SB_RETURN_IF_ERROR(tx.InsertJob(job));
  }
  return Status::Ok();
}

void StartSla(const CompiledPolicy& policy, domain::Request& r, Timestamp now) {
  std::optional<Clocked> c = TargetFor(policy, r);
  if (!c) return;
  r.due_at = domain::DueAt(now, c->target, *c->calendar);
  domain::SlaTarget early = c->target;
  int pct = policy.For(r.type).at_risk_percent;
  early.target_minutes = std::max<std::int64_t>(1, c->target.target_minutes * pct / 100);
  r.at_risk_at = domain::DueAt(now, early, *c->calendar);
  r.sla_status = domain::SlaStatus::kOnTrack;
}

void PauseSla(domain::Request& r, Timestamp now) {
  if (!r.sla_paused_at && r.due_at) r.sla_paused_at = now;
}

Status ResumeSla(domain::Tx& tx, const CompiledPolicy& policy, domain::Request& r, Timestamp now) {
  if (!r.sla_paused_at) return Status::Ok();
  Timestamp from = *r.sla_paused_at;
  r.sla_paused_at.reset();
  std::optional<Clocked> c = TargetFor(policy, r);
  if (!c || !r.due_at) return Status::Ok();
  r.due_at = domain::DueAfterPause(*r.due_at, from, now, *c->calendar);
  if (r.at_risk_at) r.at_risk_at = domain::DueAfterPause(*r.at_risk_at, from, now, *c->calendar);
  return ScheduleSlaJobs(tx, r, now);
}

Status Escalate(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                const domain::EscalationAction& action, domain::Request& r) {
  json::object done;
  if (action.raise_priority) {
    constexpr size_t n = std::size(domain::kPriorities);
    for (size_t i = 0; i + 1 < n; ++i) {
      if (r.priority == domain::kPriorities[i]) {
        r.priority = std::string(domain::kPriorities[i + 1]);
        break;
      }
    }
    done["priority"] = r.priority;
  }
  if (!action.reassign_to.empty()) {
    r.assignee = action.reassign_to;
    done["assignee"] = r.assignee;
  }
  if (action.notify_role) {
    std::string role(domain::Name(*action.notify_role));
    done["notified_role"] = role;
    SB_RETURN_IF_ERROR(Emit(tx, ctx, now, "request.escalated", &r, r.account_id,
                            {{"role", role}, {"sla_status", domain::Name(r.sla_status)}}, "email"));
  }
  return Status::Ok();
}

}  // namespace sb::app
