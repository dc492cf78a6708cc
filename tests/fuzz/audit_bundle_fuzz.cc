// libFuzzer target: an evidence bundle as `switchboard audit verify-bundle` reads it
// (AuditLog::VerifyBundle, app/audit/audit_log_bundle.cc and app/audit/audit_check.h): any
// file must give a report ("malformed", a failed check, or ok), never a crash, a leak or
// undefined behaviour. The bundle comes from outside the server, so nothing in it is
// trusted: sizes, indexes, base64 and signatures are all the fuzzer's.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/audit/audit_log.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bundle(reinterpret_cast<const char*>(data), size);
  (void)sb::app::AuditLog::VerifyBundle(bundle);
  return 0;
}
