#pragma once

// The command line of `switchboard`: subcommands and their flags, parsed with CLI11 into a
// plain value. Parsing has no side effects; the composition root (main/) acts on the result.

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "domain/enums.h"

namespace sb::cli {

// Which subcommand was chosen.
enum class Command {
  kServe,
  kMigrate,
  kTenantCreate,
  kApiKeyCreate,
  kApiKeyList,
  kApiKeyRevoke,
  kEventsSecret,
  kUserInvite,
  kAuditVerify,
  kAuditExport,
  kBulkSubmit,
  kBulkStatus,
  kBulkPause,
  kBulkResume,
  kBulkCancel,
  kBulkResults,
};

// Flags every subcommand takes; unset ones fall back to the config file, then defaults.
struct CommonFlags {
  std::optional<std::string> config_file;   // --config
  std::optional<std::string> database_url;  // --database-url
  std::optional<std::string> data_dir;      // --data-dir
  std::optional<std::string> listen;        // --listen (serve only)
  bool test_clock = false;                  // --test-clock (serve only)
};

// The parsed command line.
struct Invocation {
  Command command = Command::kServe;
  CommonFlags common;
  std::string tenant_id;  // --tenant
  std::string name;       // --name (tenant create, apikey create, user invite)
  domain::Role role = domain::Role::kAgent;
  std::string key_id;       // --id (apikey revoke)
  std::string bundle_file;  // --bundle (audit verify)
  std::string out_file;     // --out (audit export)
  std::string email;        // --email (user invite)
  std::string file;         // bulk submit: the file of rows
  std::string job_id;       // bulk status|pause|resume|cancel|results: the job
  bool dry_run = false;     // --dry-run (bulk submit)
  bool wait = false;        // --wait (bulk submit)
};

// What Parse decided: run `invocation`, or exit now with `exit_code` (help: 0, bad
// arguments: 2) after the message it already wrote.
struct ParseOutcome {
  std::optional<Invocation> invocation;
  int exit_code = 0;
};

// The program's version (the project's VERSION in CMakeLists.txt), as `--version` prints it.
std::string_view Version();

// Parses argv. Help, the version and shell completion code go to `out` and end the run with
// exit code 0, without an invocation; errors go to `err` as one clear message and give exit
// code 2. Thread-compatible.
ParseOutcome Parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// Convenience for tests: parses `args` as if they followed the program name.
ParseOutcome ParseArgs(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace sb::cli
