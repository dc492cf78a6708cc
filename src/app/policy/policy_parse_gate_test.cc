#include "app/policy/policy_parse_gate.h"

#include <gtest/gtest.h>

namespace sb::app {
namespace {

// Past its slots the gate answers at once with a retryable refusal, and a slot comes back
// when its parse ends, however the parse ended.
TEST(PolicyParseGate, RefusesPastItsSlotsWithoutWaiting) {
  PolicyParseGate gate(2);
  Status inner_most;
  Status outer = gate.Run(10, [&] {
    return gate.Run(10, [&] {
      inner_most = gate.Run(10, [] { return Status::Ok(); });
      return Status::Invalid("x", "a parse that failed");
    });
  });
  EXPECT_EQ(inner_most.code(), Code::kRateLimited);
  EXPECT_EQ(inner_most.reason(), "policy_parse_busy");
  EXPECT_EQ(outer.code(), Code::kInvalidArgument);
  EXPECT_TRUE(gate.Run(PolicyParseGate::kTrimAboveBytes, [] { return Status::Ok(); }).ok());
  Result<int> value = gate.Run(10, []() -> Result<int> { return 7; });
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 7);
}

}  // namespace
}  // namespace sb::app
