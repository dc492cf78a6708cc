// Policy packs: stored versions, the one in force at a time, the list.
#include <limits>

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::StoredPolicyPack;

#define SB_POLICY_COLS "tenant_id, version, effective_from, yaml_text, created_at, created_by"
const Stmt kInsertPolicyPack{"policy_pack_insert",
                             "INSERT INTO policy_packs (" SB_POLICY_COLS
                             ") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"};
const Stmt kPolicyPackInForce{"policy_pack_in_force",
                              "SELECT " SB_POLICY_COLS
                              " FROM policy_packs WHERE tenant_id = $1 AND effective_from <= $2 "
                              "ORDER BY effective_from DESC, version DESC LIMIT 1"};
// The version in force at $2 and when the next pack takes effect (NULL: none stored yet).
const Stmt kPolicyVersionInForce{
    "policy_version_in_force",
    "SELECT version, (SELECT min(effective_from) FROM policy_packs WHERE tenant_id = $1 AND "
    "effective_from > $2) FROM policy_packs WHERE tenant_id = $1 AND effective_from <= $2 "
    "ORDER BY effective_from DESC, version DESC LIMIT 1"};
const Stmt kListPolicyPacks{"policy_pack_list", "SELECT " SB_POLICY_COLS
                                                " FROM policy_packs WHERE tenant_id = $1 "
                                                "ORDER BY effective_from DESC, version DESC"};

StoredPolicyPack ReadPolicyPack(RowReader& r) {
  StoredPolicyPack p;
  p.tenant_id = r.Str();
  p.version = r.Str();
  p.effective_from = r.Int();
  p.yaml_text = r.Str();
  p.created_at = r.Int();
  p.created_by = r.Str();
  return p;
}

}  // namespace

Status PgTx::InsertPolicyPack(const StoredPolicyPack& p) {
  Params params;
  params.Text(p.tenant_id).Text(p.version).Int(p.effective_from).Text(p.yaml_text);
  params.Int(p.created_at).Text(p.created_by);
  policy_version_read_.reset();
  return Insert(kInsertPolicyPack, params);
}

Result<StoredPolicyPack> PgTx::PolicyPackInForce(std::string_view tenant_id, Timestamp at) {
  return One(kPolicyPackInForce, Params().Text(tenant_id).Int(at), "policy pack", &ReadPolicyPack);
}

Result<std::string> PgTx::PolicyVersionInForce(std::string_view tenant_id, Timestamp at) {
  const auto& read = policy_version_read_;
  if (read && read->tenant_id == tenant_id && read->from <= at && at < read->until) {
    return read->version;
  }
  SB_ASSIGN_OR_RETURN(PgResult r, Query(kPolicyVersionInForce, Params().Text(tenant_id).Int(at)));
  if (r.rows() == 0) return Status::NotFound("policy pack");
  RowReader row(r, 0);
  PolicyVersionRead fresh{std::string(tenant_id), at, {}, std::numeric_limits<Timestamp>::max()};
  fresh.version = row.Str();
  if (auto next = row.OptInt()) fresh.until = *next;
  policy_version_read_ = fresh;
  return fresh.version;
}

Result<std::vector<StoredPolicyPack>> PgTx::ListPolicyPacks(std::string_view tenant_id) {
  return Many(kListPolicyPacks, Params().Text(tenant_id), &ReadPolicyPack);
}

}  // namespace sb::storage::postgres
