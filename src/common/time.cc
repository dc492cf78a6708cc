#include "common/time.h"

#include <chrono>
#include <cstdio>

namespace sb {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string FormatRfc3339(Timestamp ts) {
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds{ts}};
  auto day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss hms{tp - day};
  int year = int(ymd.year());
  if (year < 0 || year > 9999) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
                  unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                  int(hms.minutes().count()), int(hms.seconds().count()),
                  int(hms.subseconds().count()));
    return buf;
  }
  // The common case digit by digit: every answer and audit entry formats several times.
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](size_t at, int width, int v) {
    for (size_t i = at + width; i > at; v /= 10) out[--i] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, year);
  put(5, 2, int(unsigned(ymd.month())));
  put(8, 2, int(unsigned(ymd.day())));
  put(11, 2, int(hms.hours().count()));
  put(14, 2, int(hms.minutes().count()));
  put(17, 2, int(hms.seconds().count()));
  put(20, 3, int(hms.subseconds().count()));
  return out;
}

std::optional<Timestamp> ParseRfc3339(std::string_view s) {
  using namespace std::chrono;
  int y, mo, d, h, mi, sec;
  if (!Digits(s, 0, 4, &y) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
      !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' ||
      !Digits(s, 17, 2, &sec)) {
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok()) return std::nullopt;
  size_t pos = 19;
  Timestamp millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      millis += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start || pos - start > 9) return std::nullopt;
  }
  Timestamp offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (oh * 60 + om) * 60 * kMillisPerSecond * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  Timestamp days_since = sys_days{ymd}.time_since_epoch().count();
  return days_since * kMillisPerDay + (h * 3600 + mi * 60 + sec) * kMillisPerSecond + millis -
         offset;
}

Timestamp SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Timestamp AdjustableClock::Now() const { return system_.Now() + offset_.load(); }

void AdjustableClock::Set(Timestamp ts) { offset_.store(ts - system_.Now()); }

void AdjustableClock::Advance(Timestamp millis) { offset_.fetch_add(millis); }

}  // namespace sb
