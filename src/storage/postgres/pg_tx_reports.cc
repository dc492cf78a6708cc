// Reports (app/reports/): the requests export and the KPI breakdowns. Requests are joined to
// their account for its region rather than carrying a copy of it (migrations 0023).
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

// Newest first by (created_at, id). The cursor ($10, $11) is (to, "") for the first page:
// "id < ''" holds for no row, which leaves created_at < to.
const Stmt kRequestReport{
    "report_requests",
    "SELECT r.id, r.account_id, a.region, r.service_id, r.type, r.origin, r.channel, r.state, "
    "r.priority, r.actor_type, r.actor_id, r.actor_role, r.reason_code, r.correlation_id, "
    "r.assignee, r.sla_status, r.created_at, r.updated_at, r.completed_at, r.due_at "
    "FROM requests r JOIN accounts a ON a.tenant_id = r.tenant_id AND a.id = r.account_id "
    "WHERE r.tenant_id = $1 AND r.created_at >= $2 AND r.created_at < $3 "
    "AND ($4::text IS NULL OR r.type = $4) AND ($5::text IS NULL OR r.state = $5) "
    "AND ($6::text IS NULL OR r.origin = $6) AND ($7::text IS NULL OR r.channel = $7) "
    "AND ($8::text IS NULL OR r.actor_id = $8) AND ($9::text IS NULL OR a.region = $9) "
    "AND r.created_at <= $10 AND (r.created_at < $10 OR r.id < $11) "
    "ORDER BY r.created_at DESC, r.id DESC LIMIT $12"};
const Stmt kRequestReportStats{
    "report_request_stats",
    "SELECT r.type, r.state, r.created_at, r.completed_at, r.due_at, r.origin, r.channel, "
    "r.assignee, a.region "
    "FROM requests r JOIN accounts a ON a.tenant_id = r.tenant_id AND a.id = r.account_id "
    "WHERE r.tenant_id = $1 AND r.created_at >= $2 AND r.created_at < $3"};

template <typename E>
std::optional<std::string> OptName(const std::optional<E>& v) {
  if (!v) return std::nullopt;
  return std::string(domain::Name(*v));
}

domain::RequestReportRow ReadReportRow(RowReader& r) {
  domain::RequestReportRow q;
  q.id = r.Str();
  q.account_id = r.Str();
  q.region = r.OptStr().value_or("");
  q.service_id = r.OptStr();
  q.type = EnumOr<domain::RequestType>(r.Str());
  q.origin = EnumOr<domain::Origin>(r.Str());
  q.channel = EnumOr<domain::Channel>(r.Str());
  q.state = EnumOr<domain::RequestState>(r.Str());
  q.priority = r.Str();
  q.actor.type = EnumOr<domain::ActorType>(r.Str());
  q.actor.id = r.Str();
  if (auto role = r.OptStr()) q.actor.role = domain::Parse<domain::Role>(*role);
  q.reason_code = r.Str();
  q.correlation_id = r.Str();
  q.assignee = r.Str();
  q.sla_status = EnumOr<domain::SlaStatus>(r.Str());
  q.created_at = r.Int();
  q.updated_at = r.Int();
  q.completed_at = r.OptInt();
  q.due_at = r.OptInt();
  return q;
}

domain::RequestStat ReadReportStat(RowReader& r) {
  domain::RequestStat st;
  st.type = EnumOr<domain::RequestType>(r.Str());
  st.state = EnumOr<domain::RequestState>(r.Str());
  st.created_at = r.Int();
  st.completed_at = r.OptInt();
  st.due_at = r.OptInt();
  st.origin = EnumOr<domain::Origin>(r.Str());
  st.channel = EnumOr<domain::Channel>(r.Str());
  st.assignee = r.Str();
  st.region = r.OptStr().value_or("");
  return st;
}

}  // namespace

Result<std::vector<domain::RequestReportRow>> PgTx::ListRequestReport(
    std::string_view tenant_id, const domain::RequestReportFilter& f,
    const domain::ReportCursor& after, int limit) {
  Params p;
  p.Text(tenant_id).Int(f.from).Int(f.to);
  p.OptText(OptName(f.type)).OptText(OptName(f.state)).OptText(OptName(f.origin));
  p.OptText(OptName(f.channel)).OptText(f.actor_id).OptText(f.region);
  p.Int(after.id.empty() ? f.to : after.created_at).Text(after.id);
  p.Int(limit < 1 ? 1 : limit);
  return Many(kRequestReport, p, &ReadReportRow);
}

Result<std::vector<domain::RequestStat>> PgTx::ListRequestReportStats(std::string_view tenant_id,
                                                                      Timestamp from,
                                                                      Timestamp to) {
  return Many(kRequestReportStats, Params().Text(tenant_id).Int(from).Int(to), &ReadReportStat);
}

}  // namespace sb::storage::postgres
