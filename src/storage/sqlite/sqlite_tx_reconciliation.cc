// Reconciliation runs and their drift items (app/reconciliation/).
#include "domain/reconciliation.h"
#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::DriftItem;
using domain::ReconciliationRun;

#define SB_RUN_COLS                                                                        \
  "tenant_id, id, source, origin, format, file_sha256, actor_type, actor_id, actor_role, " \
  "rows_read, rows_rejected, rows_in_step, service_status_drift, account_status_drift, "   \
  "amount_due_drift, repairs_filed, queued, already_open, rejected_json, created_at, finished_at"
constexpr const char* kInsertRun = "INSERT INTO reconciliation_runs (" SB_RUN_COLS
                                   ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kUpdateRun =
    "UPDATE reconciliation_runs SET rows_read = ?3, rows_rejected = ?4, rows_in_step = ?5, "
    "service_status_drift = ?6, account_status_drift = ?7, amount_due_drift = ?8, "
    "repairs_filed = ?9, queued = ?10, already_open = ?11, rejected_json = ?12, "
    "finished_at = ?13 WHERE tenant_id = ?1 AND id = ?2";
constexpr const char* kGetRun =
    "SELECT " SB_RUN_COLS " FROM reconciliation_runs WHERE tenant_id = ?1 AND id = ?2";
constexpr const char* kFindRun = "SELECT " SB_RUN_COLS
                                 " FROM reconciliation_runs WHERE tenant_id = ?1 AND source = ?2 "
                                 "AND origin = ?3 AND file_sha256 = ?4";
constexpr const char* kListRuns = "SELECT " SB_RUN_COLS
                                  " FROM reconciliation_runs WHERE tenant_id = ?1 "
                                  "AND (?2 = '' OR id < ?2) ORDER BY id DESC LIMIT ?3";

#define SB_ITEM_COLS                                                                  \
  "tenant_id, id, run_id, source, account_id, external_ref, service_id, kind, "       \
  "switchboard_value, source_value, truth, action, request_id, known_item_id, open, " \
  "resolution, note, found_at, closed_at"
constexpr const char* kInsertItem =
    "INSERT INTO drift_items (" SB_ITEM_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kUpdateItem =
    "UPDATE drift_items SET request_id = ?3, open = ?4, resolution = ?5, note = ?6, "
    "closed_at = ?7 WHERE tenant_id = ?1 AND id = ?2";
constexpr const char* kGetItem =
    "SELECT " SB_ITEM_COLS " FROM drift_items WHERE tenant_id = ?1 AND id = ?2";
constexpr const char* kOpenItems =
    "SELECT " SB_ITEM_COLS
    " FROM drift_items WHERE tenant_id = ?1 AND account_id = ?2 AND open = 1";

// The item list's filters, in the order of ListDriftItems' binds.
const ListQuery kListItems("SELECT " SB_ITEM_COLS " FROM drift_items WHERE tenant_id = ?",
                           {" AND run_id = ?", " AND open = ?", " AND kind = ?", " AND id > ?"},
                           " ORDER BY id LIMIT ?");

ReconciliationRun ReadRun(const Stmt& s) {
  ReconciliationRun r;
  r.tenant_id = s.ColText(0);
  r.id = s.ColText(1);
  r.source = s.ColText(2);
  r.origin = s.ColText(3);
  r.format = s.ColText(4);
  r.file_sha256 = s.ColText(5);
  r.actor.type = ParseOr(s.ColText(6), domain::ActorType::kSystem);
  r.actor.id = s.ColText(7);
  if (auto role = s.ColOptText(8)) r.actor.role = domain::Parse<domain::Role>(*role);
  r.rows_read = s.ColInt(9);
  r.rows_rejected = s.ColInt(10);
  r.rows_in_step = s.ColInt(11);
  r.service_status_drift = s.ColInt(12);
  r.account_status_drift = s.ColInt(13);
  r.amount_due_drift = s.ColInt(14);
  r.repairs_filed = s.ColInt(15);
  r.queued = s.ColInt(16);
  r.already_open = s.ColInt(17);
  r.rejected_json = s.ColText(18);
  r.created_at = s.ColInt(19);
  r.finished_at = s.ColInt(20);
  return r;
}

DriftItem ReadItem(const Stmt& s) {
  DriftItem d;
  d.tenant_id = s.ColText(0);
  d.id = s.ColText(1);
  d.run_id = s.ColText(2);
  d.source = s.ColText(3);
  d.account_id = s.ColText(4);
  d.external_ref = s.ColText(5);
  d.service_id = s.ColText(6);
  d.kind = domain::ParseDriftKind(s.ColText(7)).value_or(domain::DriftKind::kServiceStatus);
  d.switchboard_value = s.ColText(8);
  d.source_value = s.ColText(9);
  d.truth = domain::ParseDriftTruth(s.ColText(10)).value_or(domain::DriftTruth::kSwitchboard);
  d.action = s.ColText(11);
  d.request_id = s.ColText(12);
  d.known_item_id = s.ColText(13);
  d.open = s.ColInt(14) != 0;
  d.resolution = s.ColText(15);
  d.note = s.ColText(16);
  d.found_at = s.ColInt(17);
  d.closed_at = s.ColOptInt(18);
  return d;
}

std::optional<std::string> DriftRoleText(const domain::Actor& a) {
  if (!a.role) return std::nullopt;
  return std::string(domain::Name(*a.role));
}

void BindCounters(Stmt& s, const ReconciliationRun& r) {
  s.Int(r.rows_read).Int(r.rows_rejected).Int(r.rows_in_step).Int(r.service_status_drift);
  s.Int(r.account_status_drift).Int(r.amount_due_drift).Int(r.repairs_filed).Int(r.queued);
  s.Int(r.already_open).Text(r.rejected_json);
}

}  // namespace

Status SqliteTx::InsertReconciliationRun(const ReconciliationRun& r) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertRun);
  s.Text(r.tenant_id).Text(r.id).Text(r.source).Text(r.origin).Text(r.format).Text(r.file_sha256);
  s.Text(domain::Name(r.actor.type)).Text(r.actor.id).OptText(DriftRoleText(r.actor));
  BindCounters(s, r);
  s.Int(r.created_at).Int(r.finished_at);
  return s.Run();
}

Status SqliteTx::UpdateReconciliationRun(const ReconciliationRun& r) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpdateRun);
  s.Text(r.tenant_id).Text(r.id);
  BindCounters(s, r);
  s.Int(r.finished_at);
  SB_RETURN_IF_ERROR(s.Run());
  return RequireChanged(s, "reconciliation run");
}

Result<ReconciliationRun> SqliteTx::GetReconciliationRun(std::string_view tenant_id,
                                                         std::string_view id) {
  Stmt s(conn_, kGetRun);
  s.Text(tenant_id).Text(id);
  return OneRow<ReconciliationRun>(s, "reconciliation run", ReadRun);
}

Result<ReconciliationRun> SqliteTx::FindReconciliationRun(std::string_view tenant_id,
                                                          std::string_view source,
                                                          std::string_view origin,
                                                          std::string_view file_sha256) {
  Stmt s(conn_, kFindRun);
  s.Text(tenant_id).Text(source).Text(origin).Text(file_sha256);
  return OneRow<ReconciliationRun>(s, "reconciliation run", ReadRun);
}

Result<domain::Page<ReconciliationRun>> SqliteTx::ListReconciliationRuns(
    std::string_view tenant_id, std::string_view starting_after, int limit) {
  limit = PageLimit(limit);
  Stmt s(conn_, kListRuns);
  s.Text(tenant_id).Text(starting_after).Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<ReconciliationRun>(s, ReadRun));
  return MakePage(std::move(rows), limit);
}

Status SqliteTx::InsertDriftItem(const DriftItem& d) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertItem);
  s.Text(d.tenant_id).Text(d.id).Text(d.run_id).Text(d.source).Text(d.account_id);
  s.Text(d.external_ref).Text(d.service_id).Text(domain::Name(d.kind)).Text(d.switchboard_value);
  s.Text(d.source_value).Text(domain::Name(d.truth)).Text(d.action).Text(d.request_id);
  s.Text(d.known_item_id).Int(d.open ? 1 : 0).Text(d.resolution).Text(d.note).Int(d.found_at);
  s.OptInt(d.closed_at);
  return s.Run();
}

Status SqliteTx::UpdateDriftItem(const DriftItem& d) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpdateItem);
  s.Text(d.tenant_id).Text(d.id).Text(d.request_id).Int(d.open ? 1 : 0).Text(d.resolution);
  s.Text(d.note).OptInt(d.closed_at);
  SB_RETURN_IF_ERROR(s.Run());
  return RequireChanged(s, "drift item");
}

Result<DriftItem> SqliteTx::GetDriftItem(std::string_view tenant_id, std::string_view id) {
  Stmt s(conn_, kGetItem);
  s.Text(tenant_id).Text(id);
  return OneRow<DriftItem>(s, "drift item", ReadItem);
}

Result<domain::Page<DriftItem>> SqliteTx::ListDriftItems(std::string_view tenant_id,
                                                         const domain::DriftItemFilter& f) {
  int limit = PageLimit(f.limit);
  unsigned mask = (f.run_id.empty() ? 0u : 1u) | (f.open ? 2u : 0u) | (f.kind ? 4u : 0u) |
                  (f.starting_after.empty() ? 0u : 8u);
  Stmt s(conn_, kListItems.Sql(mask));
  s.Text(tenant_id);
  if (!f.run_id.empty()) s.Text(f.run_id);
  if (f.open) s.Int(*f.open ? 1 : 0);
  if (f.kind) s.Text(domain::Name(*f.kind));
  if (!f.starting_after.empty()) s.Text(f.starting_after);
  s.Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<DriftItem>(s, ReadItem));
  return MakePage(std::move(rows), limit);
}

Result<std::vector<DriftItem>> SqliteTx::ListOpenDriftItems(std::string_view tenant_id,
                                                            std::string_view account_id) {
  Stmt s(conn_, kOpenItems);
  s.Text(tenant_id).Text(account_id);
  return CollectRows<DriftItem>(s, ReadItem);
}

}  // namespace sb::storage::sqlite
