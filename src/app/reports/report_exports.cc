#include "app/reports/report_exports.h"

#include <boost/json.hpp>
#include <optional>
#include <utility>

#include "app/core/json_fields.h"

namespace sb::app {
namespace {

namespace json = boost::json;

Status CheckExportWindow(std::optional<Timestamp> from, std::optional<Timestamp> to) {
  if (from && to && *from >= *to) {
    return Status::Invalid("to", "'to' must be after 'from'.", "invalid_window");
  }
  return Status::Ok();
}

std::string TimeOrEmpty(const std::optional<Timestamp>& t) {
  return t ? FormatRfc3339(*t) : std::string();
}

json::value TextOrNull(const std::string& v) {
  if (v.empty()) return nullptr;
  return json::string(v);
}

std::string RoleName(const domain::Actor& a) {
  return a.role ? std::string(domain::Name(*a.role)) : std::string();
}

// Joins cells into one CSV line, CRLF-terminated.
std::string CsvLine(std::initializer_list<std::string_view> cells) {
  std::string out;
  bool first = true;
  for (std::string_view c : cells) {
    if (!first) out += ',';
    first = false;
    out += CsvCell(c);
  }
  return out + "\r\n";
}

}  // namespace

Result<std::vector<domain::RequestReportRow>> ReportExports::RequestsPage(
    const CallContext& ctx, const domain::RequestReportFilter& f,
    const domain::ReportCursor& after) const {
  SB_RETURN_IF_ERROR(CheckExportWindow(f.from, f.to));
  std::vector<domain::RequestReportRow> rows;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(rows, tx.ListRequestReport(ctx.tenant_id, f, after, kExportPage));
    return Status::Ok();
  }));
  return rows;
}

Result<std::vector<domain::AuditEntry>> ReportExports::AuditPage(
    const CallContext& ctx, domain::AuditFilter f, const std::string& starting_after) const {
  SB_RETURN_IF_ERROR(CheckExportWindow(f.created_from, f.created_to));
  f.starting_after = starting_after;
  f.limit = kExportPage;
  std::vector<domain::AuditEntry> rows;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(domain::Page<domain::AuditEntry> page,
                        tx.ListAuditEntries(ctx.tenant_id, f));
    rows = std::move(page.items);
    return Status::Ok();
  }));
  return rows;
}

std::string CsvCell(std::string_view v) {
  std::string cell;
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    cell = "'";
  }
  cell += v;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string RequestsCsvHeader() {
  return "id,created_at,updated_at,completed_at,due_at,type,state,origin,channel,priority,"
         "account_id,region,service_id,actor_type,actor_id,actor_role,reason_code,assignee,"
         "sla_status,correlation_id\r\n";
}

std::string ToLine(const domain::RequestReportRow& r, ExportFormat format) {
  if (format == ExportFormat::kCsv) {
    return CsvLine({r.id,
                    FormatRfc3339(r.created_at),
                    FormatRfc3339(r.updated_at),
                    TimeOrEmpty(r.completed_at),
                    TimeOrEmpty(r.due_at),
                    domain::Name(r.type),
                    domain::Name(r.state),
                    domain::Name(r.origin),
                    domain::Name(r.channel),
                    r.priority,
                    r.account_id,
                    r.region,
                    r.service_id.value_or(""),
                    domain::Name(r.actor.type),
                    r.actor.id,
                    RoleName(r.actor),
                    r.reason_code,
                    r.assignee,
                    domain::Name(r.sla_status),
                    r.correlation_id});
  }
  json::object o{{"id", r.id},
                 {"created_at", FormatRfc3339(r.created_at)},
                 {"updated_at", FormatRfc3339(r.updated_at)},
                 {"completed_at", TimeOrNull(r.completed_at)},
                 {"due_at", TimeOrNull(r.due_at)},
                 {"type", domain::Name(r.type)},
                 {"state", domain::Name(r.state)},
                 {"origin", domain::Name(r.origin)},
                 {"channel", domain::Name(r.channel)},
                 {"priority", r.priority},
                 {"account_id", r.account_id},
                 {"region", TextOrNull(r.region)},
                 {"service_id", TextOrNull(r.service_id.value_or(""))},
                 {"actor_type", domain::Name(r.actor.type)},
                 {"actor_id", r.actor.id},
                 {"actor_role", TextOrNull(RoleName(r.actor))},
                 {"reason_code", r.reason_code},
                 {"assignee", TextOrNull(r.assignee)},
                 {"sla_status", domain::Name(r.sla_status)},
                 {"correlation_id", r.correlation_id}};
  return json::serialize(o) + "\n";
}

std::string AuditCsvHeader() {
  return "id,created_at,category,action,actor_type,actor_id,actor_role,channel,reason_code,"
         "request_id,correlation_id,subject_type,subject_id,account_id,leaf_index\r\n";
}

std::string ToLine(const domain::AuditEntry& e, ExportFormat format) {
  std::string leaf = e.leaf_index ? std::to_string(*e.leaf_index) : std::string();
  if (format == ExportFormat::kCsv) {
    return CsvLine({e.id, FormatRfc3339(e.created_at), domain::Name(e.category), e.action,
                    domain::Name(e.actor.type), e.actor.id, RoleName(e.actor),
                    domain::Name(e.channel), e.reason_code, e.request_id, e.correlation_id,
                    e.subject_type, e.subject_id, e.account_id, leaf});
  }
  json::object o{{"id", e.id},
                 {"created_at", FormatRfc3339(e.created_at)},
                 {"category", domain::Name(e.category)},
                 {"action", e.action},
                 {"actor_type", domain::Name(e.actor.type)},
                 {"actor_id", e.actor.id},
                 {"actor_role", TextOrNull(RoleName(e.actor))},
                 {"channel", domain::Name(e.channel)},
                 {"reason_code", e.reason_code},
                 {"request_id", TextOrNull(e.request_id)},
                 {"correlation_id", e.correlation_id},
                 {"subject_type", e.subject_type},
                 {"subject_id", e.subject_id},
                 {"account_id", TextOrNull(e.account_id)}};
  o["leaf_index"] = e.leaf_index ? json::value(*e.leaf_index) : json::value(nullptr);
  return json::serialize(o) + "\n";
}

}  // namespace sb::app
