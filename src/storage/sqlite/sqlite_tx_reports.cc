// Reports (app/reports/): the requests export and the KPI breakdowns. Requests are joined to
// their account for its region rather than carrying a copy of it (migrations 0023).

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

// Newest first by (created_at, id), on requests_created (whose entries carry the key, so the
// order needs no sort). The cursor (?3, ?10) is the one upper bound of the index range, so that
// each page starts where the last one ended instead of scanning past it: for the first page it
// is (to - 1, "~"), above every id.
constexpr const char* kRequestReport =
    "SELECT r.id, r.account_id, a.region, r.service_id, r.type, r.origin, r.channel, r.state, "
    "r.priority, r.actor_type, r.actor_id, r.actor_role, r.reason_code, r.correlation_id, "
    "r.assignee, r.sla_status, r.created_at, r.updated_at, r.completed_at, r.due_at "
    "FROM requests r JOIN accounts a ON a.tenant_id = r.tenant_id AND a.id = r.account_id "
    "WHERE r.tenant_id = ?1 AND r.created_at >= ?2 AND r.created_at <= ?3 "
    "AND (r.created_at < ?3 OR r.id < ?10) "
    "AND (?4 IS NULL OR r.type = ?4) AND (?5 IS NULL OR r.state = ?5) "
    "AND (?6 IS NULL OR r.origin = ?6) AND (?7 IS NULL OR r.channel = ?7) "
    "AND (?8 IS NULL OR r.actor_id = ?8) AND (?9 IS NULL OR a.region = ?9) "
    "ORDER BY r.created_at DESC, r.id DESC LIMIT ?11";
// In the same order and pages as kRequestReport, the cursor (?3, ?4) the same way.
constexpr const char* kRequestReportStats =
    "SELECT r.type, r.state, r.created_at, r.completed_at, r.due_at, r.origin, r.channel, "
    "r.assignee, a.region, c.score, r.id "
    "FROM requests r JOIN accounts a ON a.tenant_id = r.tenant_id AND a.id = r.account_id "
    "LEFT JOIN csat_answers c ON c.tenant_id = r.tenant_id AND c.request_id = r.id "
    "WHERE r.tenant_id = ?1 AND r.created_at >= ?2 AND r.created_at <= ?3 "
    "AND (r.created_at < ?3 OR r.id < ?4) "
    "ORDER BY r.created_at DESC, r.id DESC LIMIT ?5";
#define SB_CSAT_COLS                                                               \
  "tenant_id, request_id, account_id, token_hash, created_at, expires_at, score, " \
  "comment_sealed, answered_at"
constexpr const char* kInsertCsat =
    "INSERT INTO csat_answers (" SB_CSAT_COLS ") VALUES (?,?,?,?,?,?,?,?,?)";
constexpr const char* kGetCsatByToken =
    "SELECT " SB_CSAT_COLS " FROM csat_answers WHERE tenant_id = ? AND token_hash = ?";
constexpr const char* kAnswerCsat =
    "UPDATE csat_answers SET score = ?, comment_sealed = ?, answered_at = ? "
    "WHERE tenant_id = ? AND request_id = ? AND answered_at IS NULL";
constexpr const char* kCsatExists =
    "SELECT 1 FROM csat_answers WHERE tenant_id = ? AND request_id = ?";

domain::CsatAnswer ReadCsat(const Stmt& s) {
  domain::CsatAnswer a;
  a.tenant_id = s.ColText(0);
  a.request_id = s.ColText(1);
  a.account_id = s.ColText(2);
  a.token_hash = s.ColText(3);
  a.created_at = s.ColInt(4);
  a.expires_at = s.ColInt(5);
  if (auto score = s.ColOptInt(6)) a.score = static_cast<int>(*score);
  a.comment_sealed = s.ColBlob(7);
  a.answered_at = s.ColOptInt(8);
  return a;
}

std::optional<std::int64_t> Score(const domain::CsatAnswer& a) {
  return a.score ? std::optional<std::int64_t>(*a.score) : std::nullopt;
}

template <typename E>
std::optional<std::string> OptName(const std::optional<E>& v) {
  if (!v) return std::nullopt;
  return std::string(domain::Name(*v));
}

domain::RequestReportRow ReadReportRow(const Stmt& s) {
  domain::RequestReportRow r;
  r.id = s.ColText(0);
  r.account_id = s.ColText(1);
  r.region = s.ColOptText(2).value_or("");
  r.service_id = s.ColOptText(3);
  r.type = ParseOr(s.ColText(4), domain::RequestType::kStatusSync);
  r.origin = ParseOr(s.ColText(5), domain::Origin::kVoluntary);
  r.channel = ParseOr(s.ColText(6), domain::Channel::kApi);
  r.state = ParseOr(s.ColText(7), domain::RequestState::kReceived);
  r.priority = s.ColText(8);
  r.actor.type = ParseOr(s.ColText(9), domain::ActorType::kSystem);
  r.actor.id = s.ColText(10);
  if (auto role = s.ColOptText(11)) r.actor.role = domain::Parse<domain::Role>(*role);
  r.reason_code = s.ColText(12);
  r.correlation_id = s.ColText(13);
  r.assignee = s.ColText(14);
  r.sla_status = ParseOr(s.ColText(15), domain::SlaStatus::kOnTrack);
  r.created_at = s.ColInt(16);
  r.updated_at = s.ColInt(17);
  r.completed_at = s.ColOptInt(18);
  r.due_at = s.ColOptInt(19);
  return r;
}

domain::RequestStat ReadReportStat(const Stmt& s) {
  domain::RequestStat st;
  st.type = ParseOr(s.ColText(0), domain::RequestType::kStatusSync);
  st.state = ParseOr(s.ColText(1), domain::RequestState::kReceived);
  st.created_at = s.ColInt(2);
  st.completed_at = s.ColOptInt(3);
  st.due_at = s.ColOptInt(4);
  st.origin = ParseOr(s.ColText(5), domain::Origin::kVoluntary);
  st.channel = ParseOr(s.ColText(6), domain::Channel::kApi);
  st.assignee = s.ColText(7);
  st.region = s.ColOptText(8).value_or("");
  if (auto score = s.ColOptInt(9)) st.csat_score = static_cast<int>(*score);
  st.id = s.ColText(10);
  return st;
}

}  // namespace

Result<std::vector<domain::RequestReportRow>> SqliteTx::ListRequestReport(
    std::string_view tenant_id, const domain::RequestReportFilter& f,
    const domain::ReportCursor& after, int limit) {
  Stmt s(conn_, kRequestReport);
  s.Text(tenant_id).Int(f.from).Int(after.id.empty() ? f.to - 1 : after.created_at);
  s.OptText(OptName(f.type)).OptText(OptName(f.state)).OptText(OptName(f.origin));
  s.OptText(OptName(f.channel));
  s.OptText(f.actor_id).OptText(f.region);
  s.Text(after.id.empty() ? std::string("~") : after.id);
  s.Int(PageLimit(limit));
  return CollectRows<domain::RequestReportRow>(s, ReadReportRow);
}

Result<std::vector<domain::RequestStat>> SqliteTx::ListRequestReportStats(
    std::string_view tenant_id, Timestamp from, Timestamp to, const domain::ReportCursor& after,
    int limit) {
  Stmt s(conn_, kRequestReportStats);
  s.Text(tenant_id).Int(from).Int(after.id.empty() ? to - 1 : after.created_at);
  s.Text(after.id.empty() ? std::string("~") : after.id).Int(PageLimit(limit));
  return CollectRows<domain::RequestStat>(s, ReadReportStat);
}

Status SqliteTx::InsertCsat(const domain::CsatAnswer& a) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertCsat);
  s.Text(a.tenant_id).Text(a.request_id).Text(a.account_id).Text(a.token_hash);
  s.Int(a.created_at).Int(a.expires_at).OptInt(Score(a));
  s.Blob(a.comment_sealed).OptInt(a.answered_at);
  return s.Run();
}

Result<domain::CsatAnswer> SqliteTx::GetCsatByToken(std::string_view tenant_id,
                                                    std::string_view token_hash) {
  Stmt s(conn_, kGetCsatByToken);
  s.Text(tenant_id).Text(token_hash);
  return OneRow<domain::CsatAnswer>(s, "csat", ReadCsat);
}

Status SqliteTx::AnswerCsat(const domain::CsatAnswer& a) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kAnswerCsat);
  s.OptInt(Score(a)).Blob(a.comment_sealed).OptInt(a.answered_at);
  SB_RETURN_IF_ERROR(s.Text(a.tenant_id).Text(a.request_id).Run());
  if (s.Changes() > 0) return Status::Ok();
  Stmt exists(conn_, kCsatExists);
  SB_ASSIGN_OR_RETURN(bool found, exists.Text(a.tenant_id).Text(a.request_id).Next());
  if (!found) return Status::NotFound("csat");
  return Status::Conflict("already_answered", "this request was already rated");
}

}  // namespace sb::storage::sqlite
