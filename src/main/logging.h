#pragma once

// Process logging: one JSON object a line on stderr, {"ts","level","logger","msg"}. Log
// messages must never carry personal data, secrets or tokens.

#include <string>

#include "common/status.h"

namespace sb::main {

// Installs the JSON stderr logger as spdlog's default at `level` (trace, debug, info, warn,
// error, off). kInvalidArgument for an unknown level. Call once, before starting threads.
Status SetUpLogging(const std::string& level);

// `text` as the inside of a JSON string literal (quotes, backslashes, control characters
// escaped).
std::string JsonEscape(const std::string& text);

}  // namespace sb::main
