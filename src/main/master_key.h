#pragma once

// The master key that wraps every data key and server key.

#include <string>

#include "common/status.h"

namespace sb::main {

constexpr std::size_t kMasterKeySize = 32;

// The 32-byte master key: from `env_hex` (the value of SWITCHBOARD_MASTER_KEY, 64 hex
// digits) when non-empty; else read from `path`; else created there (32 random bytes, mode
// 0600, never overwritten). kInvalidArgument for a malformed key or file; kUnavailable when
// the file cannot be read or written. With `production` (config `mode: production`), an
// existing file that its group or others may read or write is refused as kInvalidArgument (param
// master_key_file) naming the file and its mode: whoever can read it can open every account's
// personal data (docs/SECURITY.md, "The master key").
Result<std::string> LoadOrCreateMasterKey(const std::string& path, const std::string& env_hex,
                                          bool production = false);

}  // namespace sb::main
