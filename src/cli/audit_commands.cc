#include "cli/audit_commands.h"

#include <fstream>

namespace sb::cli {
namespace {

void PrintReport(const app::VerifyReport& r, std::ostream& out) {
  const std::string tenant = r.tenant_id.empty() ? "-" : r.tenant_id;
  if (r.ok) {
    out << "ok " << tenant << " entries=" << r.entries_checked
        << " checkpoints=" << r.checkpoints_checked << "\n";
    return;
  }
  out << "FAIL " << tenant << " " << r.kind;
  if (r.leaf_index) out << " at leaf " << *r.leaf_index;
  out << ": " << r.detail << "\n";
}

}  // namespace

int RunAuditVerify(app::AuditLog& log, const std::string& tenant_id, std::ostream& out) {
  auto reports = log.VerifyDatabase(tenant_id);
  if (!reports.ok()) {
    out << "error: " << reports.status().ToString() << "\n";
    return 1;
  }
  bool all_ok = true;
  for (const app::VerifyReport& r : *reports) {
    PrintReport(r, out);
    all_ok = all_ok && r.ok;
  }
  return all_ok ? 0 : 1;
}

int RunAuditVerifyBundle(const std::string& path, std::ostream& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out << "error: cannot read " << path << "\n";
    return 1;
  }
  app::VerifyReport r = app::AuditLog::VerifyBundleFile(path);
  PrintReport(r, out);
  return r.ok ? 0 : 1;
}

int RunAuditExport(app::AuditLog& log, const std::string& tenant_id, const std::string& out_path,
                   std::ostream& out) {
  std::ofstream file(out_path, std::ios::binary | std::ios::trunc);
  if (!file) {
    out << "error: cannot write " << out_path << "\n";
    return 1;
  }
  Status written = log.ExportBundle(tenant_id, file);
  std::streamoff bytes = file.tellp();
  file.close();
  if (!written.ok()) {
    out << "error: " << written.ToString() << "\n";
    return 1;
  }
  if (!file) {
    out << "error: cannot write " << out_path << "\n";
    return 1;
  }
  out << "wrote " << out_path << " (" << bytes << " bytes) for tenant " << tenant_id << "\n";
  return 0;
}

}  // namespace sb::cli
