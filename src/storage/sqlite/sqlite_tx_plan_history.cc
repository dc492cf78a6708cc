// Plan history of services (migration 0011): appended by plan changes, added services and
// reactivations, read by a reactivation that restores the plan a service had before.
#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::PlanHistoryEntry;

#define SB_PLAN_HISTORY_COLS "tenant_id, id, account_id, service_id, plan_code, request_id, at"
constexpr const char* kInsertPlanHistory =
    "INSERT INTO plan_history (" SB_PLAN_HISTORY_COLS ") VALUES (?,?,?,?,?,?,?)";
constexpr const char* kListPlanHistory =
    "SELECT " SB_PLAN_HISTORY_COLS
    " FROM plan_history WHERE tenant_id = ? AND account_id = ? ORDER BY at, id";

PlanHistoryEntry ReadPlanHistory(const Stmt& s) {
  PlanHistoryEntry e;
  e.tenant_id = s.ColText(0);
  e.id = s.ColText(1);
  e.account_id = s.ColText(2);
  e.service_id = s.ColText(3);
  e.plan_code = s.ColText(4);
  e.request_id = s.ColText(5);
  e.at = s.ColInt(6);
  return e;
}

}  // namespace

Status SqliteTx::InsertPlanHistory(const PlanHistoryEntry& e) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertPlanHistory);
  s.Text(e.tenant_id).Text(e.id).Text(e.account_id).Text(e.service_id).Text(e.plan_code);
  return s.Text(e.request_id).Int(e.at).Run();
}

Result<std::vector<PlanHistoryEntry>> SqliteTx::ListPlanHistory(std::string_view tenant_id,
                                                                std::string_view account_id) {
  Stmt s(conn_, kListPlanHistory);
  s.Text(tenant_id).Text(account_id);
  return CollectRows<PlanHistoryEntry>(s, ReadPlanHistory);
}

}  // namespace sb::storage::sqlite
