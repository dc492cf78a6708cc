// Fraud signals: the rules that fired and the alerts received (app/fraud/fraud_rules.h).
#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::FraudSignal;

#define SB_SIGNAL_COLS \
  "tenant_id, id, rule, account_id, request_id, hold_request_id, figures_json, created_at"
constexpr const char* kInsertSignal =
    "INSERT INTO fraud_signals (" SB_SIGNAL_COLS ") VALUES (?,?,?,?,?,?,?,?)";
constexpr const char* kListSignals =
    "SELECT " SB_SIGNAL_COLS
    " FROM fraud_signals WHERE tenant_id = ?1 AND (?2 = '' OR account_id = ?2) "
    "AND (?3 = '' OR id < ?3) ORDER BY id DESC LIMIT ?4";

FraudSignal ReadSignal(const Stmt& s) {
  FraudSignal f;
  f.tenant_id = s.ColText(0);
  f.id = s.ColText(1);
  f.rule = s.ColText(2);
  f.account_id = s.ColText(3);
  f.request_id = s.ColText(4);
  f.hold_request_id = s.ColText(5);
  f.figures_json = s.ColText(6);
  f.created_at = s.ColInt(7);
  return f;
}

}  // namespace

Status SqliteTx::InsertFraudSignal(const FraudSignal& f) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertSignal);
  s.Text(f.tenant_id).Text(f.id).Text(f.rule).Text(f.account_id).Text(f.request_id);
  return s.Text(f.hold_request_id).Text(f.figures_json).Int(f.created_at).Run();
}

Result<domain::Page<FraudSignal>> SqliteTx::ListFraudSignals(std::string_view tenant_id,
                                                             const domain::FraudSignalFilter& f) {
  int limit = PageLimit(f.limit);
  Stmt s(conn_, kListSignals);
  s.Text(tenant_id).Text(f.account_id).Text(f.starting_after).Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<FraudSignal>(s, ReadSignal));
  return MakePage(std::move(rows), limit);
}

}  // namespace sb::storage::sqlite
