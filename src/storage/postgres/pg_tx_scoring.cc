// Scoring: the tenant's models and the history they are trained on and score (app/scoring/).
#include "storage/postgres/pg_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::postgres {
namespace {

using domain::LifecycleStep;
using domain::LifecycleStepKind;
using domain::PaymentFailure;
using domain::ScoringModel;

#define SB_MODEL_COLS                                                                       \
  "tenant_id, version, trained_at, feature_names, means, scales, coefficients, intercept, " \
  "training_size, holdout_size, holdout_auc, positive_rate"
const Stmt kInsertModel{"scoring_model_insert",
                        "INSERT INTO scoring_models (" SB_MODEL_COLS
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                        "ON CONFLICT DO NOTHING"};
const Stmt kLatestModel{"scoring_model_latest", "SELECT " SB_MODEL_COLS
                                                " FROM scoring_models WHERE tenant_id = $1 "
                                                "ORDER BY version DESC LIMIT 1"};
const Stmt kListModels{"scoring_model_list",
                       "SELECT " SB_MODEL_COLS
                       " FROM scoring_models WHERE tenant_id = $1 "
                       "AND ($2::bigint = 0 OR version < $2) ORDER BY version DESC LIMIT $3"};
// The amount due a suspension's checks read is in its check_inputs (app/requests/check_inputs.h).
const Stmt kListSteps{
    "scoring_lifecycle_steps",
    "SELECT account_id, type, channel, completed_at, "
    "CASE WHEN type = 'suspension' AND check_inputs LIKE '{%' "
    "THEN COALESCE((check_inputs::jsonb #>> '{account,amount_due_minor}')::bigint, -1) "
    "ELSE -1 END "
    "FROM requests WHERE tenant_id = $1 AND account_id IN "
    "(SELECT json_array_elements_text($2::json)) "
    "AND state = 'completed' AND completed_at IS NOT NULL "
    "AND (type IN ('suspension', 'reconnection', 'reactivation') OR (type = 'status_sync' "
    "AND payload_json LIKE '%\"lifecycle\":\"dormant\"%')) "
    "ORDER BY account_id, completed_at, id"};
const Stmt kListFailures{"scoring_payment_failures",
                         "SELECT account_id, created_at FROM audit_entries WHERE tenant_id = $1 "
                         "AND action = 'payment.failed' AND account_id IN "
                         "(SELECT json_array_elements_text($2::json)) "
                         "ORDER BY account_id, created_at"};

ScoringModel ReadModel(RowReader& r) {
  ScoringModel m;
  m.tenant_id = r.Str();
  m.version = r.Int();
  m.trained_at = r.Int();
  m.feature_names = DecodeStringList(r.Str());
  m.means = DecodeNumberList(r.Str());
  m.scales = DecodeNumberList(r.Str());
  m.coefficients = DecodeNumberList(r.Str());
  m.intercept = DecodeNumber(r.Str());
  m.training_size = r.Int();
  m.holdout_size = r.Int();
  m.holdout_auc = DecodeNumber(r.Str());
  m.positive_rate = DecodeNumber(r.Str());
  return m;
}

LifecycleStepKind KindOf(const std::string& type) {
  if (type == "suspension") return LifecycleStepKind::kSuspended;
  if (type == "reconnection") return LifecycleStepKind::kReconnected;
  if (type == "reactivation") return LifecycleStepKind::kReactivated;
  return LifecycleStepKind::kDormant;  // the status_sync that marked it dormant
}

LifecycleStep ReadStep(RowReader& r) {
  LifecycleStep st;
  st.account_id = r.Str();
  st.kind = KindOf(r.Str());
  st.channel = EnumOr<domain::Channel>(r.Str());
  st.at = r.Int();
  st.amount_due_minor = r.Int();
  return st;
}

PaymentFailure ReadFailure(RowReader& r) {
  PaymentFailure f;
  f.account_id = r.Str();
  f.at = r.Int();
  return f;
}

}  // namespace

Status PgTx::InsertScoringModel(const ScoringModel& m) {
  Params p;
  p.Text(m.tenant_id).Int(m.version).Int(m.trained_at).Text(EncodeStringList(m.feature_names));
  p.Text(EncodeNumberList(m.means)).Text(EncodeNumberList(m.scales));
  p.Text(EncodeNumberList(m.coefficients)).Text(EncodeNumber(m.intercept));
  p.Int(m.training_size).Int(m.holdout_size).Text(EncodeNumber(m.holdout_auc));
  p.Text(EncodeNumber(m.positive_rate));
  return Insert(kInsertModel, p);
}

Result<ScoringModel> PgTx::LatestScoringModel(std::string_view tenant_id) {
  return One(kLatestModel, Params().Text(tenant_id), "scoring model", &ReadModel);
}

Result<domain::Page<ScoringModel>> PgTx::ListScoringModels(std::string_view tenant_id,
                                                           std::int64_t below_version, int limit) {
  limit = PageLimit(limit);
  SB_ASSIGN_OR_RETURN(
      auto rows,
      Many(kListModels, Params().Text(tenant_id).Int(below_version).Int(limit + 1), &ReadModel));
  domain::Page<ScoringModel> page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.has_more = true;
    page.next_cursor = std::to_string(rows.back().version);
  }
  page.items = std::move(rows);
  return page;
}

Result<std::vector<LifecycleStep>> PgTx::ListLifecycleSteps(
    std::string_view tenant_id, const std::vector<std::string>& account_ids) {
  return Many(kListSteps, Params().Text(tenant_id).Text(EncodeStringList(account_ids)), &ReadStep);
}

Result<std::vector<PaymentFailure>> PgTx::ListPaymentFailures(
    std::string_view tenant_id, const std::vector<std::string>& account_ids) {
  return Many(kListFailures, Params().Text(tenant_id).Text(EncodeStringList(account_ids)),
              &ReadFailure);
}

}  // namespace sb::storage::postgres
