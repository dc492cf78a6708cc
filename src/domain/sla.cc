#include "domain/sla.h"

#include <algorithm>
#include <string>

namespace sb::domain {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr Timestamp kMillisPerMinute = 60 * kMillisPerSecond;

// The instant `millis` of working time after `start`. REQUIRES: millis > 0 and the
// calendar has an open weekday (checked by BusinessCalendar::Make), so the loop ends.
Timestamp AddWorkingMillis(Timestamp start, Timestamp millis, const BusinessCalendar& calendar) {
  for (std::int64_t day = calendar.LocalDay(start);; ++day) {
    auto [open, close] = calendar.WorkingInterval(day);
    Timestamp from = std::max(start, open);
    if (from >= close) continue;
    if (millis <= close - from) return from + millis;
    millis -= close - from;
  }
}

}  // namespace

Result<BusinessCalendar> BusinessCalendar::Make(const Calendar& calendar, TimeZone zone) {
  if (calendar.week.size() != 7) return Status::Invalid("week", "week needs 7 entries");
  BusinessCalendar out(std::move(zone));
  bool any_open = false;
  for (int i = 0; i < 7; ++i) {
    const WorkingHours& h = calendar.week[i];
    if (h.open_minute < 0 || h.open_minute > h.close_minute || h.close_minute > kMinutesPerDay) {
      return Status::Invalid("week." + std::to_string(i), "opening hours out of range");
    }
    any_open |= h.open_minute < h.close_minute;
    out.week_[i] = h;
  }
  if (!any_open) return Status::Invalid("week", "a calendar needs at least one working day");
  for (const std::string& text : calendar.holidays) {
    std::optional<CivilDate> date = ParseCivilDate(text);
    if (!date) return Status::Invalid("holidays", "holiday \"" + text + "\" is not YYYY-MM-DD");
    out.holidays_.insert(DaysFromCivil(*date));
  }
  return out;
}

std::int64_t BusinessCalendar::LocalDay(Timestamp utc_ms) const {
  return LocalDayNumber(zone_.ToLocal(utc_ms));
}

std::pair<Timestamp, Timestamp> BusinessCalendar::WorkingInterval(std::int64_t local_day) const {
  const WorkingHours& h = week_[LocalWeekday(local_day * kMillisPerDay)];
  if (h.open_minute >= h.close_minute || holidays_.contains(local_day)) return {0, 0};
  Timestamp midnight = local_day * kMillisPerDay;
  return {zone_.LocalToUtc(midnight + h.open_minute * kMillisPerMinute),
          zone_.LocalToUtc(midnight + h.close_minute * kMillisPerMinute)};
}

Timestamp BusinessDueAt(Timestamp start, std::int64_t minutes, const BusinessCalendar& calendar) {
  if (minutes <= 0) return start;
  return AddWorkingMillis(start, minutes * kMillisPerMinute, calendar);
}

Timestamp DueAt(Timestamp start, const SlaTarget& target, const BusinessCalendar& calendar) {
  if (target.clock == SlaClock::kCalendarHours) {
    return start + target.target_minutes * kMillisPerMinute;
  }
  return BusinessDueAt(start, target.target_minutes, calendar);
}

Timestamp BusinessMillisBetween(Timestamp a, Timestamp b, const BusinessCalendar& calendar) {
  Timestamp total = 0;
  for (std::int64_t day = calendar.LocalDay(a), last = calendar.LocalDay(b); day <= last; ++day) {
    auto [open, close] = calendar.WorkingInterval(day);
    Timestamp from = std::max(a, open), to = std::min(b, close);
    if (from < to) total += to - from;
  }
  return total;
}

std::int64_t BusinessMinutesBetween(Timestamp a, Timestamp b, const BusinessCalendar& calendar) {
  return BusinessMillisBetween(a, b, calendar) / kMillisPerMinute;
}

Timestamp DueAfterPause(Timestamp due_at, Timestamp paused_from, Timestamp paused_until,
                        const BusinessCalendar& calendar) {
  Timestamp paused = BusinessMillisBetween(paused_from, paused_until, calendar);
  return paused > 0 ? AddWorkingMillis(due_at, paused, calendar) : due_at;
}

Timestamp WorkingMillisLeft(Timestamp at, Timestamp due_at, const BusinessCalendar& calendar) {
  if (at <= due_at) return BusinessMillisBetween(at, due_at, calendar);
  return -BusinessMillisBetween(due_at, at, calendar);
}

SlaStatus SlaStatusAt(const Request& r, Timestamp now) {
  if (r.sla_status == SlaStatus::kBreached || IsTerminal(r.state) || r.sla_paused_at) {
    return r.sla_status;
  }
  if (r.due_at && now >= *r.due_at) return SlaStatus::kBreached;
  if (r.at_risk_at && now >= *r.at_risk_at) return SlaStatus::kAtRisk;
  return r.sla_status;
}

}  // namespace sb::domain
