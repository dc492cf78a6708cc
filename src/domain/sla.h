#pragma once

// SLA arithmetic: when a request is due, and how much SLA time has run. Pure functions:
// the time zone arrives already loaded, so nothing here reads files or the clock.

#include <cstdint>
#include <set>

#include "common/status.h"
#include "common/time.h"
#include "common/tzif.h"
#include "domain/model.h"
#include "domain/policy.h"

namespace sb::domain {

// A policy Calendar with its time zone resolved and its holidays parsed. Working hours
// are local wall-clock times, so they stay at 09:00 local across daylight-saving changes.
// Immutable; safe to share between threads.
class BusinessCalendar {
 public:
  // Checks `calendar` (7 weekdays with 0 <= open <= close <= 1440 and at least one open
  // day, holidays "YYYY-MM-DD") and binds it to `zone`, which the caller loads for
  // `calendar.time_zone`. Violations are kInvalidArgument naming the field.
  static Result<BusinessCalendar> Make(const Calendar& calendar, TimeZone zone);

  // The working interval [open, close) in UTC of local day `local_day` (days since
  // 1970-01-01), or an empty interval (open == close) on closed days and holidays.
  std::pair<Timestamp, Timestamp> WorkingInterval(std::int64_t local_day) const;
  // The local day containing `utc_ms`.
  std::int64_t LocalDay(Timestamp utc_ms) const;

 private:
  explicit BusinessCalendar(TimeZone zone) : zone_(std::move(zone)) {}

  TimeZone zone_;
  WorkingHours week_[7];
  std::set<std::int64_t> holidays_;  // local day numbers
};

// The instant `minutes` of working time after `start`: time outside working hours,
// weekends and holidays does not count. A start outside working hours counts from the
// next opening. `minutes` <= 0 gives `start`.
Timestamp BusinessDueAt(Timestamp start, std::int64_t minutes, const BusinessCalendar& calendar);

// The due time of `target` from `start`: wall-clock minutes for calendar-hours targets
// (the calendar is then ignored), working minutes in `calendar` for business hours.
Timestamp DueAt(Timestamp start, const SlaTarget& target, const BusinessCalendar& calendar);

// Working time in [a, b), in milliseconds; 0 when b <= a.
Timestamp BusinessMillisBetween(Timestamp a, Timestamp b, const BusinessCalendar& calendar);
// Whole working minutes in [a, b): the time the SLA clock actually ran.
std::int64_t BusinessMinutesBetween(Timestamp a, Timestamp b, const BusinessCalendar& calendar);

// `due_at` pushed back by the working time spent paused in [paused_from, paused_until):
// a pause over a weekend adds nothing, one during working hours adds its whole length.
Timestamp DueAfterPause(Timestamp due_at, Timestamp paused_from, Timestamp paused_until,
                        const BusinessCalendar& calendar);

// The SLA time left at `at` before `due_at`, in milliseconds: the working time in
// [at, due_at), or minus the working time in [due_at, at) once past due.
Timestamp WorkingMillisLeft(Timestamp at, Timestamp due_at, const BusinessCalendar& calendar);

// The SLA status a request has at `now`: the stored one, or a later one its due_at or
// at_risk_at has already reached (shown before the SLA job has run). A paused or finished
// request keeps its stored status.
SlaStatus SlaStatusAt(const Request& r, Timestamp now);

}  // namespace sb::domain
