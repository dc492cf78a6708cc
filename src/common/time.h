#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb {

// Milliseconds since the Unix epoch, UTC. Every timestamp in Switchboard is one of these.
using Timestamp = std::int64_t;

constexpr Timestamp kMillisPerSecond = 1000;
constexpr Timestamp kMillisPerMinute = 60 * kMillisPerSecond;
constexpr Timestamp kMillisPerHour = 60 * kMillisPerMinute;
constexpr Timestamp kMillisPerDay = 24 * kMillisPerHour;

// "2026-11-23T16:03:40.123Z". Always UTC, always millisecond precision.
std::string FormatRfc3339(Timestamp ts);

// Parses RFC 3339 with a `Z` or `+hh:mm`/`-hh:mm` offset and optional fraction.
// Returns nullopt for anything else (including out-of-range fields).
std::optional<Timestamp> ParseRfc3339(std::string_view text);

// The source of "now". Passed to everything that needs time; never read the system
// clock directly. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// Wall-clock time.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// Wall-clock time shifted by an adjustable offset; used behind `--test-clock` so tests can
// move time forward (or set it) from outside while it keeps flowing. Thread-safe.
class AdjustableClock final : public Clock {
 public:
  Timestamp Now() const override;
  // Moves the clock so that Now() returns `ts` at this instant.
  void Set(Timestamp ts);
  // Moves the clock forward (or back, for negative values) by `millis`.
  void Advance(Timestamp millis);

 private:
  SystemClock system_;
  std::atomic<Timestamp> offset_{0};
};

// Fixed time that moves only when told; for unit tests. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start) {}
  Timestamp Now() const override { return now_.load(); }
  void Set(Timestamp ts) { now_.store(ts); }
  void Advance(Timestamp millis) { now_.fetch_add(millis); }

 private:
  std::atomic<Timestamp> now_;
};

}  // namespace sb
