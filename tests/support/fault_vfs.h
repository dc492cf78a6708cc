#pragma once

// A SQLite VFS shim for storage-fault tests: it wraps the default VFS and, once armed, makes
// one chosen xWrite or xSync fail the way a full or failing disk does, passing every other
// call through. Installed as the process's default VFS, so a store opens its database
// through it without knowing (storage code has no test hooks).

#include <cstdint>

namespace sb::testing {

enum class FaultOn { kWrite, kSync };

class FaultVfs {
 public:
  // Registers the shim as the default VFS. Idempotent; thread-safe. REQUIRES: called before
  // the databases under test are opened.
  static void Install();
  // From now on, counts xWrite (or xSync) calls on every file and makes call number `n`
  // (1 = the next one) return `rc` (SQLITE_IOERR_WRITE, SQLITE_FULL, SQLITE_IOERR_FSYNC...).
  // Only that one call fails: the disk "comes back" at once.
  static void Arm(FaultOn on, std::int64_t n, int rc);
  // Stops counting and failing.
  static void Disarm();
  // Whether the armed fault has been returned to SQLite since the last Arm.
  static bool Fired();
  // Calls of each kind counted since the last Arm.
  static std::int64_t Calls(FaultOn on);
};

}  // namespace sb::testing
