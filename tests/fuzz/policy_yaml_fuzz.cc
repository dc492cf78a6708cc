// libFuzzer target: a policy pack as PUT /v1/policy-packs receives it. ParsePolicyPack
// (app/policy/policy_yaml.h) first bounds the text's shape (app/policy/policy_yaml_bounds.h:
// size, nodes, depth, aliases, repeated keys) and then reads and validates the pack; any
// input must give a pack or an Invalid status, never a crash, a leak, undefined behaviour
// or memory out of proportion to the text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/policy/policy_yaml.h"
#include "app/policy/policy_yaml_bounds.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)sb::app::FirstInvalidUtf8(text);
  (void)sb::app::ParsePolicyPack(text);
  return 0;
}
