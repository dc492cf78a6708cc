#include "common/tzif.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sb {
namespace {

constexpr int kMaxOffsetSeconds = 26 * 3600;
constexpr std::size_t kMaxTzifBytes = 1 << 20;

Status Malformed(const std::string& why) {
  return Status::Invalid("time_zone", "malformed TZif data: " + why, "malformed_time_zone");
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Big-endian reader over the TZif bytes; every read is bounds-checked.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool Has(std::size_t n) const { return bytes_.size() - pos_ >= n; }
  std::int64_t ReadInt(int width) {
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes_[pos_++]);
    if (width == 4) return static_cast<std::int32_t>(v);
    return static_cast<std::int64_t>(v);
  }
  std::uint8_t ReadByte() { return static_cast<unsigned char>(bytes_[pos_++]); }
  void Skip(std::size_t n) { pos_ += n; }
  std::string_view Rest() const { return bytes_.substr(pos_); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  std::int64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
  std::size_t DataSize(int time_width) const {
    return timecnt * time_width + timecnt + typecnt * 6 + charcnt + leapcnt * (time_width + 4) +
           isstdcnt + isutcnt;
  }
};

std::optional<Header> ReadHeader(Reader& r) {
  if (!r.Has(44) || r.Rest().substr(0, 4) != "TZif") return std::nullopt;
  r.Skip(4);
  Header h;
  h.version = static_cast<char>(r.ReadByte());
  if (h.version != 0 && (h.version < '2' || h.version > '4')) return std::nullopt;
  r.Skip(15);
  std::int64_t* counts[] = {&h.isutcnt, &h.isstdcnt, &h.leapcnt,
                            &h.timecnt, &h.typecnt,  &h.charcnt};
  for (auto* c : counts) *c = static_cast<std::uint32_t>(r.ReadInt(4));
  if (h.typecnt == 0 || h.charcnt == 0) return std::nullopt;
  if ((h.isutcnt != 0 && h.isutcnt != h.typecnt) || (h.isstdcnt != 0 && h.isstdcnt != h.typecnt))
    return std::nullopt;
  if (h.timecnt > 100000 || h.typecnt > 256 || h.leapcnt > 100000 || h.charcnt > 100000)
    return std::nullopt;
  if (!r.Has(h.DataSize(h.version == 0 ? 4 : 8))) return std::nullopt;
  return h;
}

// --- POSIX TZ strings --------------------------------------------------------------

class PosixReader {
 public:
  explicit PosixReader(std::string_view s) : s_(s) {}
  bool AtEnd() const { return pos_ == s_.size(); }
  bool Consume(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool Name() {
    std::size_t start = pos_;
    if (Consume('<')) {
      while (pos_ < s_.size() && s_[pos_] != '>') ++pos_;
      return Consume('>') && pos_ - start >= 5;
    }
    while (pos_ < s_.size() && std::isalpha(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    return pos_ - start >= 3;
  }
  std::optional<int> Number(int max) {
    std::size_t start = pos_;
    int v = 0;
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_])) && v <= max) {
      v = v * 10 + (s_[pos_++] - '0');
    }
    if (pos_ == start || v > max) return std::nullopt;
    return v;
  }
  // [+-]hh[:mm[:ss]] as seconds, with hours up to `max_hours`.
  std::optional<int> Time(int max_hours) {
    int sign = Consume('-') ? -1 : (Consume('+'), 1);
    auto h = Number(max_hours);
    if (!h) return std::nullopt;
    int total = *h * 3600;
    for (int unit : {60, 1}) {
      if (!Consume(':')) break;
      auto part = Number(59);
      if (!part) return std::nullopt;
      total += *part * unit;
    }
    return sign * total;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

std::optional<PosixTzRule::Date> ParseRuleDate(PosixReader& r) {
  using Kind = PosixTzRule::Date::Kind;
  PosixTzRule::Date d;
  if (r.Consume('M')) {
    int* fields[] = {&d.month, &d.week, &d.weekday};
    const int maxima[] = {12, 5, 6};
    for (int i = 0; i < 3; ++i) {
      std::optional<int> v = (i == 0 || r.Consume('.')) ? r.Number(maxima[i]) : std::nullopt;
      if (!v) return std::nullopt;
      *fields[i] = *v;
    }
    if (d.month < 1 || d.week < 1) return std::nullopt;
  } else {
    d.kind = r.Consume('J') ? Kind::kJulian1 : Kind::kJulian0;
    auto n = r.Number(365);
    if (!n || (d.kind == Kind::kJulian1 && *n < 1)) return std::nullopt;
    d.day = *n;
  }
  if (r.Consume('/')) {
    auto t = r.Time(167);
    if (!t) return std::nullopt;
    d.time_seconds = *t;
  }
  return d;
}

// Local seconds since the epoch at which `d` happens in `year`.
std::int64_t RuleLocalSeconds(const PosixTzRule::Date& d, int year) {
  using Kind = PosixTzRule::Date::Kind;
  std::int64_t day;
  if (d.kind == Kind::kMonthWeekDay) {
    std::int64_t first = DaysFromCivil({year, d.month, 1});
    int first_weekday = static_cast<int>(first + 4 - 7 * FloorDiv(first + 4, 7));  // 0 = Sunday
    int dom = 1 + (d.weekday - first_weekday + 7) % 7 + (d.week - 1) * 7;
    while (dom > DaysInMonth(year, d.month)) dom -= 7;
    day = first + dom - 1;
  } else {
    day = DaysFromCivil({year, 1, 1}) + (d.kind == Kind::kJulian1 ? d.day - 1 : d.day);
    if (d.kind == Kind::kJulian1 && IsLeap(year) && d.day >= 60) ++day;
  }
  return day * 86400 + d.time_seconds;
}

}  // namespace

std::optional<PosixTzRule> ParsePosixTz(std::string_view text) {
  PosixReader r(text);
  PosixTzRule rule;
  auto std_off = r.Name() ? r.Time(24) : std::nullopt;
  if (!std_off) return std::nullopt;
  rule.std_offset = -*std_off;
  if (r.AtEnd()) return rule;
  if (!r.Name()) return std::nullopt;
  rule.dst_offset = rule.std_offset + 3600;
  if (r.Peek() != ',') {
    auto dst_off = r.Time(24);
    if (!dst_off) return std::nullopt;
    rule.dst_offset = -*dst_off;
  }
  if (!r.Consume(',')) return std::nullopt;
  auto start = ParseRuleDate(r);
  auto end = r.Consume(',') && start ? ParseRuleDate(r) : std::nullopt;
  if (!end || !r.AtEnd()) return std::nullopt;
  rule.dst_start = *start;
  rule.dst_end = *end;
  return rule;
}

namespace {

// The POSIX TZ string between the newlines ending a v2+ file; empty means none.
Status ReadFooter(std::string_view rest, std::optional<PosixTzRule>& footer) {
  if (rest.size() < 2 || rest.front() != '\n') return Malformed("missing footer");
  std::size_t end = rest.find('\n', 1);
  if (end == std::string_view::npos) return Malformed("unterminated footer");
  if (end == 1) return Status::Ok();
  footer = ParsePosixTz(rest.substr(1, end - 1));
  return footer ? Status::Ok() : Malformed("bad footer TZ string");
}

}  // namespace

std::int64_t DaysFromCivil(const CivilDate& date) {
  // Howard Hinnant's days_from_civil.
  std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  std::int64_t era = FloorDiv(y, 400);
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (date.month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(std::int64_t days) {
  days += 719468;
  std::int64_t era = FloorDiv(days, 146097);
  std::int64_t doe = days - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

std::optional<CivilDate> ParseCivilDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  std::size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (std::size_t i = starts[f]; i < starts[f] + lens[f]; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
      fields[f] = fields[f] * 10 + (text[i] - '0');
    }
  }
  CivilDate d{fields[0], fields[1], fields[2]};
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month))
    return std::nullopt;
  return d;
}

std::int64_t LocalDayNumber(Timestamp local_ms) { return FloorDiv(local_ms, kMillisPerDay); }
CivilDate LocalDate(Timestamp local_ms) { return CivilFromDays(LocalDayNumber(local_ms)); }
int LocalWeekday(Timestamp local_ms) {
  return static_cast<int>((LocalDayNumber(local_ms) % 7 + 7 + 3) % 7);  // 1970-01-01: Thu
}
int LocalMinuteOfDay(Timestamp local_ms) {
  return static_cast<int>((local_ms - LocalDayNumber(local_ms) * kMillisPerDay) / 60000);
}

Result<TimeZone> TimeZone::Load(std::string_view iana_name, const std::string& zoneinfo_dir) {
  bool bad_char = std::any_of(iana_name.begin(), iana_name.end(), [](char c) {
    return !(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '-' ||
             c == '/');
  });
  if (iana_name.empty() || iana_name.size() > 255 || iana_name.front() == '/' ||
      iana_name.find("..") != std::string_view::npos || bad_char) {
    return Status::Invalid("time_zone", "not a valid time zone name");
  }
  std::filesystem::path path = std::filesystem::path(zoneinfo_dir) / std::string(iana_name);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound("time zone " + std::string(iana_name), "time_zone");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in) return Status::NotFound("time zone " + std::string(iana_name), "time_zone");
  std::string bytes = buf.str();
  if (bytes.size() > kMaxTzifBytes) return Malformed("file too large");
  return Parse(bytes);
}

Result<TimeZone> TimeZone::Parse(std::string_view tzif_bytes) {
  Reader r(tzif_bytes);
  auto h = ReadHeader(r);
  if (!h) return Malformed("bad header");
  int width = 4;
  if (h->version != 0) {  // skip the 32-bit block; the 64-bit one follows its own header
    r.Skip(h->DataSize(4));
    h = ReadHeader(r);
    if (!h) return Malformed("bad second header");
    width = 8;
  }
  TimeZone tz;
  std::vector<std::uint8_t> indices(h->timecnt);
  tz.transitions_.resize(h->timecnt);
  for (auto& t : tz.transitions_) t = r.ReadInt(width);
  for (auto& i : indices) i = r.ReadByte();
  std::vector<int> type_offsets(h->typecnt);
  for (auto& off : type_offsets) {
    std::int64_t v = r.ReadInt(4);
    r.Skip(2);  // isdst, designation index
    if (v < -kMaxOffsetSeconds || v > kMaxOffsetSeconds) return Malformed("offset out of range");
    off = static_cast<int>(v);
  }
  r.Skip(h->charcnt + h->leapcnt * (width + 4) + h->isstdcnt + h->isutcnt);
  for (std::size_t i = 0; i < indices.size(); ++i) {
    if (indices[i] >= type_offsets.size()) return Malformed("bad type index");
    if (i > 0 && tz.transitions_[i] <= tz.transitions_[i - 1]) return Malformed("unsorted");
    tz.offsets_.push_back(type_offsets[indices[i]]);
  }
  tz.initial_offset_ = type_offsets[0];
  if (width == 8) SB_RETURN_IF_ERROR(ReadFooter(r.Rest(), tz.footer_));
  return tz;
}

TimeZone TimeZone::Utc() { return TimeZone(); }

int TimeZone::UtcOffsetSeconds(Timestamp utc_ms) const {
  std::int64_t s = FloorDiv(utc_ms, kMillisPerSecond);
  if (transitions_.empty() || s >= transitions_.back()) {
    if (footer_) return OffsetFromFooter(s);
    return offsets_.empty() ? initial_offset_ : offsets_.back();
  }
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  if (it == transitions_.begin()) return initial_offset_;
  return offsets_[it - transitions_.begin() - 1];
}

int TimeZone::OffsetFromFooter(std::int64_t utc_seconds) const {
  const PosixTzRule& rule = *footer_;
  if (!rule.dst_offset) return rule.std_offset;
  int year = CivilFromDays(FloorDiv(utc_seconds + rule.std_offset, 86400)).year;
  // The start is given in standard local time, the end in daylight local time.
  std::int64_t start = RuleLocalSeconds(rule.dst_start, year) - rule.std_offset;
  std::int64_t end = RuleLocalSeconds(rule.dst_end, year) - *rule.dst_offset;
  bool dst = start < end ? (utc_seconds >= start && utc_seconds < end)
                         : !(utc_seconds >= end && utc_seconds < start);  // southern hemisphere
  return dst ? *rule.dst_offset : rule.std_offset;
}

Timestamp TimeZone::LocalToUtc(Timestamp local_ms) const {
  int before = UtcOffsetSeconds(local_ms - kMillisPerDay);
  int after = UtcOffsetSeconds(local_ms + kMillisPerDay);
  std::optional<Timestamp> best;
  for (int off : {before, after}) {
    Timestamp utc = local_ms - 1000LL * off;
    if (UtcOffsetSeconds(utc) == off && (!best || utc < *best)) best = utc;
  }
  return best ? *best : local_ms - 1000LL * before;
}

Timestamp TimeZone::LocalToUtc(const CivilDate& date, int minute_of_day, int second) const {
  return LocalToUtc(DaysFromCivil(date) * kMillisPerDay + minute_of_day * 60000LL +
                    second * kMillisPerSecond);
}

}  // namespace sb
