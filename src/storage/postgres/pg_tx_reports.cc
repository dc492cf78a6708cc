// Reports (app/reports/): the requests export and the KPI breakdowns. Requests are joined to
// their account for its region rather than carrying a copy of it (migrations 0023).
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

// Newest first by (created_at, id). The cursor ($3, $10) is the one upper bound of the range on
// requests_created, so that each page starts where the last one ended: for the first page it is
// (to - 1, "~"), above every id.
const Stmt kRequestReport{
    "report_requests",
    "SELECT r.id, r.account_id, a.region, r.service_id, r.type, r.origin, r.channel, r.state, "
    "r.priority, r.actor_type, r.actor_id, r.actor_role, r.reason_code, r.correlation_id, "
    "r.assignee, r.sla_status, r.created_at, r.updated_at, r.completed_at, r.due_at "
    "FROM requests r JOIN accounts a ON a.tenant_id = r.tenant_id AND a.id = r.account_id "
    "WHERE r.tenant_id = $1 AND r.created_at >= $2 AND r.created_at <= $3 "
    "AND (r.created_at < $3 OR r.id < $10) "
    "AND ($4::text IS NULL OR r.type = $4) AND ($5::text IS NULL OR r.state = $5) "
    "AND ($6::text IS NULL OR r.origin = $6) AND ($7::text IS NULL OR r.channel = $7) "
    "AND ($8::text IS NULL OR r.actor_id = $8) AND ($9::text IS NULL OR a.region = $9) "
    "ORDER BY r.created_at DESC, r.id DESC LIMIT $11"};
// In the same order and pages as kRequestReport, the cursor ($3, $4) the same way.
const Stmt kRequestReportStats{
    "report_request_stats",
    "SELECT r.type, r.state, r.created_at, r.completed_at, r.due_at, r.origin, r.channel, "
    "r.assignee, a.region, c.score, r.id "
    "FROM requests r JOIN accounts a ON a.tenant_id = r.tenant_id AND a.id = r.account_id "
    "LEFT JOIN csat_answers c ON c.tenant_id = r.tenant_id AND c.request_id = r.id "
    "WHERE r.tenant_id = $1 AND r.created_at >= $2 AND r.created_at <= $3 "
    "AND (r.created_at < $3 OR r.id < $4) "
    "ORDER BY r.created_at DESC, r.id DESC LIMIT $5"};
#define SB_CSAT_COLS                                                               \
  "tenant_id, request_id, account_id, token_hash, created_at, expires_at, score, " \
  "comment_sealed, answered_at"
const Stmt kInsertCsat{"csat_insert", "INSERT INTO csat_answers (" SB_CSAT_COLS
                                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                                      "ON CONFLICT DO NOTHING"};
const Stmt kGetCsatByToken{"csat_by_token", "SELECT " SB_CSAT_COLS
                                            " FROM csat_answers WHERE tenant_id = $1 "
                                            "AND token_hash = $2"};
const Stmt kAnswerCsat{"csat_answer",
                       "UPDATE csat_answers SET score = $3, comment_sealed = $4, answered_at = $5 "
                       "WHERE tenant_id = $1 AND request_id = $2 AND answered_at IS NULL"};
const Stmt kCsatExists{"csat_exists",
                       "SELECT 1 FROM csat_answers WHERE tenant_id = $1 AND request_id = $2"};

domain::CsatAnswer ReadCsat(RowReader& r) {
  domain::CsatAnswer a;
  a.tenant_id = r.Str();
  a.request_id = r.Str();
  a.account_id = r.Str();
  a.token_hash = r.Str();
  a.created_at = r.Int();
  a.expires_at = r.Int();
  if (auto score = r.OptInt()) a.score = static_cast<int>(*score);
  a.comment_sealed = r.OptStr().value_or("");
  a.answered_at = r.OptInt();
  return a;
}

// Appends score, comment and answered_at.
Params& CsatAnswerParams(Params& p, const domain::CsatAnswer& a) {
  p.OptInt(a.score ? std::optional<std::int64_t>(*a.score) : std::nullopt);
  if (a.comment_sealed.empty()) {
    p.Null();
  } else {
    p.Bytes(a.comment_sealed);
  }
  return p.OptInt(a.answered_at);
}

template <typename E>
std::optional<std::string> OptReportName(const std::optional<E>& v) {
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
  if (auto score = r.OptInt()) st.csat_score = static_cast<int>(*score);
  st.id = r.Str();
  return st;
}

}  // namespace

Result<std::vector<domain::RequestReportRow>> PgTx::ListRequestReport(
    std::string_view tenant_id, const domain::RequestReportFilter& f,
    const domain::ReportCursor& after, int limit) {
  Params p;
  p.Text(tenant_id).Int(f.from).Int(after.id.empty() ? f.to - 1 : after.created_at);
  p.OptText(OptReportName(f.type)).OptText(OptReportName(f.state)).OptText(OptReportName(f.origin));
  p.OptText(OptReportName(f.channel)).OptText(f.actor_id).OptText(f.region);
  p.Text(after.id.empty() ? std::string("~") : after.id);
  p.Int(limit < 1 ? 1 : limit);
  return Many(kRequestReport, p, &ReadReportRow);
}

Result<std::vector<domain::RequestStat>> PgTx::ListRequestReportStats(
    std::string_view tenant_id, Timestamp from, Timestamp to, const domain::ReportCursor& after,
    int limit) {
  Params p;
  p.Text(tenant_id).Int(from).Int(after.id.empty() ? to - 1 : after.created_at);
  p.Text(after.id.empty() ? std::string("~") : after.id).Int(limit < 1 ? 1 : limit);
  return Many(kRequestReportStats, p, &ReadReportStat);
}

Status PgTx::InsertCsat(const domain::CsatAnswer& a) {
  Params p;
  p.Text(a.tenant_id).Text(a.request_id).Text(a.account_id).Text(a.token_hash);
  p.Int(a.created_at).Int(a.expires_at);
  return Insert(kInsertCsat, CsatAnswerParams(p, a));
}

Result<domain::CsatAnswer> PgTx::GetCsatByToken(std::string_view tenant_id,
                                                std::string_view token_hash) {
  return One(kGetCsatByToken, Params().Text(tenant_id).Text(token_hash), "csat", &ReadCsat);
}

Status PgTx::AnswerCsat(const domain::CsatAnswer& a) {
  Params p;
  p.Text(a.tenant_id).Text(a.request_id);
  SB_ASSIGN_OR_RETURN(PgResult r, Exec(kAnswerCsat, CsatAnswerParams(p, a)));
  if (r.affected() > 0) return Status::Ok();
  SB_ASSIGN_OR_RETURN(PgResult exists,
                      Query(kCsatExists, Params().Text(a.tenant_id).Text(a.request_id)));
  if (exists.rows() == 0) return Status::NotFound("csat");
  return Status::Conflict("already_answered", "this request was already rated");
}

}  // namespace sb::storage::postgres
