// Scoring: the tenant's models, the history they are trained on and score, and the stored
// scores of the outreach list (app/scoring/).
#include "storage/sqlite/sqlite_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::sqlite {
namespace {

using domain::LifecycleStep;
using domain::LifecycleStepKind;
using domain::PaymentFailure;
using domain::ScoringModel;

#define SB_MODEL_COLS                                                                       \
  "tenant_id, version, trained_at, feature_names, means, scales, coefficients, intercept, " \
  "training_size, holdout_size, holdout_auc, positive_rate"
constexpr const char* kInsertModel =
    "INSERT INTO scoring_models (" SB_MODEL_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kLatestModel = "SELECT " SB_MODEL_COLS
                                     " FROM scoring_models WHERE tenant_id = ? "
                                     "ORDER BY version DESC LIMIT 1";
constexpr const char* kListModels = "SELECT " SB_MODEL_COLS
                                    " FROM scoring_models WHERE tenant_id = ?1 "
                                    "AND (?2 = 0 OR version < ?2) ORDER BY version DESC LIMIT ?3";
// The steps the database keeps from the completed requests (migrations/sqlite/0035).
constexpr const char* kListSteps =
    "SELECT account_id, type, channel, completed_at, amount_due_minor FROM lifecycle_steps "
    "WHERE tenant_id = ?1 AND account_id IN (SELECT value FROM json_each(?2)) "
    "ORDER BY account_id, completed_at, request_id";
constexpr const char* kListFailures =
    "SELECT account_id, created_at FROM audit_entries WHERE tenant_id = ?1 "
    "AND action = 'payment.failed' AND account_id IN (SELECT value FROM json_each(?2)) "
    "ORDER BY account_id, created_at";

constexpr const char* kUpsertScore =
    "INSERT INTO account_scores (tenant_id, account_id, model_version, rank_ppb, features, "
    "scored_at) VALUES (?,?,?,?,?,?) ON CONFLICT (tenant_id, account_id) DO UPDATE SET "
    "model_version = excluded.model_version, rank_ppb = excluded.rank_ppb, "
    "features = excluded.features, scored_at = excluded.scored_at";
constexpr const char* kDeleteScoresBefore =
    "DELETE FROM account_scores WHERE tenant_id = ? AND scored_at < ?";
#define SB_SCORE_COLS                                                                 \
  "s.tenant_id, s.account_id, s.model_version, s.rank_ppb, s.features, s.scored_at, " \
  "a.external_ref, a.status"
constexpr const char* kGetScore = "SELECT " SB_SCORE_COLS
                                  " FROM account_scores s LEFT JOIN accounts a "
                                  "ON a.tenant_id = s.tenant_id AND a.id = s.account_id "
                                  "WHERE s.tenant_id = ? AND s.account_id = ?";
// The first page, then the page after (?2 rank, ?3 account) in the order rank DESC, account
// ASC: its first clause is a range of the index, the second skips the ties already shown.
// CROSS JOIN keeps the scores the outer loop, read in the order of account_scores_rank, so
// that a page stops after `limit` rows instead of sorting every suspended account.
#define SB_OUTREACH                                       \
  "SELECT " SB_SCORE_COLS                                 \
  " FROM account_scores s CROSS JOIN accounts a "         \
  "ON a.tenant_id = s.tenant_id AND a.id = s.account_id " \
  "WHERE s.tenant_id = ?1 AND a.status IN ('suspended', 'dormant') "
constexpr const char* kOutreachFirst =
    SB_OUTREACH "ORDER BY s.rank_ppb DESC, s.account_id LIMIT ?2";
constexpr const char* kOutreachAfter = SB_OUTREACH
    "AND s.rank_ppb <= ?2 AND (s.rank_ppb < ?2 OR s.account_id > ?3) "
    "ORDER BY s.rank_ppb DESC, s.account_id LIMIT ?4";

domain::StoredScore ReadScore(const Stmt& s) {
  domain::StoredScore r;
  r.tenant_id = s.ColText(0);
  r.account_id = s.ColText(1);
  r.model_version = s.ColInt(2);
  r.rank_ppb = s.ColInt(3);
  r.features = DecodeNumberList(s.ColText(4));
  r.scored_at = s.ColInt(5);
  r.external_ref = s.ColText(6);
  r.status = ParseOr(s.ColText(7), domain::AccountStatus::kActive);
  return r;
}

ScoringModel ReadModel(const Stmt& s) {
  ScoringModel m;
  m.tenant_id = s.ColText(0);
  m.version = s.ColInt(1);
  m.trained_at = s.ColInt(2);
  m.feature_names = DecodeStringList(s.ColText(3));
  m.means = DecodeNumberList(s.ColText(4));
  m.scales = DecodeNumberList(s.ColText(5));
  m.coefficients = DecodeNumberList(s.ColText(6));
  m.intercept = DecodeNumber(s.ColText(7));
  m.training_size = s.ColInt(8);
  m.holdout_size = s.ColInt(9);
  m.holdout_auc = DecodeNumber(s.ColText(10));
  m.positive_rate = DecodeNumber(s.ColText(11));
  return m;
}

LifecycleStepKind KindOf(const std::string& type) {
  if (type == "suspension") return LifecycleStepKind::kSuspended;
  if (type == "reconnection") return LifecycleStepKind::kReconnected;
  if (type == "reactivation") return LifecycleStepKind::kReactivated;
  return LifecycleStepKind::kDormant;  // the status_sync that marked it dormant
}

LifecycleStep ReadStep(const Stmt& s) {
  LifecycleStep st;
  st.account_id = s.ColText(0);
  st.kind = KindOf(s.ColText(1));
  st.channel = ParseOr(s.ColText(2), domain::Channel::kApi);
  st.at = s.ColInt(3);
  st.amount_due_minor = s.ColInt(4);
  return st;
}

PaymentFailure ReadFailure(const Stmt& s) { return {s.ColText(0), s.ColInt(1)}; }

}  // namespace

Status SqliteTx::InsertScoringModel(const ScoringModel& m) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertModel);
  s.Text(m.tenant_id).Int(m.version).Int(m.trained_at).Text(EncodeStringList(m.feature_names));
  s.Text(EncodeNumberList(m.means)).Text(EncodeNumberList(m.scales));
  s.Text(EncodeNumberList(m.coefficients)).Text(EncodeNumber(m.intercept));
  s.Int(m.training_size).Int(m.holdout_size).Text(EncodeNumber(m.holdout_auc));
  return s.Text(EncodeNumber(m.positive_rate)).Run();
}

Result<ScoringModel> SqliteTx::LatestScoringModel(std::string_view tenant_id) {
  Stmt s(conn_, kLatestModel);
  s.Text(tenant_id);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<ScoringModel>(s, ReadModel));
  if (rows.empty()) return Status::NotFound("scoring model");
  return std::move(rows.front());
}

Result<domain::Page<ScoringModel>> SqliteTx::ListScoringModels(std::string_view tenant_id,
                                                               std::int64_t below_version,
                                                               int limit) {
  limit = PageLimit(limit);
  Stmt s(conn_, kListModels);
  s.Text(tenant_id).Int(below_version).Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<ScoringModel>(s, ReadModel));
  domain::Page<ScoringModel> page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.has_more = true;
    page.next_cursor = std::to_string(rows.back().version);
  }
  page.items = std::move(rows);
  return page;
}

Result<std::vector<LifecycleStep>> SqliteTx::ListLifecycleSteps(
    std::string_view tenant_id, const std::vector<std::string>& account_ids) {
  Stmt s(conn_, kListSteps);
  s.Text(tenant_id).Text(EncodeStringList(account_ids));
  return CollectRows<LifecycleStep>(s, ReadStep);
}

Result<std::vector<PaymentFailure>> SqliteTx::ListPaymentFailures(
    std::string_view tenant_id, const std::vector<std::string>& account_ids) {
  Stmt s(conn_, kListFailures);
  s.Text(tenant_id).Text(EncodeStringList(account_ids));
  return CollectRows<PaymentFailure>(s, ReadFailure);
}

Status SqliteTx::UpsertAccountScores(const std::vector<domain::StoredScore>& scores) {
  SB_RETURN_IF_ERROR(CheckWritable());
  for (const domain::StoredScore& r : scores) {
    Stmt s(conn_, kUpsertScore);
    s.Text(r.tenant_id).Text(r.account_id).Int(r.model_version).Int(r.rank_ppb);
    SB_RETURN_IF_ERROR(s.Text(EncodeNumberList(r.features)).Int(r.scored_at).Run());
  }
  return Status::Ok();
}

Result<std::int64_t> SqliteTx::DeleteAccountScoresBefore(std::string_view tenant_id,
                                                         Timestamp scored_at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kDeleteScoresBefore);
  SB_RETURN_IF_ERROR(s.Text(tenant_id).Int(scored_at).Run());
  return s.Changes();
}

Result<domain::StoredScore> SqliteTx::GetAccountScore(std::string_view tenant_id,
                                                      std::string_view account_id) {
  Stmt s(conn_, kGetScore);
  s.Text(tenant_id).Text(account_id);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<domain::StoredScore>(s, ReadScore));
  if (rows.empty()) return Status::NotFound("account score");
  return std::move(rows.front());
}

Result<domain::Page<domain::StoredScore>> SqliteTx::ListOutreach(std::string_view tenant_id,
                                                                 const domain::StoredScore* after,
                                                                 int limit) {
  limit = PageLimit(limit);
  Stmt s(conn_, after ? kOutreachAfter : kOutreachFirst);
  s.Text(tenant_id);
  if (after) s.Int(after->rank_ppb).Text(after->account_id);
  s.Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<domain::StoredScore>(s, ReadScore));
  return MakePage(std::move(rows), limit, &domain::StoredScore::account_id);
}

}  // namespace sb::storage::sqlite
