#pragma once

// Time zones read from TZif files (RFC 8536), without any process-global state: no TZ
// environment variable, no localtime_r, no std::chrono::tzdb (absent from GCC 12).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace sb {

// A proleptic Gregorian date.
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  bool operator==(const CivilDate&) const = default;
};

// Days since 1970-01-01 of a civil date. Fields out of range are not checked.
std::int64_t DaysFromCivil(const CivilDate& date);
// The civil date `days` days after 1970-01-01 (negative for earlier dates).
CivilDate CivilFromDays(std::int64_t days);
// Parses "YYYY-MM-DD" into a valid calendar date; nullopt for anything else.
std::optional<CivilDate> ParseCivilDate(std::string_view text);

// Helpers over a *local* timestamp: milliseconds since 1970-01-01T00:00 in local wall-clock
// time, i.e. `utc_ms + 1000 * zone.UtcOffsetSeconds(utc_ms)`.
std::int64_t LocalDayNumber(Timestamp local_ms);  // days since 1970-01-01, floored
CivilDate LocalDate(Timestamp local_ms);
int LocalWeekday(Timestamp local_ms);      // 0 = Monday .. 6 = Sunday
int LocalMinuteOfDay(Timestamp local_ms);  // 0..1439

// The daylight-saving rule of a POSIX TZ string, e.g. "CET-1CEST,M3.5.0,M10.5.0/3".
// Offsets are seconds east of UTC (the opposite sign of the POSIX text).
struct PosixTzRule {
  struct Date {
    enum class Kind { kMonthWeekDay, kJulian1, kJulian0 } kind = Kind::kMonthWeekDay;
    int month = 0, week = 0, weekday = 0;  // Mm.w.d (weekday 0 = Sunday)
    int day = 0;                           // Jn (1..365, no Feb 29) or n (0..365)
    int time_seconds = 7200;               // local time of the change, default 02:00
  };
  int std_offset = 0;
  std::optional<int> dst_offset;  // absent: no daylight saving time
  Date dst_start, dst_end;
};

// Parses a POSIX TZ string as found in a TZif footer. Refuses DST without a rule.
std::optional<PosixTzRule> ParsePosixTz(std::string_view text);

// One IANA time zone: its transitions and the rule for times after the last one.
// Immutable after construction, so safe to share between threads.
class TimeZone {
 public:
  // Reads `<zoneinfo_dir>/<iana_name>`. A name that is empty, absolute, contains ".." or
  // a character outside [A-Za-z0-9_+/-] is kInvalidArgument (param "time_zone"); a
  // missing file is kNotFound; a file that is not TZif is kInvalidArgument.
  static Result<TimeZone> Load(std::string_view iana_name,
                               const std::string& zoneinfo_dir = "/usr/share/zoneinfo");
  // Parses the bytes of a TZif file (versions 1 to 3); the 64-bit data and the footer
  // are used when present. Malformed input is kInvalidArgument (param "time_zone").
  static Result<TimeZone> Parse(std::string_view tzif_bytes);
  // UTC itself, without reading any file.
  static TimeZone Utc();

  // Seconds east of UTC in effect at `utc_ms`.
  int UtcOffsetSeconds(Timestamp utc_ms) const;
  // `utc_ms` as a local timestamp (see LocalDate and friends).
  Timestamp ToLocal(Timestamp utc_ms) const { return utc_ms + 1000LL * UtcOffsetSeconds(utc_ms); }
  // The UTC instant of a local wall-clock time. A time that occurs twice (clocks set
  // back) gives the earlier instant; a time that does not exist (clocks set forward)
  // is read with the offset in effect before the change, so 02:30 becomes 03:30.
  // `minute_of_day` may be 1440 (midnight ending the day).
  Timestamp LocalToUtc(const CivilDate& date, int minute_of_day, int second = 0) const;
  // Same, from a local timestamp.
  Timestamp LocalToUtc(Timestamp local_ms) const;

 private:
  TimeZone() = default;
  int OffsetFromFooter(std::int64_t utc_seconds) const;

  std::vector<std::int64_t> transitions_;  // UTC seconds, ascending
  std::vector<int> offsets_;               // offset in effect from transitions_[i]
  int initial_offset_ = 0;                 // before the first transition
  std::optional<PosixTzRule> footer_;
};

}  // namespace sb
