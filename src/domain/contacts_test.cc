#include "domain/contacts.h"

#include <gtest/gtest.h>

namespace sb::domain {
namespace {

struct ContactCase {
  std::string_view value;
  bool ok;
};

TEST(Contacts, EmailAddressesArePracticalNotExotic) {
  const std::string longest_local = std::string(64, 'a') + "@example.com";
  const std::string long_local = std::string(65, 'a') + "@example.com";
  const std::string long_domain = "a@" + std::string(248, 'b') + ".com";  // 254 bytes
  const std::string too_long = "a@" + std::string(249, 'b') + ".com";     // 255 bytes
  const ContactCase cases[] = {
      {"ada@example.com", true},
      {"first.last+tag@mail.example.co.uk", true},
      {"o'neil@example.ie", true},
      {longest_local, true},
      {long_domain, true},
      {"", false},
      {"ada", false},
      {"@example.com", false},
      {"ada@", false},
      {"ada@example", false},       // no dot in the domain
      {"ada@.example.com", false},  // empty label
      {"ada@example..com", false},
      {"ada@example.com.", false},
      {"ada@b@example.com", false},  // two @
      {"ada lovelace@example.com", false},
      {"ada@exa mple.com", false},
      {"ada\t@example.com", false},
      {"ada\n@example.com", false},
      {"ada@example.com\r\nBcc: x@y.z", false},
      {"<ada@example.com>", false},
      {"ada,bob@example.com", false},
      {"adé@example.com", false},  // ASCII only
      {long_local, false},
      {too_long, false},
  };
  for (const ContactCase& c : cases) {
    EXPECT_EQ(IsEmailAddress(c.value), c.ok) << c.value;
    Status s = CheckEmail(c.value, "email");
    EXPECT_EQ(s.ok(), c.ok) << c.value;
    if (!s.ok()) {
      EXPECT_EQ(s.code(), Code::kUnprocessable);
      EXPECT_EQ(s.reason(), "invalid_email");
      EXPECT_EQ(s.param(), "email");
      if (!c.value.empty()) {
        EXPECT_EQ(s.message().find(c.value), std::string::npos);
      }
    }
  }
}

TEST(Contacts, PhonesAreE164) {
  const ContactCase cases[] = {
      {"+33612345678", true},
      {"+12025550123", true},
      {"+35312345", true},         // 8 digits, the shortest
      {"+123456789012345", true},  // 15 digits, the longest
      {"", false},
      {"33612345678", false},        // no +
      {"+3361234", false},           // 7 digits
      {"+1234567890123456", false},  // 16 digits
      {"+33 6 12 34 56 78", false},
      {"+33-612-345-678", false},
      {"+(33)612345678", false},
      {"+03612345678", false},  // no country code starts with 0
      {"++33612345678", false},
      {"+3361234567a", false},
      {"+33612345678\n", false},
  };
  for (const ContactCase& c : cases) {
    EXPECT_EQ(IsE164Phone(c.value), c.ok) << c.value;
    Status s = CheckPhone(c.value, "new_owner.phone");
    EXPECT_EQ(s.ok(), c.ok) << c.value;
    if (!s.ok()) {
      EXPECT_EQ(s.code(), Code::kUnprocessable);
      EXPECT_EQ(s.reason(), "invalid_phone");
      EXPECT_EQ(s.param(), "new_owner.phone");
    }
  }
}

TEST(Contacts, LocalesAndChannelsAreThePacksLists) {
  const ContactCase locales[] = {{"en", true},  {"fr", true},     {"", false},     {"de", false},
                                 {"EN", false}, {"fr-FR", false}, {"fr_CA", false}};
  for (const ContactCase& c : locales) {
    EXPECT_EQ(IsNotificationLocale(c.value), c.ok) << c.value;
    Status s = CheckLocale(c.value, "notification_preferences.locale");
    EXPECT_EQ(s.ok(), c.ok) << c.value;
    if (!s.ok()) {
      EXPECT_EQ(s.reason(), "unsupported_locale");
      EXPECT_EQ(s.param(), "notification_preferences.locale");
    }
  }
  const ContactCase channels[] = {{"email", true},    {"sms", true},  {"push", false},
                                  {"webhook", false}, {"SMS", false}, {"", false}};
  for (const ContactCase& c : channels) {
    EXPECT_EQ(IsNotificationChannel(c.value), c.ok) << c.value;
    Status s = CheckChannel(c.value, "notification_preferences.opt_out[0]");
    EXPECT_EQ(s.ok(), c.ok) << c.value;
    if (!s.ok()) {
      EXPECT_EQ(s.reason(), "unknown_channel");
      EXPECT_EQ(s.param(), "notification_preferences.opt_out[0]");
    }
  }
}

}  // namespace
}  // namespace sb::domain
