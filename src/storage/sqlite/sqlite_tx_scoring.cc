// Scoring: the tenant's models and the history they are trained on and score (app/scoring/).
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
// The amount due a suspension's checks read is in its check_inputs (app/requests/check_inputs.h).
constexpr const char* kListSteps =
    "SELECT account_id, type, channel, completed_at, "
    "CASE WHEN type = 'suspension' AND json_valid(check_inputs) "
    "THEN COALESCE(json_extract(check_inputs, '$.account.amount_due_minor'), -1) ELSE -1 END "
    "FROM requests WHERE tenant_id = ?1 AND account_id IN (SELECT value FROM json_each(?2)) "
    "AND state = 'completed' AND completed_at IS NOT NULL "
    "AND (type IN ('suspension', 'reconnection', 'reactivation') OR (type = 'status_sync' "
    "AND payload_json LIKE '%\"lifecycle\":\"dormant\"%')) "
    "ORDER BY account_id, completed_at, id";
constexpr const char* kListFailures =
    "SELECT account_id, created_at FROM audit_entries WHERE tenant_id = ?1 "
    "AND action = 'payment.failed' AND account_id IN (SELECT value FROM json_each(?2)) "
    "ORDER BY account_id, created_at";

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

}  // namespace sb::storage::sqlite
