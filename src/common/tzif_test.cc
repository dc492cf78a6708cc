#include "common/tzif.h"

#include <gtest/gtest.h>

#include <string>

namespace sb {
namespace {

Timestamp At(const char* rfc3339) {
  auto ts = ParseRfc3339(rfc3339);
  EXPECT_TRUE(ts.has_value()) << rfc3339;
  return ts.value_or(0);
}

TimeZone LoadOrDie(const char* name) {
  auto tz = TimeZone::Load(name);
  EXPECT_TRUE(tz.ok()) << name << ": " << tz.status().ToString();
  return tz.ok() ? *tz : TimeZone::Utc();
}

std::string BigEndian32(std::uint32_t v) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
  return out;
}

// A TZif v2 file with no transitions, one time type of `offset` seconds and `footer`.
std::string MinimalTzif(int offset, const std::string& footer) {
  auto header = [](char version) {
    std::string h = "TZif";
    h.push_back(version);
    h.append(15, '\0');
    for (std::uint32_t count : {0u, 0u, 0u, 0u, 1u, 4u}) h += BigEndian32(count);
    return h;
  };
  std::string block = BigEndian32(static_cast<std::uint32_t>(offset)) + std::string("\0\0", 2) +
                      std::string("ZZZ\0", 4);
  return header('2') + block + header('2') + block + "\n" + footer + "\n";
}

struct OffsetCase {
  const char* zone;
  const char* utc;
  int offset_minutes;
};

TEST(TimeZone, OffsetsMatchTheZoneRules) {
  const OffsetCase cases[] = {
      {"Europe/Paris", "2026-03-29T00:59:59Z", 60},   // just before spring forward
      {"Europe/Paris", "2026-03-29T01:00:00Z", 120},  // 02:00 CET became 03:00 CEST
      {"Europe/Paris", "2026-10-25T00:59:59Z", 120},  // just before fall back
      {"Europe/Paris", "2026-10-25T01:00:00Z", 60},
      {"Europe/Paris", "2026-07-14T12:00:00Z", 120},
      {"Europe/Paris", "2100-01-15T12:00:00Z", 60},  // far past the last transition: footer
      {"Europe/Paris", "2100-07-15T12:00:00Z", 120},
      {"America/New_York", "2026-03-08T06:59:59Z", -300},
      {"America/New_York", "2026-03-08T07:00:00Z", -240},
      {"America/New_York", "2026-11-01T05:59:59Z", -240},
      {"America/New_York", "2026-11-01T06:00:00Z", -300},
      {"America/New_York", "2100-07-04T12:00:00Z", -240},
      {"Asia/Kolkata", "2026-03-29T12:00:00Z", 330},
      {"Asia/Kolkata", "2100-01-01T00:00:00Z", 330},
      {"UTC", "2026-03-29T01:00:00Z", 0},
      {"Etc/GMT+5", "2026-03-29T01:00:00Z", -300},
  };
  for (const auto& c : cases) {
    TimeZone tz = LoadOrDie(c.zone);
    EXPECT_EQ(tz.UtcOffsetSeconds(At(c.utc)), c.offset_minutes * 60) << c.zone << " " << c.utc;
  }
}

TEST(TimeZone, LocalToUtcKeepsWallClockAcrossDaylightSaving) {
  TimeZone paris = LoadOrDie("Europe/Paris");
  EXPECT_EQ(paris.LocalToUtc({2026, 3, 27}, 9 * 60), At("2026-03-27T08:00:00Z"));
  EXPECT_EQ(paris.LocalToUtc({2026, 3, 30}, 9 * 60), At("2026-03-30T07:00:00Z"));
  // 02:30 does not exist on 29 March: read with the winter offset, it is 03:30 CEST.
  EXPECT_EQ(paris.LocalToUtc({2026, 3, 29}, 2 * 60 + 30), At("2026-03-29T01:30:00Z"));
  // 02:30 happens twice on 25 October: the earlier instant wins.
  EXPECT_EQ(paris.LocalToUtc({2026, 10, 25}, 2 * 60 + 30), At("2026-10-25T00:30:00Z"));
  EXPECT_EQ(paris.LocalToUtc({2026, 10, 25}, 24 * 60), At("2026-10-25T23:00:00Z"));
}

TEST(TimeZone, CivilHelpersReadLocalTime) {
  TimeZone ny = LoadOrDie("America/New_York");
  Timestamp local = ny.ToLocal(At("2026-11-11T03:30:00Z"));  // 22:30 on Tuesday 10th
  EXPECT_EQ(LocalDate(local), (CivilDate{2026, 11, 10}));
  EXPECT_EQ(LocalWeekday(local), 1);
  EXPECT_EQ(LocalMinuteOfDay(local), 22 * 60 + 30);
  EXPECT_EQ(LocalWeekday(DaysFromCivil({1969, 12, 29}) * kMillisPerDay), 0);  // a Monday
  EXPECT_EQ(CivilFromDays(DaysFromCivil({2024, 2, 29})), (CivilDate{2024, 2, 29}));
}

TEST(TimeZone, FooterRulesOfEveryCommonForm) {
  struct Case {
    const char* footer;
    const char* utc;
    int offset_minutes;
  };
  const Case cases[] = {
      {"CET-1CEST,M3.5.0,M10.5.0/3", "2031-03-30T00:59:59Z", 60},
      {"CET-1CEST,M3.5.0,M10.5.0/3", "2031-03-30T01:00:00Z", 120},
      {"EST5EDT,M3.2.0,M11.1.0", "2031-03-09T06:59:59Z", -300},
      {"EST5EDT,M3.2.0,M11.1.0", "2031-03-09T07:00:00Z", -240},
      {"<+0530>-5:30", "2031-06-01T00:00:00Z", 330},
      {"UTC0", "2031-06-01T00:00:00Z", 0},
      {"<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", "2031-07-01T00:00:00Z", -120},
      {"AEST-10AEDT,M10.1.0,M4.1.0/3", "2031-01-15T00:00:00Z", 660},  // southern summer
      {"AEST-10AEDT,M10.1.0,M4.1.0/3", "2031-07-15T00:00:00Z", 600},
      {"XXX0YYY,J60/0,J300/0", "2031-06-01T00:00:00Z", 60},
  };
  for (const auto& c : cases) {
    auto tz = TimeZone::Parse(MinimalTzif(0, c.footer));
    ASSERT_TRUE(tz.ok()) << c.footer << ": " << tz.status().ToString();
    EXPECT_EQ(tz->UtcOffsetSeconds(At(c.utc)), c.offset_minutes * 60) << c.footer << " " << c.utc;
  }
}

TEST(TimeZone, MalformedBytesAreRefused) {
  std::string good = MinimalTzif(3600, "CET-1");
  ASSERT_TRUE(TimeZone::Parse(good).ok());
  const std::string cases[] = {
      "",
      "TZif",
      "not a tzif file at all, but long enough to hold a header of 44 bytes",
      good.substr(0, 50),
      good.substr(0, good.size() - 1),            // footer not terminated
      MinimalTzif(3600, "CET-1CEST"),             // DST without a rule
      MinimalTzif(3600, "CET-1CEST,M13.5.0,M1"),  // month 13
      MinimalTzif(3600, "C-1"),                   // name too short
      MinimalTzif(100 * 3600, ""),                // offset out of range
      "TZif9" + good.substr(5),                   // unknown version
  };
  for (const auto& bytes : cases) {
    auto tz = TimeZone::Parse(bytes);
    ASSERT_FALSE(tz.ok()) << bytes.size();
    EXPECT_EQ(tz.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(tz.status().param(), "time_zone");
  }
}

TEST(TimeZone, LoadRefusesUnsafeNamesAndReportsMissingZones) {
  for (const char* name : {"", "../etc/passwd", "/etc/localtime", "Europe/../UTC", "Europe/Pa ris",
                           "Europe\\Paris", "Europe/Paris.bak"}) {
    auto tz = TimeZone::Load(name);
    ASSERT_FALSE(tz.ok()) << name;
    EXPECT_EQ(tz.status().code(), Code::kInvalidArgument) << name;
    EXPECT_EQ(tz.status().param(), "time_zone");
  }
  for (const char* name : {"Mars/Olympus_Mons", "Europe"}) {
    auto tz = TimeZone::Load(name);
    ASSERT_FALSE(tz.ok()) << name;
    EXPECT_EQ(tz.status().code(), Code::kNotFound) << name;
  }
}

}  // namespace
}  // namespace sb
