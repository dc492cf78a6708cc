// Fraud signals: the rules that fired and the alerts received (app/fraud/fraud_rules.h).
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::FraudSignal;

#define SB_SIGNAL_COLS \
  "tenant_id, id, rule, account_id, request_id, hold_request_id, figures_json, created_at"
const Stmt kInsertSignal{"fraud_signal_insert",
                         "INSERT INTO fraud_signals (" SB_SIGNAL_COLS
                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING"};
const Stmt kListSignals{"fraud_signal_list",
                        "SELECT " SB_SIGNAL_COLS
                        " FROM fraud_signals WHERE tenant_id = $1 "
                        "AND ($2::text = '' OR account_id = $2) "
                        "AND ($3::text = '' OR id < $3) ORDER BY id DESC LIMIT $4"};

FraudSignal ReadSignal(RowReader& r) {
  FraudSignal f;
  f.tenant_id = r.Str();
  f.id = r.Str();
  f.rule = r.Str();
  f.account_id = r.Str();
  f.request_id = r.Str();
  f.hold_request_id = r.Str();
  f.figures_json = r.Str();
  f.created_at = r.Int();
  return f;
}

}  // namespace

Status PgTx::InsertFraudSignal(const FraudSignal& f) {
  Params p;
  p.Text(f.tenant_id).Text(f.id).Text(f.rule).Text(f.account_id).Text(f.request_id);
  p.Text(f.hold_request_id).Text(f.figures_json).Int(f.created_at);
  return Insert(kInsertSignal, p);
}

Result<domain::Page<FraudSignal>> PgTx::ListFraudSignals(std::string_view tenant_id,
                                                         const domain::FraudSignalFilter& f) {
  int limit = PageLimit(f.limit);
  Params p;
  p.Text(tenant_id).Text(f.account_id).Text(f.starting_after).Int(limit + 1);
  return PageOf(kListSignals, p, limit, &ReadSignal, &FraudSignal::id);
}

}  // namespace sb::storage::postgres
