#include "main/commands.h"

#include <unistd.h>

#include "cli/admin_commands.h"
#include "cli/audit_commands.h"
#include "cli/bulk_commands.h"
#include "main/components.h"

namespace sb::main {
namespace {

int RunAudit(const cli::Invocation& inv, Components& c, std::ostream& out) {
  if (inv.command == cli::Command::kAuditExport) {
    return cli::RunAuditExport(*c.audit, inv.tenant_id, inv.out_file, out);
  }
  return cli::RunAuditVerify(*c.audit, inv.tenant_id, out);
}

int RunBulk(const cli::Invocation& inv, Components& c, std::ostream& out, std::ostream& err) {
  switch (inv.command) {
    case cli::Command::kBulkSubmit:
      return cli::RunBulkSubmit(
          *c.bulk, *c.clock,
          {inv.tenant_id, inv.file, inv.dry_run, inv.wait, isatty(STDERR_FILENO) == 1}, out, err);
    case cli::Command::kBulkStatus:
      return cli::RunBulkStatus(*c.bulk, inv.tenant_id, inv.job_id, out, err);
    case cli::Command::kBulkPause:
      return cli::RunBulkControl(*c.bulk, inv.tenant_id, inv.job_id, "pause", out, err);
    case cli::Command::kBulkResume:
      return cli::RunBulkControl(*c.bulk, inv.tenant_id, inv.job_id, "resume", out, err);
    case cli::Command::kBulkCancel:
      return cli::RunBulkControl(*c.bulk, inv.tenant_id, inv.job_id, "cancel", out, err);
    default:
      return cli::RunBulkResults(*c.bulk, inv.tenant_id, inv.job_id, out, err);
  }
}

}  // namespace

int RunCommand(const cli::Invocation& inv, const Config& config, std::ostream& out,
               std::ostream& err) {
  if (inv.command == cli::Command::kAuditVerify && !inv.bundle_file.empty()) {
    return cli::RunAuditVerifyBundle(inv.bundle_file, out);  // offline: no database
  }
  auto composed = Compose(config);
  if (!composed.ok()) return cli::ReportFailure(composed.status(), err);
  Components& c = **composed;
  switch (inv.command) {
    case cli::Command::kMigrate:
      return cli::PrintMigrations(c.applied_migrations, out);
    case cli::Command::kTenantCreate:
      return cli::RunTenantCreate(*c.admin, inv.name, out, err);
    case cli::Command::kApiKeyCreate:
      return cli::RunApiKeyCreate(*c.admin, inv.tenant_id, inv.name, inv.role, out, err);
    case cli::Command::kApiKeyList:
      return cli::RunApiKeyList(*c.admin, inv.tenant_id, out, err);
    case cli::Command::kApiKeyRevoke:
      return cli::RunApiKeyRevoke(*c.admin, inv.tenant_id, inv.key_id, out, err);
    case cli::Command::kEventsSecret:
      return cli::RunEventsSecret(*c.events, inv.tenant_id, out, err);
    case cli::Command::kUserInvite:
      return cli::RunUserInvite(*c.users, inv.tenant_id,
                                {inv.email, inv.name, std::string(domain::Name(inv.role))}, out,
                                err);
    case cli::Command::kAuditVerify:
    case cli::Command::kAuditExport:
      return RunAudit(inv, c, out);
    case cli::Command::kBulkSubmit:
    case cli::Command::kBulkStatus:
    case cli::Command::kBulkPause:
    case cli::Command::kBulkResume:
    case cli::Command::kBulkCancel:
    case cli::Command::kBulkResults:
      return RunBulk(inv, c, out, err);
    case cli::Command::kServe:
      break;
  }
  err << "switchboard: unexpected command\n";
  return 2;
}

}  // namespace sb::main
