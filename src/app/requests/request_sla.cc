#include "app/requests/request_sla.h"

#include <boost/json.hpp>

#include "app/core/job_kinds.h"
#include "app/notifications/composer.h"
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

// The terms of `policy`'s target for the request's type and priority; none without one.
std::optional<domain::SlaTerms> TermsFor(const CompiledPolicy& policy, const domain::Request& r) {
  const domain::RequestPolicy& p = policy.For(r.type);
  auto it = p.sla.find(r.priority);
  if (it == p.sla.end()) return std::nullopt;
  const domain::SlaTarget& t = it->second;
  domain::SlaTerms terms{t.clock, t.target_minutes, ""};
  if (t.clock == domain::SlaClock::kBusinessHours) {
    terms.calendar = t.calendar.empty() ? policy.pack.calendar_default : t.calendar;
  }
  return terms;
}

// The calendar `terms` count in within `policy`; always open for calendar hours or a
// calendar the pack does not have.
const domain::BusinessCalendar& CalendarIn(const CompiledPolicy& policy,
                                           const domain::SlaTerms& terms) {
  if (terms.clock == domain::SlaClock::kCalendarHours) return AlwaysOpen();
  auto it = policy.calendars.find(terms.calendar);
  return it == policy.calendars.end() ? AlwaysOpen() : it->second;
}

// The pack the request was filed under: `in_force` when it is that version, else the stored
// version (held in `keep`). A version the tenant no longer has falls back to `in_force`.
Result<const CompiledPolicy*> PackOf(domain::Tx& tx, const CompiledPolicy& in_force,
                                     const domain::Request& r,
                                     std::shared_ptr<const CompiledPolicy>& keep) {
  if (r.policy_version.empty() || r.policy_version == in_force.pack.version) return &in_force;
  auto found = PolicyOfVersion(tx, r.tenant_id, r.policy_version);
  if (!found.ok()) {
    if (found.status().code() == Code::kNotFound) return &in_force;
    return found.status();
  }
  keep = *std::move(found);
  return keep.get();
}

// The calendar the request's SLA counts in (null when it has no SLA terms and its pack no
// target for its priority). `keep` holds the pack the calendar belongs to.
Result<const domain::BusinessCalendar*> ClockOf(domain::Tx& tx, const CompiledPolicy& in_force,
                                                const domain::Request& r,
                                                std::shared_ptr<const CompiledPolicy>& keep) {
  if (r.sla_terms && r.sla_terms->clock == domain::SlaClock::kCalendarHours) return &AlwaysOpen();
  SB_ASSIGN_OR_RETURN(const CompiledPolicy* pack, PackOf(tx, in_force, r, keep));
  std::optional<domain::SlaTerms> terms = r.sla_terms ? r.sla_terms : TermsFor(*pack, r);
  if (!terms) return static_cast<const domain::BusinessCalendar*>(nullptr);
  return &CalendarIn(*pack, *terms);
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
  std::optional<domain::SlaTerms> terms = TermsFor(policy, r);
  if (!terms) return;
  const domain::BusinessCalendar& calendar = CalendarIn(policy, *terms);
  domain::SlaTarget target{terms->target_minutes, terms->clock, terms->calendar};
  r.due_at = domain::DueAt(now, target, calendar);
  domain::SlaTarget early = target;
  int pct = policy.For(r.type).at_risk_percent;
  early.target_minutes = std::max<std::int64_t>(1, target.target_minutes * pct / 100);
  r.at_risk_at = domain::DueAt(now, early, calendar);
  r.sla_status = domain::SlaStatus::kOnTrack;
  r.sla_terms = std::move(terms);
}

Status PauseSla(domain::Tx& tx, const CompiledPolicy& in_force, domain::Request& r, Timestamp now) {
  if (r.sla_paused_at || !r.due_at) return Status::Ok();
  r.sla_paused_at = now;
  std::shared_ptr<const CompiledPolicy> keep;
  SB_ASSIGN_OR_RETURN(const domain::BusinessCalendar* calendar, ClockOf(tx, in_force, r, keep));
  if (calendar) r.sla_left_ms = domain::WorkingMillisLeft(now, *r.due_at, *calendar);
  return Status::Ok();
}

Status ResumeSla(domain::Tx& tx, const CompiledPolicy& in_force, domain::Request& r,
                 Timestamp now) {
  if (!r.sla_paused_at) return Status::Ok();
  Timestamp from = *r.sla_paused_at;
  r.sla_paused_at.reset();
  r.sla_left_ms.reset();
  if (!r.due_at) return Status::Ok();
  std::shared_ptr<const CompiledPolicy> keep;
  SB_ASSIGN_OR_RETURN(const domain::BusinessCalendar* calendar, ClockOf(tx, in_force, r, keep));
  if (!calendar) return Status::Ok();
  r.due_at = domain::DueAfterPause(*r.due_at, from, now, *calendar);
  if (r.at_risk_at) r.at_risk_at = domain::DueAfterPause(*r.at_risk_at, from, now, *calendar);
  return ScheduleSlaJobs(tx, r, now);
}

Status Escalate(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                const domain::EscalationAction& action, domain::Request& r) {
  if (action.raise_priority) {
    constexpr size_t n = std::size(domain::kPriorities);
    for (size_t i = 0; i + 1 < n; ++i) {
      if (r.priority == domain::kPriorities[i]) {
        r.priority = std::string(domain::kPriorities[i + 1]);
        break;
      }
    }
  }
  if (!action.reassign_to.empty()) r.assignee = action.reassign_to;
  if (action.notify_role) {
    std::string role(domain::Name(*action.notify_role));
    std::string sla_status(domain::Name(r.sla_status));
    SB_RETURN_IF_ERROR(
        NotifyStaffOfEscalation(tx, ctx, now, *action.notify_role, r, sla_status).status());
    // The client's systems hear of it too, like any event of the request.
    SB_RETURN_IF_ERROR(Emit(tx, ctx, now, "request.escalated", &r, r.account_id,
                            {{"role", role}, {"sla_status", sla_status}}));
  }
  return Status::Ok();
}

}  // namespace sb::app
