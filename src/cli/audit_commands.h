#pragma once

// `switchboard audit ...` subcommands as plain functions; the command-line wiring calls
// them. Each prints what an auditor needs to read and returns the process exit code.

#include <ostream>
#include <string>

#include "app/audit/audit_log.h"

namespace sb::cli {

// Verifies the log of `tenant_id` (every tenant when empty) in the database. Prints one line
// per tenant: "ok <tenant> entries=N checkpoints=M" or
// "FAIL <tenant> <kind> at leaf N: <detail>" ("at leaf N" left out when the problem is not
// one leaf's). Returns 0 when every tenant verifies, 1 otherwise (and on errors).
int RunAuditVerify(app::AuditLog& log, const std::string& tenant_id, std::ostream& out);

// Verifies the evidence bundle in the file at `path` with no database; prints one line as
// RunAuditVerify does. Returns 0 when it verifies, 1 otherwise.
int RunAuditVerifyBundle(const std::string& path, std::ostream& out);

// Writes the evidence bundle of `tenant_id` to `out_path` and prints where and how much.
// Returns 0 on success, 1 on failure.
int RunAuditExport(app::AuditLog& log, const std::string& tenant_id, const std::string& out_path,
                   std::ostream& out);

}  // namespace sb::cli
