#pragma once

// When a composed notification may go: after the customer's quiet hours, and within the
// per-recipient rate limit. Pure functions of their inputs, so the rules are tested without a
// clock.

#include <vector>

#include "common/time.h"
#include "common/tzif.h"

namespace sb::app {

// The first instant at or after `now` outside the quiet hours [start_minute, end_minute) of
// local time in `zone` (start after end wraps midnight: 21:00-08:00). Equal minutes: `now`.
// The end is a wall-clock time, so across a DST change it is still the local morning.
Timestamp AfterQuietHours(Timestamp now, const TimeZone& zone, int start_minute, int end_minute);

// The first instant at or after `at` such that fewer than `max` of `scheduled` (the send times
// of the recipient's other messages on the channel) fall in the window of `window_ms` ending
// there: one message over the limit waits for the window, it is never dropped.
// REQUIRES: max >= 1, window_ms > 0.
Timestamp WithinRateLimit(Timestamp at, std::vector<Timestamp> scheduled, int max,
                          std::int64_t window_ms);

}  // namespace sb::app
