// Reconciliation runs and their drift items (app/reconciliation/).
#include "domain/reconciliation.h"
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::DriftItem;
using domain::ReconciliationRun;

#define SB_RUN_COLS                                                                        \
  "tenant_id, id, source, origin, format, file_sha256, actor_type, actor_id, actor_role, " \
  "rows_read, rows_rejected, rows_in_step, service_status_drift, account_status_drift, "   \
  "amount_due_drift, repairs_filed, queued, already_open, rejected_json, created_at, finished_at"
// A taken (source, origin, hash) is a conflict as a taken id is: Insert reports either.
const Stmt kInsertRun{"recon_run_insert",
                      "INSERT INTO reconciliation_runs (" SB_RUN_COLS
                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                      "$15, $16, $17, $18, $19, $20, $21) ON CONFLICT DO NOTHING"};
const Stmt kUpdateRun{
    "recon_run_update",
    "UPDATE reconciliation_runs SET rows_read = $3, rows_rejected = $4, rows_in_step = $5, "
    "service_status_drift = $6, account_status_drift = $7, amount_due_drift = $8, "
    "repairs_filed = $9, queued = $10, already_open = $11, rejected_json = $12, "
    "finished_at = $13 WHERE tenant_id = $1 AND id = $2"};
const Stmt kGetRun{"recon_run_get", "SELECT " SB_RUN_COLS
                                    " FROM reconciliation_runs WHERE tenant_id = $1 AND id = $2"};
const Stmt kFindRun{"recon_run_find",
                    "SELECT " SB_RUN_COLS
                    " FROM reconciliation_runs WHERE tenant_id = $1 AND source = $2 "
                    "AND origin = $3 AND file_sha256 = $4"};
const Stmt kListRuns{"recon_run_list", "SELECT " SB_RUN_COLS
                                       " FROM reconciliation_runs WHERE tenant_id = $1 "
                                       "AND ($2::text = '' OR id < $2) ORDER BY id DESC LIMIT $3"};

#define SB_ITEM_COLS                                                                  \
  "tenant_id, id, run_id, source, account_id, external_ref, service_id, kind, "       \
  "switchboard_value, source_value, truth, action, request_id, known_item_id, open, " \
  "resolution, note, found_at, closed_at"
const Stmt kInsertItem{"drift_item_insert",
                       "INSERT INTO drift_items (" SB_ITEM_COLS
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                       "$15, $16, $17, $18, $19) ON CONFLICT DO NOTHING"};
const Stmt kUpdateItem{"drift_item_update",
                       "UPDATE drift_items SET request_id = $3, open = $4, resolution = $5, "
                       "note = $6, closed_at = $7 WHERE tenant_id = $1 AND id = $2"};
const Stmt kGetItem{"drift_item_get",
                    "SELECT " SB_ITEM_COLS " FROM drift_items WHERE tenant_id = $1 AND id = $2"};
const Stmt kOpenItems{"drift_item_open",
                      "SELECT " SB_ITEM_COLS
                      " FROM drift_items WHERE tenant_id = $1 AND account_id = $2 AND open"};
// Each filter is off when its parameter is '' (open: 'true' or 'false').
const Stmt kListItems{"drift_item_list",
                      "SELECT " SB_ITEM_COLS
                      " FROM drift_items WHERE tenant_id = $1 AND ($2::text = '' OR run_id = $2) "
                      "AND ($3::text = '' OR open = ($3 = 'true')) "
                      "AND ($4::text = '' OR kind = $4) AND ($5::text = '' OR id > $5) "
                      "ORDER BY id LIMIT $6"};

ReconciliationRun ReadRun(RowReader& s) {
  ReconciliationRun r;
  r.tenant_id = s.Str();
  r.id = s.Str();
  r.source = s.Str();
  r.origin = s.Str();
  r.format = s.Str();
  r.file_sha256 = s.Str();
  r.actor.type = EnumOr<domain::ActorType>(s.Str());
  r.actor.id = s.Str();
  if (auto role = s.OptStr()) r.actor.role = domain::Parse<domain::Role>(*role);
  r.rows_read = s.Int();
  r.rows_rejected = s.Int();
  r.rows_in_step = s.Int();
  r.service_status_drift = s.Int();
  r.account_status_drift = s.Int();
  r.amount_due_drift = s.Int();
  r.repairs_filed = s.Int();
  r.queued = s.Int();
  r.already_open = s.Int();
  r.rejected_json = s.Str();
  r.created_at = s.Int();
  r.finished_at = s.Int();
  return r;
}

DriftItem ReadItem(RowReader& s) {
  DriftItem d;
  d.tenant_id = s.Str();
  d.id = s.Str();
  d.run_id = s.Str();
  d.source = s.Str();
  d.account_id = s.Str();
  d.external_ref = s.Str();
  d.service_id = s.Str();
  d.kind = domain::ParseDriftKind(s.Str()).value_or(domain::DriftKind::kServiceStatus);
  d.switchboard_value = s.Str();
  d.source_value = s.Str();
  d.truth = domain::ParseDriftTruth(s.Str()).value_or(domain::DriftTruth::kSwitchboard);
  d.action = s.Str();
  d.request_id = s.Str();
  d.known_item_id = s.Str();
  d.open = s.Bool();
  d.resolution = s.Str();
  d.note = s.Str();
  d.found_at = s.Int();
  d.closed_at = s.OptInt();
  return d;
}

std::optional<std::string> DriftRoleText(const domain::Actor& a) {
  if (!a.role) return std::nullopt;
  return std::string(domain::Name(*a.role));
}

void BindCounters(Params& s, const ReconciliationRun& r) {
  s.Int(r.rows_read).Int(r.rows_rejected).Int(r.rows_in_step).Int(r.service_status_drift);
  s.Int(r.account_status_drift).Int(r.amount_due_drift).Int(r.repairs_filed).Int(r.queued);
  s.Int(r.already_open).Text(r.rejected_json);
}

}  // namespace

Status PgTx::InsertReconciliationRun(const ReconciliationRun& r) {
  Params p;
  p.Text(r.tenant_id).Text(r.id).Text(r.source).Text(r.origin).Text(r.format).Text(r.file_sha256);
  p.Text(domain::Name(r.actor.type)).Text(r.actor.id).OptText(DriftRoleText(r.actor));
  BindCounters(p, r);
  p.Int(r.created_at).Int(r.finished_at);
  return Insert(kInsertRun, p);
}

Status PgTx::UpdateReconciliationRun(const ReconciliationRun& r) {
  Params p;
  p.Text(r.tenant_id).Text(r.id);
  BindCounters(p, r);
  p.Int(r.finished_at);
  return UpdateOne(kUpdateRun, p, "reconciliation run");
}

Result<ReconciliationRun> PgTx::GetReconciliationRun(std::string_view tenant_id,
                                                     std::string_view id) {
  Params p;
  p.Text(tenant_id).Text(id);
  return One(kGetRun, p, "reconciliation run", &ReadRun);
}

Result<ReconciliationRun> PgTx::FindReconciliationRun(std::string_view tenant_id,
                                                      std::string_view source,
                                                      std::string_view origin,
                                                      std::string_view file_sha256) {
  Params p;
  p.Text(tenant_id).Text(source).Text(origin).Text(file_sha256);
  return One(kFindRun, p, "reconciliation run", &ReadRun);
}

Result<domain::Page<ReconciliationRun>> PgTx::ListReconciliationRuns(
    std::string_view tenant_id, std::string_view starting_after, int limit) {
  limit = PageLimit(limit);
  Params p;
  p.Text(tenant_id).Text(starting_after).Int(limit + 1);
  return PageOf(kListRuns, p, limit, &ReadRun, &ReconciliationRun::id);
}

Status PgTx::InsertDriftItem(const DriftItem& d) {
  Params p;
  p.Text(d.tenant_id).Text(d.id).Text(d.run_id).Text(d.source).Text(d.account_id);
  p.Text(d.external_ref).Text(d.service_id).Text(domain::Name(d.kind)).Text(d.switchboard_value);
  p.Text(d.source_value).Text(domain::Name(d.truth)).Text(d.action).Text(d.request_id);
  p.Text(d.known_item_id).Bool(d.open).Text(d.resolution).Text(d.note).Int(d.found_at);
  p.OptInt(d.closed_at);
  return Insert(kInsertItem, p);
}

Status PgTx::UpdateDriftItem(const DriftItem& d) {
  Params p;
  p.Text(d.tenant_id).Text(d.id).Text(d.request_id).Bool(d.open).Text(d.resolution);
  p.Text(d.note).OptInt(d.closed_at);
  return UpdateOne(kUpdateItem, p, "drift item");
}

Result<DriftItem> PgTx::GetDriftItem(std::string_view tenant_id, std::string_view id) {
  Params p;
  p.Text(tenant_id).Text(id);
  return One(kGetItem, p, "drift item", &ReadItem);
}

Result<domain::Page<DriftItem>> PgTx::ListDriftItems(std::string_view tenant_id,
                                                     const domain::DriftItemFilter& f) {
  int limit = PageLimit(f.limit);
  Params p;
  p.Text(tenant_id).Text(f.run_id).Text(f.open ? (*f.open ? "true" : "false") : "");
  p.Text(f.kind ? std::string(domain::Name(*f.kind)) : std::string()).Text(f.starting_after);
  p.Int(limit + 1);
  return PageOf(kListItems, p, limit, &ReadItem, &DriftItem::id);
}

Result<std::vector<DriftItem>> PgTx::ListOpenDriftItems(std::string_view tenant_id,
                                                        std::string_view account_id) {
  Params p;
  p.Text(tenant_id).Text(account_id);
  return Many(kOpenItems, p, &ReadItem);
}

}  // namespace sb::storage::postgres
