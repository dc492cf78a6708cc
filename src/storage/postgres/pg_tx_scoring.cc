// Scoring: the tenant's models, the history they are trained on and score, and the stored
// scores of the outreach list (app/scoring/).
#include <boost/json.hpp>

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
// The steps the database keeps from the completed requests (migrations/postgres/0035).
const Stmt kListSteps{"scoring_lifecycle_steps",
                      "SELECT account_id, type, channel, completed_at, amount_due_minor "
                      "FROM lifecycle_steps WHERE tenant_id = $1 AND account_id IN "
                      "(SELECT json_array_elements_text($2::json)) "
                      "ORDER BY account_id, completed_at, request_id"};
const Stmt kListFailures{"scoring_payment_failures",
                         "SELECT account_id, created_at FROM audit_entries WHERE tenant_id = $1 "
                         "AND action = 'payment.failed' AND account_id IN "
                         "(SELECT json_array_elements_text($2::json)) "
                         "ORDER BY account_id, created_at"};

// One statement for the whole batch: the rows come as one JSON array (json_to_recordset).
const Stmt kUpsertScores{
    "account_scores_upsert",
    "INSERT INTO account_scores (tenant_id, account_id, model_version, rank_ppb, features, "
    "scored_at) SELECT $1, x.account_id, x.model_version, x.rank_ppb, x.features, x.scored_at "
    "FROM json_to_recordset($2::json) AS x(account_id text, model_version bigint, "
    "rank_ppb bigint, features text, scored_at bigint) "
    "ON CONFLICT (tenant_id, account_id) DO UPDATE SET model_version = EXCLUDED.model_version, "
    "rank_ppb = EXCLUDED.rank_ppb, features = EXCLUDED.features, scored_at = EXCLUDED.scored_at"};
const Stmt kDeleteScoresBefore{
    "account_scores_delete_before",
    "DELETE FROM account_scores WHERE tenant_id = $1 AND scored_at < $2"};
#define SB_PG_SCORE_COLS                                                              \
  "s.tenant_id, s.account_id, s.model_version, s.rank_ppb, s.features, s.scored_at, " \
  "COALESCE(a.external_ref, ''), COALESCE(a.status, '')"
const Stmt kGetScore{"account_score_get", "SELECT " SB_PG_SCORE_COLS
                                          " FROM account_scores s LEFT JOIN accounts a "
                                          "ON a.tenant_id = s.tenant_id AND a.id = s.account_id "
                                          "WHERE s.tenant_id = $1 AND s.account_id = $2"};
// The first page, then the page after ($2 rank, $3 account) in the order rank DESC, account
// ASC: its first clause is a range of the index, the second skips the ties already shown.
#define SB_PG_OUTREACH                                    \
  "SELECT " SB_PG_SCORE_COLS                              \
  " FROM account_scores s JOIN accounts a "               \
  "ON a.tenant_id = s.tenant_id AND a.id = s.account_id " \
  "WHERE s.tenant_id = $1 AND a.status IN ('suspended', 'dormant') "
const Stmt kOutreachFirst{"outreach_first",
                          SB_PG_OUTREACH "ORDER BY s.rank_ppb DESC, s.account_id LIMIT $2"};
const Stmt kOutreachAfter{"outreach_after", SB_PG_OUTREACH
                          "AND s.rank_ppb <= $2 AND (s.rank_ppb < $2 OR s.account_id > $3) "
                          "ORDER BY s.rank_ppb DESC, s.account_id LIMIT $4"};

domain::StoredScore ReadScore(RowReader& r) {
  domain::StoredScore s;
  s.tenant_id = r.Str();
  s.account_id = r.Str();
  s.model_version = r.Int();
  s.rank_ppb = r.Int();
  s.features = DecodeNumberList(r.Str());
  s.scored_at = r.Int();
  s.external_ref = r.Str();
  s.status = EnumOr<domain::AccountStatus>(r.Str());
  return s;
}

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

Status PgTx::UpsertAccountScores(const std::vector<domain::StoredScore>& scores) {
  if (scores.empty()) return Status::Ok();
  boost::json::array rows;
  rows.reserve(scores.size());
  for (const domain::StoredScore& r : scores) {
    if (r.tenant_id != scores.front().tenant_id) {
      return Status::Internal("UpsertAccountScores: scores of more than one tenant");
    }
    rows.push_back(boost::json::object{{"account_id", r.account_id},
                                       {"model_version", r.model_version},
                                       {"rank_ppb", r.rank_ppb},
                                       {"features", EncodeNumberList(r.features)},
                                       {"scored_at", r.scored_at}});
  }
  Params p;
  p.Text(scores.front().tenant_id).Text(boost::json::serialize(rows));
  return Exec(kUpsertScores, p).status();
}

Result<std::int64_t> PgTx::DeleteAccountScoresBefore(std::string_view tenant_id,
                                                     Timestamp scored_at) {
  SB_ASSIGN_OR_RETURN(PgResult r,
                      Exec(kDeleteScoresBefore, Params().Text(tenant_id).Int(scored_at)));
  return r.affected();
}

Result<domain::StoredScore> PgTx::GetAccountScore(std::string_view tenant_id,
                                                  std::string_view account_id) {
  return One(kGetScore, Params().Text(tenant_id).Text(account_id), "account score", &ReadScore);
}

Result<domain::Page<domain::StoredScore>> PgTx::ListOutreach(std::string_view tenant_id,
                                                             const domain::StoredScore* after,
                                                             int limit) {
  limit = PageLimit(limit);
  Params p;
  p.Text(tenant_id);
  if (after) p.Int(after->rank_ppb).Text(after->account_id);
  p.Int(limit + 1);
  return PageOf(after ? kOutreachAfter : kOutreachFirst, p, limit, &ReadScore,
                &domain::StoredScore::account_id);
}

}  // namespace sb::storage::postgres
