#pragma once

// Streaming exports of the caller's tenant's requests and audit entries
// (GET /v1/reports/requests, GET /v1/reports/audit-entries). A download is read one page at a
// time, each page its own read transaction, and written out as it is read, so memory stays flat
// however many rows it has. Rows carry ids, codes and times only: no payload, comment, sealed
// field or before/after image, nothing the caller could not already read through the JSON API.

#include <string>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/ports/store.h"

namespace sb::app {

// Rows read per page of an export.
inline constexpr int kExportPage = 1000;

// The two formats of an export: CSV (RFC 4180, CRLF, a header line) and JSON lines (one
// object per line, LF).
enum class ExportFormat { kCsv, kJsonLines };

// The use cases of the exports: one read transaction per call. Thread-safe.
class ReportExports {
 public:
  explicit ReportExports(Deps deps) : deps_(deps) {}

  // Up to kExportPage of the requests matching `f`, newest first by (created_at, id), after
  // `after` (see domain::ReportCursor). Invalid naming "to" unless f.from < f.to.
  Result<std::vector<domain::RequestReportRow>> RequestsPage(
      const CallContext& ctx, const domain::RequestReportFilter& f,
      const domain::ReportCursor& after) const;

  // Up to kExportPage of the audit entries matching `f` (its cursor and limit are set here),
  // newest first by id, after the entry `starting_after` (empty: from the newest). Invalid
  // naming "to" unless created_from < created_to when both are set.
  Result<std::vector<domain::AuditEntry>> AuditPage(const CallContext& ctx, domain::AuditFilter f,
                                                    const std::string& starting_after) const;

 private:
  Deps deps_;
};

// The formats, pure. CSV cells are quoted when they hold a comma, a quote or a line break, and
// a cell that starts with '=', '+', '-', '@', a tab or a carriage return is prefixed with an
// apostrophe, so that no spreadsheet reads it as a formula.
std::string CsvCell(std::string_view v);
std::string RequestsCsvHeader();
std::string ToLine(const domain::RequestReportRow& r, ExportFormat format);
std::string AuditCsvHeader();
std::string ToLine(const domain::AuditEntry& e, ExportFormat format);

}  // namespace sb::app
