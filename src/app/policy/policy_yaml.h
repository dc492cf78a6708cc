#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/policy.h"

namespace sb::app {

// Reads a policy pack written in YAML (see policies/default.yaml for the format) and
// validates it with domain::Validate. Strict: text over the limits of PackLimits (size,
// nodes, depth, aliases), invalid UTF-8, more than one document, repeated keys (see
// CheckPackShape), unknown keys, wrong types, numbers out of their range and unknown names
// (request types, check kinds, roles, origins, channels, priorities) are refused. Every
// failure is an Invalid status whose param is the field path (e.g.
// "requests.plan_change.sla.high.target_minutes") and whose message starts with the
// 1-based YAML line, e.g. "line 12: ...". Never throws. Thread-safe.
Result<domain::PolicyPack> ParsePolicyPack(std::string_view yaml_text);

// The text of policies/default.yaml as it was when the binary was built. It parses and
// validates (a test keeps it so).
std::string DefaultPolicyPackYaml();

}  // namespace sb::app
