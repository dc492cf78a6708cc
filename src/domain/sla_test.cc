#include "domain/sla.h"

#include <gtest/gtest.h>

#include <string>

namespace sb::domain {
namespace {

constexpr int k0900 = 9 * 60;
constexpr int k1800 = 18 * 60;

Timestamp At(const char* rfc3339) {
  auto ts = ParseRfc3339(rfc3339);
  EXPECT_TRUE(ts.has_value()) << rfc3339;
  return ts.value_or(0);
}

Calendar Weekdays(const char* zone, std::vector<std::string> holidays = {}) {
  Calendar c;
  c.time_zone = zone;
  c.week.assign(7, WorkingHours{});
  for (int d = 0; d < 5; ++d) c.week[d] = {k0900, k1800};
  c.holidays = std::move(holidays);
  return c;
}

BusinessCalendar Make(const Calendar& calendar) {
  auto zone = TimeZone::Load(calendar.time_zone);
  EXPECT_TRUE(zone.ok()) << zone.status().ToString();
  auto cal = BusinessCalendar::Make(calendar, zone.ok() ? *zone : TimeZone::Utc());
  EXPECT_TRUE(cal.ok()) << cal.status().ToString();
  return *std::move(cal);
}

const BusinessCalendar& Paris() {
  static const BusinessCalendar cal = Make(Weekdays("Europe/Paris", {"2026-11-11"}));
  return cal;
}
const BusinessCalendar& NewYork() {
  static const BusinessCalendar cal = Make(Weekdays("America/New_York"));
  return cal;
}

struct DueCase {
  const char* name;
  const BusinessCalendar& calendar;
  const char* start;
  std::int64_t minutes;
  const char* due;
};

TEST(Sla, BusinessDueTimesSkipClosedTime) {
  const DueCase cases[] = {
      {"Friday 17:00 + 2h is Monday 10:00", Paris(), "2026-03-20T17:00:00+01:00", 120,
       "2026-03-23T10:00:00+01:00"},
      {"Saturday start counts from Monday 09:00", Paris(), "2026-03-21T11:00:00+01:00", 30,
       "2026-03-23T09:30:00+01:00"},
      {"inside working hours", Paris(), "2026-03-23T09:30:00+01:00", 60,
       "2026-03-23T10:30:00+01:00"},
      {"ending at closing time stays that day", Paris(), "2026-03-23T17:00:00+01:00", 60,
       "2026-03-23T18:00:00+01:00"},
      {"a full working day", Paris(), "2026-03-23T17:00:00+01:00", 540,
       "2026-03-24T17:00:00+01:00"},
      {"before opening counts from 09:00", Paris(), "2026-03-24T06:00:00+01:00", 15,
       "2026-03-24T09:15:00+01:00"},
      {"holiday 11 November is skipped", Paris(), "2026-11-10T17:00:00+01:00", 120,
       "2026-11-12T10:00:00+01:00"},
      {"DST weekend: Monday opens at 09:00 CEST", Paris(), "2026-03-27T17:00:00+01:00", 120,
       "2026-03-30T10:00:00+02:00"},
      {"DST weekend: one minute after Friday close", Paris(), "2026-03-27T18:00:00+01:00", 1,
       "2026-03-30T09:01:00+02:00"},
      {"Paris: Friday 17:00 CEST + 2h", Paris(), "2026-06-05T15:00:00Z", 120,
       "2026-06-08T10:00:00+02:00"},
      {"New York: same instant is 11:00 EDT", NewYork(), "2026-06-05T15:00:00Z", 120,
       "2026-06-05T13:00:00-04:00"},
      {"zero minutes is the start", Paris(), "2026-03-21T11:00:00+01:00", 0,
       "2026-03-21T11:00:00+01:00"},
  };
  for (const auto& c : cases) {
    Timestamp due = BusinessDueAt(At(c.start), c.minutes, c.calendar);
    EXPECT_EQ(FormatRfc3339(due), FormatRfc3339(At(c.due))) << c.name;
  }
}

TEST(Sla, WorkingHoursStayLocalAcrossDaylightSaving) {
  const BusinessCalendar& paris = Paris();
  auto friday = paris.WorkingInterval(DaysFromCivil({2026, 3, 27}));
  auto monday = paris.WorkingInterval(DaysFromCivil({2026, 3, 30}));
  EXPECT_EQ(friday.first, At("2026-03-27T08:00:00Z"));  // 09:00 CET
  EXPECT_EQ(monday.first, At("2026-03-30T07:00:00Z"));  // 09:00 CEST
  auto saturday = paris.WorkingInterval(DaysFromCivil({2026, 3, 28}));
  EXPECT_EQ(saturday.first, saturday.second);
}

TEST(Sla, CalendarHoursTargetsIgnoreTheCalendar) {
  SlaTarget calendar_hours{120, SlaClock::kCalendarHours, ""};
  SlaTarget business_hours{120, SlaClock::kBusinessHours, ""};
  Timestamp friday = At("2026-03-20T17:00:00+01:00");
  EXPECT_EQ(DueAt(friday, calendar_hours, Paris()), At("2026-03-20T19:00:00+01:00"));
  EXPECT_EQ(DueAt(friday, calendar_hours, NewYork()), At("2026-03-20T19:00:00+01:00"));
  EXPECT_EQ(DueAt(friday, business_hours, Paris()), At("2026-03-23T10:00:00+01:00"));
}

TEST(Sla, BusinessMinutesBetweenCountsOnlyWorkingTime) {
  struct Case {
    const char* from;
    const char* to;
    std::int64_t minutes;
  };
  const Case cases[] = {
      {"2026-03-20T17:00:00+01:00", "2026-03-23T10:00:00+01:00", 120},
      {"2026-11-10T17:00:00+01:00", "2026-11-12T10:00:00+01:00", 120},  // holiday between
      {"2026-03-23T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 5 * 540},
      {"2026-03-27T17:00:00+01:00", "2026-03-30T10:00:00+02:00", 120},  // across DST
      {"2026-03-21T08:00:00+01:00", "2026-03-22T20:00:00+01:00", 0},    // weekend only
      {"2026-03-23T10:00:00+01:00", "2026-03-23T09:00:00+01:00", 0},    // reversed
  };
  for (const auto& c : cases) {
    EXPECT_EQ(BusinessMinutesBetween(At(c.from), At(c.to), Paris()), c.minutes)
        << c.from << " -> " << c.to;
  }
}

TEST(Sla, PausesExtendTheDueTimeByPausedWorkingTime) {
  struct Case {
    const char* name;
    const char* paused_from;
    const char* paused_until;
    const char* due;
  };
  const char* due_at = "2026-03-24T10:00:00+01:00";
  const Case cases[] = {
      {"over a weekend adds nothing", "2026-03-20T18:30:00+01:00", "2026-03-23T08:00:00+01:00",
       due_at},
      {"during working hours adds its length", "2026-03-23T10:00:00+01:00",
       "2026-03-23T10:45:00+01:00", "2026-03-24T10:45:00+01:00"},
      {"Friday 17:30 to Monday 09:30 adds an hour", "2026-03-20T17:30:00+01:00",
       "2026-03-23T09:30:00+01:00", "2026-03-24T11:00:00+01:00"},
      {"spilling past closing time", "2026-03-23T09:00:00+01:00", "2026-03-23T18:00:00+01:00",
       "2026-03-25T10:00:00+01:00"},
  };
  for (const auto& c : cases) {
    Timestamp due = DueAfterPause(At(due_at), At(c.paused_from), At(c.paused_until), Paris());
    EXPECT_EQ(FormatRfc3339(due), FormatRfc3339(At(c.due))) << c.name;
  }
}

TEST(Sla, StatusAtShowsTheStatusReachedBeforeItsJobRuns) {
  const Timestamp at_risk = At("2026-12-07T09:36:00+01:00");
  const Timestamp due = At("2026-12-07T10:00:00+01:00");
  struct Case {
    const char* name;
    RequestState state;
    SlaStatus stored;
    bool paused;
    Timestamp now;
    SlaStatus shown;
  };
  const Case cases[] = {
      {"before at_risk_at", RequestState::kAwaitingPayment, SlaStatus::kOnTrack, false, at_risk - 1,
       SlaStatus::kOnTrack},
      {"at at_risk_at", RequestState::kAwaitingPayment, SlaStatus::kOnTrack, false, at_risk,
       SlaStatus::kAtRisk},
      {"at due_at, straight from on track", RequestState::kAwaitingPayment, SlaStatus::kOnTrack,
       false, due, SlaStatus::kBreached},
      {"at due_at after at risk", RequestState::kAwaitingApproval, SlaStatus::kAtRisk, false, due,
       SlaStatus::kBreached},
      {"paused keeps the stored status", RequestState::kAwaitingCustomer, SlaStatus::kOnTrack, true,
       due + kMillisPerHour, SlaStatus::kOnTrack},
      {"finished keeps the stored status", RequestState::kCompleted, SlaStatus::kAtRisk, false,
       due + kMillisPerHour, SlaStatus::kAtRisk},
      {"breached stays breached", RequestState::kAwaitingPayment, SlaStatus::kBreached, false,
       at_risk - 1, SlaStatus::kBreached},
  };
  for (const auto& c : cases) {
    Request r;
    r.state = c.state;
    r.sla_status = c.stored;
    r.at_risk_at = at_risk;
    r.due_at = due;
    if (c.paused) r.sla_paused_at = at_risk - kMillisPerHour;
    EXPECT_EQ(SlaStatusAt(r, c.now), c.shown) << c.name;
  }
  Request no_target;
  no_target.state = RequestState::kAwaitingPayment;
  EXPECT_EQ(SlaStatusAt(no_target, due), SlaStatus::kOnTrack);
}

TEST(Sla, MalformedCalendarsAreRefused) {
  struct Case {
    const char* name;
    Calendar calendar;
    const char* param;
  };
  Calendar six_days = Weekdays("UTC");
  six_days.week.pop_back();
  Calendar backwards = Weekdays("UTC");
  backwards.week[2] = {k1800, k0900};
  Calendar past_midnight = Weekdays("UTC");
  past_midnight.week[0] = {k0900, 25 * 60};
  Calendar never_open = Weekdays("UTC");
  never_open.week.assign(7, WorkingHours{});
  const Case cases[] = {
      {"six days", six_days, "week"},
      {"closes before it opens", backwards, "week.2"},
      {"closes after midnight", past_midnight, "week.0"},
      {"never open", never_open, "week"},
      {"bad holiday", Weekdays("UTC", {"2026-02-30"}), "holidays"},
      {"holiday not a date", Weekdays("UTC", {"Christmas"}), "holidays"},
  };
  for (const auto& c : cases) {
    auto cal = BusinessCalendar::Make(c.calendar, TimeZone::Utc());
    ASSERT_FALSE(cal.ok()) << c.name;
    EXPECT_EQ(cal.status().code(), Code::kInvalidArgument) << c.name;
    EXPECT_EQ(cal.status().param(), c.param) << c.name;
  }
}

}  // namespace
}  // namespace sb::domain
