// The request-type registry against what reads it: the enum's names, the effect bindings,
// and the policy pack reader. A type added in one place and forgotten in another fails here.
#include "app/requests/effects/effects.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "app/policy/policy_yaml.h"
#include "domain/policy.h"
#include "domain/request_types.h"

namespace sb::app {
namespace {

using domain::RequestType;
using domain::RequestTypeInfo;

TEST(RequestTypeRegistry, EveryEnumValueHasOneRowAndItsWireName) {
  std::set<std::string_view> names;
  std::size_t i = 0;
  for (const RequestTypeInfo& row : domain::RequestTypes()) {
    auto type = static_cast<RequestType>(i++);
    EXPECT_EQ(row.type, type) << row.name;
    EXPECT_EQ(&domain::InfoOf(type), &row);
    EXPECT_EQ(domain::Name(type), row.name);
    EXPECT_EQ(domain::Parse<RequestType>(row.name), type) << row.name;
    EXPECT_TRUE(names.insert(row.name).second) << "name used twice: " << row.name;
  }
  EXPECT_EQ(domain::RequestTypes().size(), 15u);
  EXPECT_EQ(domain::Name(static_cast<RequestType>(i)), "unknown");
  EXPECT_FALSE(domain::Parse<RequestType>("teleportation").has_value());
}

TEST(RequestTypeRegistry, EveryRowHasAnEffect) {
  for (const RequestTypeInfo& row : domain::RequestTypes()) {
    const EffectBinding* b = FindEffect(row.type);
    ASSERT_NE(b, nullptr) << row.name << " has no effect binding";
    EXPECT_EQ(b->type, row.type);
    EXPECT_NE(b->prepare, nullptr) << row.name;
    EXPECT_NE(b->apply, nullptr) << row.name;
  }
}

TEST(RequestTypeRegistry, ThePackHasAnEntryForEveryRowAndNoOther) {
  auto pack = ParsePolicyPack(DefaultPolicyPackYaml());
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  EXPECT_EQ(pack->requests.size(), domain::RequestTypes().size());
  for (const RequestTypeInfo& row : domain::RequestTypes()) {
    EXPECT_TRUE(pack->requests.count(row.type)) << row.name << " missing from the default pack";
    domain::PolicyPack without = *pack;
    without.requests.erase(row.type);
    Status s = domain::Validate(without);
    EXPECT_EQ(s.param(), "requests." + std::string(row.name)) << s.ToString();
  }
}

TEST(RequestTypeRegistry, OnlyRowsThatAllowItMayRequireProvisioning) {
  auto pack = ParsePolicyPack(DefaultPolicyPackYaml());
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  int allowed = 0;
  for (const RequestTypeInfo& row : domain::RequestTypes()) {
    domain::PolicyPack edited = *pack;
    edited.requests.at(row.type).provisioning.required = true;
    Status s = domain::Validate(edited);
    if (row.provisioning_allowed) {
      ++allowed;
      EXPECT_TRUE(s.ok()) << row.name << ": " << s.ToString();
    } else {
      EXPECT_EQ(s.param(), "requests." + std::string(row.name) + ".provisioning.required")
          << s.ToString();
    }
  }
  EXPECT_EQ(allowed, 3);  // reconnection, reactivation, activation
}

}  // namespace
}  // namespace sb::app
