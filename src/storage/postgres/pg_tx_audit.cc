// Audit entries, the Merkle log (tree nodes and size) and checkpoints.

#include <algorithm>
#include <boost/json.hpp>

#include "crypto/crypto.h"
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::AuditEntry;
using domain::Checkpoint;
using domain::Page;

#define SB_AUDIT_COLS                                                                         \
  "tenant_id, id, category, action, actor_type, actor_id, actor_role, channel, reason_code, " \
  "comment, request_id, correlation_id, subject_type, subject_id, account_id, before_json, "  \
  "after_json, created_at, leaf_index, leaf_hash"
const MultiRowInsert kInsertAudit{
    "audit_insert", "INSERT INTO audit_entries (" SB_AUDIT_COLS ") VALUES ", 20, PgTx::kMaxPending,
    /*fail_on_duplicate=*/true};
const Stmt kGetAudit{
    "audit_get", "SELECT " SB_AUDIT_COLS " FROM audit_entries WHERE tenant_id = $1 AND id = $2"};
const Stmt kListAudit{"audit_list", "SELECT " SB_AUDIT_COLS
                                    " FROM audit_entries WHERE tenant_id = $1 "
                                    "AND ($2::text IS NULL OR account_id = $2) "
                                    "AND ($3::text IS NULL OR category = $3) "
                                    "AND ($4::text IS NULL OR request_id = $4) "
                                    "AND ($5::text = '' OR id < $5) "
                                    "AND ($7::bigint IS NULL OR created_at >= $7) "
                                    "AND ($8::bigint IS NULL OR created_at < $8) "
                                    "AND ($9::text IS NULL OR actor_id = $9) "
                                    "ORDER BY id DESC LIMIT $6"};
// Crosses tenants: a privileged call (migrations/postgres/0013).
const Stmt kUnsequencedTenants{"audit_unsequenced_tenants",
                               "SELECT * FROM switchboard_tenants_with_unsequenced_audit()",
                               Reach::kServer};
const Stmt kListUnsequenced{"audit_unsequenced",
                            "SELECT " SB_AUDIT_COLS
                            " FROM audit_entries WHERE tenant_id = $1 AND leaf_index IS NULL "
                            "ORDER BY created_at, id LIMIT $2"};
// A batch of leaves in one statement: the rows come as one JSON array (json_to_recordset),
// hashes in hex.
const Stmt kSetLeaves{"audit_set_leaves",
                      "UPDATE audit_entries a SET leaf_index = x.leaf_index, "
                      "leaf_hash = decode(x.leaf_hash, 'hex') FROM json_to_recordset($2::json) "
                      "AS x(id text, leaf_index bigint, leaf_hash text) "
                      "WHERE a.tenant_id = $1 AND a.id = x.id"};
const Stmt kListByIndex{"audit_by_index",
                        "SELECT " SB_AUDIT_COLS
                        " FROM audit_entries WHERE tenant_id = $1 AND leaf_index >= $2 "
                        "AND leaf_index < $3 ORDER BY leaf_index"};
const Stmt kReadByIndexAfter{"audit_by_index_after",
                             "SELECT " SB_AUDIT_COLS
                             " FROM audit_entries WHERE tenant_id = $1 AND leaf_index > $2 "
                             "ORDER BY leaf_index LIMIT $3"};

// Creates the row on first use so that FOR UPDATE always has a row to lock.
const Stmt kLockLogSize{"log_size_lock",
                        "INSERT INTO audit_log_state (tenant_id, size) VALUES ($1, 0) "
                        "ON CONFLICT (tenant_id) DO UPDATE SET size = audit_log_state.size "
                        "RETURNING size"};
const Stmt kGetLogSize{"log_size_get", "SELECT size FROM audit_log_state WHERE tenant_id = $1"};
const Stmt kSetLogSize{"log_size_set",
                       "INSERT INTO audit_log_state (tenant_id, size) VALUES ($1, $2) "
                       "ON CONFLICT (tenant_id) DO UPDATE SET size = EXCLUDED.size"};
const Stmt kPutNodes{"tree_nodes_put",
                     "INSERT INTO audit_tree_nodes (tenant_id, level, idx, hash) "
                     "SELECT $1, x.level, x.idx, decode(x.hash, 'hex') "
                     "FROM json_to_recordset($2::json) AS x(level integer, idx bigint, hash text) "
                     "ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hash = EXCLUDED.hash"};
const Stmt kGetNode{"tree_node_get",
                    "SELECT hash FROM audit_tree_nodes "
                    "WHERE tenant_id = $1 AND level = $2 AND idx = $3"};
const Stmt kListNodes{"tree_node_list",
                      "SELECT idx, hash FROM audit_tree_nodes WHERE tenant_id = $1 AND level = $2 "
                      "AND idx >= $3 AND idx < $4 ORDER BY idx"};
const Stmt kFindLeaf{"tree_leaf_find",
                     "SELECT idx FROM audit_tree_nodes WHERE tenant_id = $1 AND level = 0 "
                     "AND hash = $2 ORDER BY idx LIMIT 1"};

#define SB_CHECKPOINT_COLS "tenant_id, tree_size, root_hash, created_at, key_id, signature"
// The checkpoint, and the log's signed size kept in step (migration 0028): what
// TenantsWithUnsequencedAudit reads. One statement, one round trip.
const Stmt kInsertCheckpoint{
    "checkpoint_insert",
    "WITH signed AS (UPDATE audit_log_state SET signed_size = GREATEST(signed_size, $2) "
    "WHERE tenant_id = $1) "
    "INSERT INTO audit_checkpoints (" SB_CHECKPOINT_COLS
    ") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"};
const Stmt kLatestCheckpoint{"checkpoint_latest",
                             "SELECT " SB_CHECKPOINT_COLS
                             " FROM audit_checkpoints WHERE tenant_id = $1 "
                             "ORDER BY tree_size DESC, created_at DESC LIMIT 1"};
const Stmt kListCheckpointsAfter{
    "checkpoint_list_after",
    "SELECT " SB_CHECKPOINT_COLS
    " FROM audit_checkpoints WHERE tenant_id = $1 AND (tree_size, created_at) > ($2, $3) "
    "ORDER BY tree_size, created_at LIMIT $4"};

AuditEntry ReadAudit(RowReader& r) {
  AuditEntry e;
  e.tenant_id = r.Str();
  e.id = r.Str();
  e.category = EnumOr<domain::AuditCategory>(r.Str());
  e.action = r.Str();
  e.actor.type = EnumOr<domain::ActorType>(r.Str());
  e.actor.id = r.Str();
  if (auto role = r.OptStr()) e.actor.role = domain::Parse<domain::Role>(*role);
  e.channel = EnumOr<domain::Channel>(r.Str());
  e.reason_code = r.Str();
  e.comment = r.Str();
  e.request_id = r.Str();
  e.correlation_id = r.Str();
  e.subject_type = r.Str();
  e.subject_id = r.Str();
  e.account_id = r.Str();
  e.before_json = r.Str();
  e.after_json = r.Str();
  e.created_at = r.Int();
  e.leaf_index = r.OptInt();
  e.leaf_hash = r.Str();
  return e;
}

Checkpoint ReadCheckpoint(RowReader& r) {
  Checkpoint c;
  c.tenant_id = r.Str();
  c.tree_size = r.Int();
  c.root_hash = r.Str();
  c.created_at = r.Int();
  c.key_id = r.Str();
  c.signature = r.Str();
  return c;
}

Params& OptEnumText(Params& p, std::optional<std::string_view> v) {
  return v ? p.Text(*v) : p.Null();
}

}  // namespace

Status PgTx::InsertAuditEntry(const AuditEntry& e) {
  Params p;
  p.Text(e.tenant_id).Text(e.id).Text(domain::Name(e.category)).Text(e.action);
  p.Text(domain::Name(e.actor.type)).Text(e.actor.id);
  OptEnumText(p, e.actor.role ? std::optional(domain::Name(*e.actor.role)) : std::nullopt);
  p.Text(domain::Name(e.channel)).Text(e.reason_code).Text(e.comment).Text(e.request_id);
  p.Text(e.correlation_id).Text(e.subject_type).Text(e.subject_id).Text(e.account_id);
  p.Text(e.before_json).Text(e.after_json).Int(e.created_at).OptInt(e.leaf_index);
  p.Bytes(e.leaf_index ? std::string_view(e.leaf_hash) : std::string_view());
  return KeepPending(pending_audit_, e.tenant_id, std::move(p), kInsertAudit);
}

Result<AuditEntry> PgTx::GetAuditEntry(std::string_view tenant_id, std::string_view id) {
  return One(kGetAudit, Params().Text(tenant_id).Text(id), "audit entry", &ReadAudit);
}

Result<Page<AuditEntry>> PgTx::ListAuditEntries(std::string_view tenant_id,
                                                const domain::AuditFilter& f) {
  int limit = PageLimit(f.limit);
  Params p;
  p.Text(tenant_id).OptText(f.account_id);
  OptEnumText(p, f.category ? std::optional(domain::Name(*f.category)) : std::nullopt);
  p.OptText(f.request_id).Text(f.starting_after).Int(limit + 1);
  p.OptInt(f.created_from).OptInt(f.created_to).OptText(f.actor_id);
  return PageOf(kListAudit, p, limit, &ReadAudit, &AuditEntry::id);
}

Result<std::vector<std::string>> PgTx::TenantsWithUnsequencedAudit() {
  return Many<std::string>(kUnsequencedTenants, Params(),
                           [](RowReader& r) -> std::string { return r.Str(); });
}

Result<std::vector<AuditEntry>> PgTx::ListUnsequencedAudit(std::string_view tenant_id, int limit) {
  return Many(kListUnsequenced, Params().Text(tenant_id).Int(limit), &ReadAudit);
}

Status PgTx::SetAuditLeaves(std::string_view tenant_id,
                            const std::vector<domain::AuditLeaf>& leaves) {
  if (leaves.empty()) return Status::Ok();
  boost::json::array rows;
  rows.reserve(leaves.size());
  for (const domain::AuditLeaf& leaf : leaves) {
    rows.push_back(boost::json::object{{"id", leaf.entry_id},
                                       {"leaf_index", leaf.leaf_index},
                                       {"leaf_hash", crypto::Hex(leaf.leaf_hash)}});
  }
  SB_ASSIGN_OR_RETURN(
      PgResult r, Exec(kSetLeaves, Params().Text(tenant_id).Text(boost::json::serialize(rows))));
  if (r.affected() != static_cast<std::int64_t>(leaves.size())) {
    return Status::NotFound("audit entry");
  }
  return Status::Ok();
}

Result<std::vector<AuditEntry>> PgTx::ListAuditByIndex(std::string_view tenant_id,
                                                       std::int64_t from, std::int64_t to) {
  return Many(kListByIndex, Params().Text(tenant_id).Int(from).Int(to), &ReadAudit);
}

// A heap table has no order of its own to read faster in: by leaf index, through its index.
Result<std::size_t> PgTx::ReadAuditInStoreOrder(std::string_view tenant_id, std::string_view,
                                                std::int64_t after_leaf_index, std::size_t limit,
                                                std::vector<AuditEntry>& out) {
  Params p;
  p.Text(tenant_id).Int(after_leaf_index).Int(static_cast<std::int64_t>(limit));
  SB_ASSIGN_OR_RETURN(std::vector<AuditEntry> rows, Many(kReadByIndexAfter, p, &ReadAudit));
  if (out.size() < rows.size()) out.resize(rows.size());
  std::move(rows.begin(), rows.end(), out.begin());
  return rows.size();
}

Result<std::int64_t> PgTx::GetLogSize(std::string_view tenant_id) {
  // Writers lock the row (creating it if needed); READ ONLY transactions just read it.
  SB_ASSIGN_OR_RETURN(PgResult r, writable_ ? Exec(kLockLogSize, Params().Text(tenant_id))
                                            : Query(kGetLogSize, Params().Text(tenant_id)));
  return r.rows() == 0 ? std::int64_t{0} : r.Int(0, 0);
}

Status PgTx::SetLogSize(std::string_view tenant_id, std::int64_t size) {
  return Exec(kSetLogSize, Params().Text(tenant_id).Int(size)).status();
}

Status PgTx::PutTreeNodes(std::string_view tenant_id,
                          const std::vector<domain::merkle::TreeNode>& nodes) {
  if (nodes.empty()) return Status::Ok();
  boost::json::array rows;
  rows.reserve(nodes.size());
  for (const domain::merkle::TreeNode& n : nodes) {
    rows.push_back(
        boost::json::object{{"level", n.level}, {"idx", n.index}, {"hash", crypto::Hex(n.hash)}});
  }
  return Exec(kPutNodes, Params().Text(tenant_id).Text(boost::json::serialize(rows))).status();
}

Result<std::string> PgTx::GetTreeNode(std::string_view tenant_id, int level, std::int64_t index) {
  SB_ASSIGN_OR_RETURN(PgResult r, Query(kGetNode, Params().Text(tenant_id).Int(level).Int(index)));
  if (r.rows() == 0) return Status::NotFound("tree node");
  return r.Str(0, 0);
}

Status PgTx::InsertCheckpoint(const Checkpoint& c) {
  Params p;
  p.Text(c.tenant_id).Int(c.tree_size).Bytes(c.root_hash).Int(c.created_at).Text(c.key_id);
  p.Bytes(c.signature);
  return Insert(kInsertCheckpoint, p);
}

Result<Checkpoint> PgTx::LatestCheckpoint(std::string_view tenant_id) {
  return One(kLatestCheckpoint, Params().Text(tenant_id), "checkpoint", &ReadCheckpoint);
}

Result<std::vector<Checkpoint>> PgTx::ListCheckpointsAfter(std::string_view tenant_id,
                                                           std::int64_t after_size,
                                                           Timestamp after_created_at, int limit) {
  Params p;
  p.Text(tenant_id).Int(after_size).Int(after_created_at).Int(limit);
  return Many(kListCheckpointsAfter, p, &ReadCheckpoint);
}

Result<std::vector<domain::merkle::TreeNode>> PgTx::ListTreeNodes(std::string_view tenant_id,
                                                                  int level, std::int64_t from,
                                                                  std::int64_t to) {
  SB_ASSIGN_OR_RETURN(PgResult r,
                      Query(kListNodes, Params().Text(tenant_id).Int(level).Int(from).Int(to)));
  std::vector<domain::merkle::TreeNode> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back({level, r.Int(i, 0), r.Str(i, 1)});
  return out;
}

Result<std::optional<std::int64_t>> PgTx::FindLeafPosition(std::string_view tenant_id,
                                                           std::string_view leaf_hash) {
  SB_ASSIGN_OR_RETURN(PgResult r, Query(kFindLeaf, Params().Text(tenant_id).Bytes(leaf_hash)));
  if (r.rows() == 0) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(r.Int(0, 0));
}

Status PgTx::FlushAudit() { return WritePending(pending_audit_, kInsertAudit); }

const MultiRowInsert& PgTx::AuditInsert() { return kInsertAudit; }

}  // namespace sb::storage::postgres
