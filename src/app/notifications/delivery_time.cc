#include "app/notifications/delivery_time.h"

#include <algorithm>

namespace sb::app {

Timestamp AfterQuietHours(Timestamp now, const TimeZone& zone, int start_minute, int end_minute) {
  if (start_minute == end_minute) return now;
  Timestamp local = zone.ToLocal(now);
  int minute = LocalMinuteOfDay(local);
  bool wraps = start_minute > end_minute;
  bool quiet = wraps ? (minute >= start_minute || minute < end_minute)
                     : (minute >= start_minute && minute < end_minute);
  if (!quiet) return now;
  std::int64_t day = LocalDayNumber(local);
  // Past the start of a quiet period that wraps midnight: the morning is tomorrow's.
  if (wraps && minute >= start_minute) ++day;
  return zone.LocalToUtc(CivilFromDays(day), end_minute);
}

Timestamp WithinRateLimit(Timestamp at, std::vector<Timestamp> scheduled, int max,
                          std::int64_t window_ms) {
  std::sort(scheduled.begin(), scheduled.end());
  while (true) {
    // The messages sent in the window (at - window, at].
    auto first = std::upper_bound(scheduled.begin(), scheduled.end(), at - window_ms);
    auto last = std::upper_bound(scheduled.begin(), scheduled.end(), at);
    if (last - first < max) return at;
    // Wait until the oldest of them leaves the window.
    at = *first + window_ms;
  }
}

}  // namespace sb::app
