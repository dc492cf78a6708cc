// Policy packs: stored versions, the one in force at a time, the list.

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::StoredPolicyPack;

#define SB_POLICY_COLS "tenant_id, version, effective_from, yaml_text, created_at, created_by"
constexpr const char* kInsertPolicyPack =
    "INSERT INTO policy_packs (" SB_POLICY_COLS ") VALUES (?,?,?,?,?,?)";
constexpr const char* kPolicyPackInForce =
    "SELECT " SB_POLICY_COLS
    " FROM policy_packs WHERE tenant_id = ? AND effective_from <= ? "
    "ORDER BY effective_from DESC, version DESC LIMIT 1";
constexpr const char* kPolicyVersionInForce =
    "SELECT version FROM policy_packs WHERE tenant_id = ? AND effective_from <= ? "
    "ORDER BY effective_from DESC, version DESC LIMIT 1";
constexpr const char* kListPolicyPacks =
    "SELECT " SB_POLICY_COLS
    " FROM policy_packs WHERE tenant_id = ? ORDER BY effective_from DESC, version DESC";

StoredPolicyPack ReadPolicyPack(const Stmt& s) {
  return {s.ColText(0), s.ColText(1), s.ColInt(2), s.ColText(3), s.ColInt(4), s.ColText(5)};
}

}  // namespace

Status SqliteTx::InsertPolicyPack(const StoredPolicyPack& p) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertPolicyPack);
  s.Text(p.tenant_id).Text(p.version).Int(p.effective_from).Text(p.yaml_text);
  return s.Int(p.created_at).Text(p.created_by).Run();
}

Result<StoredPolicyPack> SqliteTx::PolicyPackInForce(std::string_view tenant_id, Timestamp at) {
  Stmt s(conn_, kPolicyPackInForce);
  s.Text(tenant_id).Int(at);
  return OneRow<StoredPolicyPack>(s, "policy pack", ReadPolicyPack);
}

Result<std::string> SqliteTx::PolicyVersionInForce(std::string_view tenant_id, Timestamp at) {
  Stmt s(conn_, kPolicyVersionInForce);
  s.Text(tenant_id).Int(at);
  return OneRow<std::string>(s, "policy pack", [](const Stmt& r) { return r.ColText(0); });
}

Result<std::vector<StoredPolicyPack>> SqliteTx::ListPolicyPacks(std::string_view tenant_id) {
  Stmt s(conn_, kListPolicyPacks);
  s.Text(tenant_id);
  return CollectRows<StoredPolicyPack>(s, ReadPolicyPack);
}

}  // namespace sb::storage::sqlite
