// Plan history of services (migration 0011): appended by plan changes, added services and
// reactivations, read by a reactivation that restores the plan a service had before.
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::PlanHistoryEntry;

#define SB_PLAN_HISTORY_COLS "tenant_id, id, account_id, service_id, plan_code, request_id, at"
const Stmt kInsertPlanHistory{"plan_history_insert",
                              "INSERT INTO plan_history (" SB_PLAN_HISTORY_COLS
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"};
const Stmt kListPlanHistory{"plan_history_list",
                            "SELECT " SB_PLAN_HISTORY_COLS
                            " FROM plan_history WHERE tenant_id = $1 AND account_id = $2 "
                            "ORDER BY at, id"};

PlanHistoryEntry ReadPlanHistory(RowReader& r) {
  PlanHistoryEntry e;
  e.tenant_id = r.Str();
  e.id = r.Str();
  e.account_id = r.Str();
  e.service_id = r.Str();
  e.plan_code = r.Str();
  e.request_id = r.Str();
  e.at = r.Int();
  return e;
}

}  // namespace

Status PgTx::InsertPlanHistory(const PlanHistoryEntry& e) {
  Params p;
  p.Text(e.tenant_id).Text(e.id).Text(e.account_id).Text(e.service_id).Text(e.plan_code);
  p.Text(e.request_id).Int(e.at);
  return Insert(kInsertPlanHistory, p);
}

Result<std::vector<PlanHistoryEntry>> PgTx::ListPlanHistory(std::string_view tenant_id,
                                                            std::string_view account_id) {
  return Many(kListPlanHistory, Params().Text(tenant_id).Text(account_id), &ReadPlanHistory);
}

}  // namespace sb::storage::postgres
