// Audit entries, the Merkle log (tree nodes and size) and checkpoints.

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::AuditEntry;
using domain::Checkpoint;

// audit_entries
#define SB_AUDIT_COLS                                                                         \
  "tenant_id, id, category, action, actor_type, actor_id, actor_role, channel, reason_code, " \
  "comment, request_id, correlation_id, subject_type, subject_id, account_id, before_json, "  \
  "after_json, created_at, leaf_index, leaf_hash"
constexpr const char* kInsertAudit = "INSERT INTO audit_entries (" SB_AUDIT_COLS
                                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kGetAudit =
    "SELECT " SB_AUDIT_COLS " FROM audit_entries WHERE tenant_id = ? AND id = ?";
constexpr const char* kTenantsWithUnsequenced =
    "SELECT tenant_id FROM audit_entries WHERE leaf_index IS NULL "
    "UNION SELECT tenant_id FROM audit_log_state WHERE size > signed_size "
    "ORDER BY 1";
constexpr const char* kListUnsequenced =
    "SELECT " SB_AUDIT_COLS
    " FROM audit_entries WHERE tenant_id = ? AND leaf_index IS NULL "
    "ORDER BY created_at, id LIMIT ?";
constexpr const char* kSetAuditLeaf =
    "UPDATE audit_entries SET leaf_index = ?, leaf_hash = ? WHERE tenant_id = ? AND id = ?";
constexpr const char* kListAuditByIndex =
    "SELECT " SB_AUDIT_COLS
    " FROM audit_entries WHERE tenant_id = ? AND leaf_index >= ? "
    "AND leaf_index < ? ORDER BY leaf_index";
// The table's own order (WITHOUT ROWID, keyed by tenant and id): no lookup per row.
constexpr const char* kReadAuditById =
    "SELECT " SB_AUDIT_COLS
    " FROM audit_entries WHERE tenant_id = ? AND id > ? AND leaf_index IS NOT NULL "
    "ORDER BY id LIMIT ?";
const ListQuery& AuditList() {
  static const ListQuery q(
      "SELECT " SB_AUDIT_COLS " FROM audit_entries WHERE tenant_id = ?",
      {" AND account_id = ?", " AND category = ?", " AND request_id = ?", " AND id < ?",
       " AND created_at >= ?", " AND created_at < ?", " AND actor_id = ?"});
  return q;
}

// Into `e`, reusing its strings' storage.
void ReadAuditInto(const Stmt& s, AuditEntry& e) {
  e.tenant_id = s.ColView(0);
  e.id = s.ColView(1);
  e.category = ParseOr(s.ColView(2), domain::AuditCategory::kAccountStatus);
  e.action = s.ColView(3);
  e.actor.type = ParseOr(s.ColView(4), domain::ActorType::kSystem);
  e.actor.id = s.ColView(5);
  e.actor.role.reset();
  if (!s.ColIsNull(6)) e.actor.role = domain::Parse<domain::Role>(s.ColView(6));
  e.channel = ParseOr(s.ColView(7), domain::Channel::kApi);
  e.reason_code = s.ColView(8);
  e.comment = s.ColView(9);
  e.request_id = s.ColView(10);
  e.correlation_id = s.ColView(11);
  e.subject_type = s.ColView(12);
  e.subject_id = s.ColView(13);
  e.account_id = s.ColView(14);
  e.before_json = s.ColView(15);
  e.after_json = s.ColView(16);
  e.created_at = s.ColInt(17);
  e.leaf_index = s.ColOptInt(18);
  e.leaf_hash = s.ColView(19);
}

AuditEntry ReadAudit(const Stmt& s) {
  AuditEntry e;
  ReadAuditInto(s, e);
  return e;
}

// Merkle log
constexpr const char* kGetLogSize = "SELECT size FROM audit_log_state WHERE tenant_id = ?";
constexpr const char* kSetLogSize =
    "INSERT INTO audit_log_state (tenant_id, size) VALUES (?,?) "
    "ON CONFLICT (tenant_id) DO UPDATE SET size = excluded.size";
constexpr const char* kPutTreeNode =
    "INSERT INTO audit_tree_nodes (tenant_id, level, idx, hash) VALUES (?,?,?,?) "
    "ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hash = excluded.hash";
constexpr const char* kGetTreeNode =
    "SELECT hash FROM audit_tree_nodes WHERE tenant_id = ? AND level = ? AND idx = ?";
constexpr const char* kListTreeNodes =
    "SELECT idx, hash FROM audit_tree_nodes WHERE tenant_id = ? AND level = ? AND idx >= ? "
    "AND idx < ? ORDER BY idx";
constexpr const char* kFindLeaf =
    "SELECT idx FROM audit_tree_nodes WHERE tenant_id = ? AND level = 0 AND hash = ? "
    "ORDER BY idx LIMIT 1";

// audit_checkpoints
#define SB_CHECKPOINT_COLS "tenant_id, tree_size, root_hash, created_at, key_id, signature"
constexpr const char* kInsertCheckpoint =
    "INSERT INTO audit_checkpoints (" SB_CHECKPOINT_COLS ") VALUES (?,?,?,?,?,?)";
// Kept in step by every checkpoint (migration 0028): what TenantsWithUnsequencedAudit reads.
constexpr const char* kSetSignedSize =
    "UPDATE audit_log_state SET signed_size = MAX(signed_size, ?) WHERE tenant_id = ?";
constexpr const char* kLatestCheckpoint = "SELECT " SB_CHECKPOINT_COLS
                                          " FROM audit_checkpoints WHERE tenant_id = ? "
                                          "ORDER BY tree_size DESC, created_at DESC LIMIT 1";
constexpr const char* kListCheckpointsAfter =
    "SELECT " SB_CHECKPOINT_COLS
    " FROM audit_checkpoints WHERE tenant_id = ? AND (tree_size, created_at) > (?, ?) "
    "ORDER BY tree_size, created_at LIMIT ?";

Checkpoint ReadCheckpoint(const Stmt& s) {
  return {s.ColText(0), s.ColInt(1), s.ColBlob(2), s.ColInt(3), s.ColText(4), s.ColBlob(5)};
}

}  // namespace

Status SqliteTx::InsertAuditEntry(const AuditEntry& e) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertAudit);
  s.Text(e.tenant_id).Text(e.id).Text(domain::Name(e.category)).Text(e.action);
  s.Text(domain::Name(e.actor.type)).Text(e.actor.id);
  if (e.actor.role) {
    s.Text(domain::Name(*e.actor.role));
  } else {
    s.OptText(std::nullopt);
  }
  s.Text(domain::Name(e.channel)).Text(e.reason_code).Text(e.comment).Text(e.request_id);
  s.Text(e.correlation_id).Text(e.subject_type).Text(e.subject_id).Text(e.account_id);
  s.Text(e.before_json).Text(e.after_json).Int(e.created_at).OptInt(e.leaf_index);
  return s.Blob(e.leaf_index ? std::string_view(e.leaf_hash) : std::string_view()).Run();
}

Result<AuditEntry> SqliteTx::GetAuditEntry(std::string_view tenant_id, std::string_view id) {
  Stmt s(conn_, kGetAudit);
  s.Text(tenant_id).Text(id);
  return OneRow<AuditEntry>(s, "audit entry", ReadAudit);
}

Result<domain::Page<AuditEntry>> SqliteTx::ListAuditEntries(std::string_view tenant_id,
                                                            const domain::AuditFilter& f) {
  unsigned mask = (f.account_id ? 1u : 0u) | (f.category ? 2u : 0u) | (f.request_id ? 4u : 0u) |
                  (f.starting_after.empty() ? 0u : 8u) | (f.created_from ? 16u : 0u) |
                  (f.created_to ? 32u : 0u) | (f.actor_id ? 64u : 0u);
  int limit = PageLimit(f.limit);
  Stmt s(conn_, AuditList().Sql(mask));
  s.Text(tenant_id);
  if (f.account_id) s.Text(*f.account_id);
  if (f.category) s.Text(domain::Name(*f.category));
  if (f.request_id) s.Text(*f.request_id);
  if (!f.starting_after.empty()) s.Text(f.starting_after);
  if (f.created_from) s.Int(*f.created_from);
  if (f.created_to) s.Int(*f.created_to);
  if (f.actor_id) s.Text(*f.actor_id);
  s.Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<AuditEntry>(s, ReadAudit));
  return MakePage(std::move(rows), limit);
}

Result<std::vector<std::string>> SqliteTx::TenantsWithUnsequencedAudit() {
  Stmt s(conn_, kTenantsWithUnsequenced);
  return CollectRows<std::string>(s, [](const Stmt& r) { return r.ColText(0); });
}

Result<std::vector<AuditEntry>> SqliteTx::ListUnsequencedAudit(std::string_view tenant_id,
                                                               int limit) {
  Stmt s(conn_, kListUnsequenced);
  s.Text(tenant_id).Int(limit);
  return CollectRows<AuditEntry>(s, ReadAudit);
}

// One statement a leaf: on this single writer a statement is a call, not a round trip. The
// caller's transaction (or savepoint) undoes the batch if one fails.
Status SqliteTx::SetAuditLeaves(std::string_view tenant_id,
                                const std::vector<domain::AuditLeaf>& leaves) {
  SB_RETURN_IF_ERROR(CheckWritable());
  for (const domain::AuditLeaf& leaf : leaves) {
    Stmt s(conn_, kSetAuditLeaf);
    SB_RETURN_IF_ERROR(
        s.Int(leaf.leaf_index).Blob(leaf.leaf_hash).Text(tenant_id).Text(leaf.entry_id).Run());
    SB_RETURN_IF_ERROR(RequireChanged(s, "audit entry"));
  }
  return Status::Ok();
}

Result<std::vector<AuditEntry>> SqliteTx::ListAuditByIndex(std::string_view tenant_id,
                                                           std::int64_t from, std::int64_t to) {
  Stmt s(conn_, kListAuditByIndex);
  s.Text(tenant_id).Int(from).Int(to);
  return CollectRows<AuditEntry>(s, ReadAudit);
}

Result<std::size_t> SqliteTx::ReadAuditInStoreOrder(std::string_view tenant_id,
                                                    std::string_view after_id, std::int64_t,
                                                    std::size_t limit,
                                                    std::vector<AuditEntry>& out) {
  Stmt s(conn_, kReadAuditById);
  s.Text(tenant_id).Text(after_id).Int(static_cast<std::int64_t>(limit));
  std::size_t n = 0;
  while (true) {
    SB_ASSIGN_OR_RETURN(bool row, s.Next());
    if (!row) return n;
    if (n == out.size()) out.emplace_back();
    ReadAuditInto(s, out[n++]);
  }
}

Result<std::int64_t> SqliteTx::GetLogSize(std::string_view tenant_id) {
  Stmt s(conn_, kGetLogSize);
  SB_ASSIGN_OR_RETURN(bool row, s.Text(tenant_id).Next());
  return row ? s.ColInt(0) : std::int64_t{0};
}

Status SqliteTx::SetLogSize(std::string_view tenant_id, std::int64_t size) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kSetLogSize);
  return s.Text(tenant_id).Int(size).Run();
}

Status SqliteTx::PutTreeNodes(std::string_view tenant_id,
                              const std::vector<domain::merkle::TreeNode>& nodes) {
  SB_RETURN_IF_ERROR(CheckWritable());
  for (const domain::merkle::TreeNode& n : nodes) {
    Stmt s(conn_, kPutTreeNode);
    SB_RETURN_IF_ERROR(s.Text(tenant_id).Int(n.level).Int(n.index).Blob(n.hash).Run());
  }
  return Status::Ok();
}

Result<std::string> SqliteTx::GetTreeNode(std::string_view tenant_id, int level,
                                          std::int64_t index) {
  Stmt s(conn_, kGetTreeNode);
  s.Text(tenant_id).Int(level).Int(index);
  return OneRow<std::string>(s, "tree node", [](const Stmt& r) { return r.ColBlob(0); });
}

Result<std::vector<domain::merkle::TreeNode>> SqliteTx::ListTreeNodes(std::string_view tenant_id,
                                                                      int level, std::int64_t from,
                                                                      std::int64_t to) {
  Stmt s(conn_, kListTreeNodes);
  s.Text(tenant_id).Int(level).Int(from).Int(to);
  return CollectRows<domain::merkle::TreeNode>(s, [level](const Stmt& r) {
    return domain::merkle::TreeNode{level, r.ColInt(0), r.ColBlob(1)};
  });
}

Result<std::optional<std::int64_t>> SqliteTx::FindLeafPosition(std::string_view tenant_id,
                                                               std::string_view leaf_hash) {
  Stmt s(conn_, kFindLeaf);
  SB_ASSIGN_OR_RETURN(bool row, s.Text(tenant_id).Blob(leaf_hash).Next());
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(s.ColInt(0));
}

Status SqliteTx::InsertCheckpoint(const Checkpoint& c) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertCheckpoint);
  s.Text(c.tenant_id).Int(c.tree_size).Blob(c.root_hash).Int(c.created_at);
  SB_RETURN_IF_ERROR(s.Text(c.key_id).Blob(c.signature).Run());
  Stmt signed_size(conn_, kSetSignedSize);
  return signed_size.Int(c.tree_size).Text(c.tenant_id).Run();
}

Result<Checkpoint> SqliteTx::LatestCheckpoint(std::string_view tenant_id) {
  Stmt s(conn_, kLatestCheckpoint);
  s.Text(tenant_id);
  return OneRow<Checkpoint>(s, "checkpoint", ReadCheckpoint);
}

Result<std::vector<Checkpoint>> SqliteTx::ListCheckpointsAfter(std::string_view tenant_id,
                                                               std::int64_t after_size,
                                                               Timestamp after_created_at,
                                                               int limit) {
  Stmt s(conn_, kListCheckpointsAfter);
  s.Text(tenant_id).Int(after_size).Int(after_created_at).Int(limit);
  return CollectRows<Checkpoint>(s, ReadCheckpoint);
}

}  // namespace sb::storage::sqlite
