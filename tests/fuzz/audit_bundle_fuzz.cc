// libFuzzer target: an evidence bundle as `switchboard audit verify --bundle` reads it
// (AuditLog::VerifyBundle and AuditLog::VerifyBundleFile, app/audit/audit_log_bundle.cc,
// app/audit/audit_bundle_stream.h and app/audit/audit_check.h): any file must give a report
// ("malformed", a failed check, or ok), never a crash, a leak or undefined behaviour. The
// bundle comes from outside the server, so nothing in it is trusted: sizes, indexes, base64
// and signatures are all the fuzzer's. The file read as a stream must give the very report
// the whole read gives: a difference stops the run.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "app/audit/audit_log.h"

namespace {

// The file each input is written to, removed when the run ends.
struct InputFile {
  std::string path = "/tmp/sb_audit_bundle_fuzz_" + std::to_string(getpid());
  ~InputFile() { unlink(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const InputFile input;
  const std::string& path = input.path;
  std::string bundle(reinterpret_cast<const char*>(data), size);
  const sb::app::VerifyReport whole = sb::app::AuditLog::VerifyBundle(bundle);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bundle;
  const sb::app::VerifyReport file = sb::app::AuditLog::VerifyBundleFile(path);
  if (file.ok != whole.ok || file.kind != whole.kind || file.leaf_index != whole.leaf_index ||
      file.detail != whole.detail || file.entries_checked != whole.entries_checked ||
      file.checkpoints_checked != whole.checkpoints_checked) {
    std::abort();
  }
  return 0;
}
