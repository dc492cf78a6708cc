#include <gtest/gtest.h>

#include "app/accounts/account_data.h"

namespace sb::app {
namespace {

TEST(AccountDataMasking, EveryPersonalFieldIsMasked) {
  struct Case {
    std::string name, email, phone, want_name, want_email, want_phone;
  };
  const Case cases[] = {
      {"Jane Doe", "jane@example.com", "+44 7700 900123", "J*** D***", "j***@e***.com", "***23"},
      {"Émile  Zola", "e@mail", "12", "É*** Z***", "e***@m***", "***"},
      {"", "", "", "", "", ""},
      {"Cher", "no-at-sign", "0", "C***", "n***", "***"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    domain::Profile p;
    p.name = c.name;
    p.email = c.email;
    p.phone = c.phone;
    p.address = c.name.empty() ? "" : "1 High Street";
    p.payment_method = domain::PaymentMethod{"tok_123", "visa", "4242", 12, 2030};
    p.authorized_users.push_back({"usr_1", "Bob Smith", "bob@example.org", "view"});
    domain::Profile m = MaskProfile(p);
    EXPECT_EQ(m.name, c.want_name);
    EXPECT_EQ(m.email, c.want_email);
    EXPECT_EQ(m.phone, c.want_phone);
    EXPECT_EQ(m.address, c.name.empty() ? "" : "***");
    ASSERT_TRUE(m.payment_method);
    EXPECT_EQ(m.payment_method->token, "");
    EXPECT_EQ(m.payment_method->exp_year, 0);
    EXPECT_EQ(m.payment_method->last4, "4242");
    ASSERT_EQ(m.authorized_users.size(), 1u);
    EXPECT_EQ(m.authorized_users[0].name, "B*** S***");
    EXPECT_EQ(m.authorized_users[0].email, "b***@e***.org");
    EXPECT_EQ(m.authorized_users[0].permission, "view");
  }
}

TEST(AccountDataMasking, OnlyPeopleServingTheCustomerAndTheServerReadInClear) {
  using domain::ActorType;
  using domain::Role;
  EXPECT_TRUE(ReadsPersonalData({ActorType::kApiKey, "k", Role::kAdmin}));
  EXPECT_TRUE(ReadsPersonalData({ActorType::kApiKey, "k", Role::kSupervisor}));
  EXPECT_TRUE(ReadsPersonalData({ActorType::kApiKey, "k", Role::kAgent}));
  EXPECT_TRUE(ReadsPersonalData({ActorType::kSystem, "system", std::nullopt}));
  EXPECT_FALSE(ReadsPersonalData({ActorType::kApiKey, "k", Role::kAuditor}));
  EXPECT_FALSE(ReadsPersonalData({ActorType::kApiKey, "k", Role::kSystem}));
  EXPECT_FALSE(ReadsPersonalData({ActorType::kApiKey, "k", std::nullopt}));
}

}  // namespace
}  // namespace sb::app
