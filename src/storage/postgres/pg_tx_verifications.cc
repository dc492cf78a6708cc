// Verifications: the evidence about an account's customer that request checks read.
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::Verification;

#define SB_VERIFICATION_COLS                                                         \
  "tenant_id, id, account_id, kind, party, method, level, verified_at, request_id, " \
  "actor_type, actor_id, actor_role, created_at"
const Stmt kInsertVerification{"verification_insert",
                               "INSERT INTO verifications (" SB_VERIFICATION_COLS
                               ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                               "$13) ON CONFLICT DO NOTHING"};
const Stmt kListVerifications{"verification_list",
                              "SELECT " SB_VERIFICATION_COLS
                              " FROM verifications WHERE tenant_id = $1 AND account_id = $2 "
                              "ORDER BY verified_at DESC, id DESC"};

Verification ReadVerification(RowReader& r) {
  Verification v;
  v.tenant_id = r.Str();
  v.id = r.Str();
  v.account_id = r.Str();
  v.kind = EnumOr<domain::VerificationKind>(r.Str());
  v.party = r.Str();
  v.method = r.Str();
  v.level = r.Int32();
  v.verified_at = r.Int();
  v.request_id = r.Str();
  v.actor.type = EnumOr<domain::ActorType>(r.Str());
  v.actor.id = r.Str();
  if (auto role = r.OptStr()) v.actor.role = domain::Parse<domain::Role>(*role);
  v.created_at = r.Int();
  return v;
}

}  // namespace

Status PgTx::InsertVerification(const Verification& v) {
  Params p;
  p.Text(v.tenant_id).Text(v.id).Text(v.account_id).Text(domain::Name(v.kind)).Text(v.party);
  p.Text(v.method).Int(v.level).Int(v.verified_at).Text(v.request_id);
  p.Text(domain::Name(v.actor.type)).Text(v.actor.id);
  if (v.actor.role) {
    p.Text(domain::Name(*v.actor.role));
  } else {
    p.Null();
  }
  p.Int(v.created_at);
  return Insert(kInsertVerification, p);
}

Result<std::vector<Verification>> PgTx::ListVerifications(std::string_view tenant_id,
                                                          std::string_view account_id) {
  return Many(kListVerifications, Params().Text(tenant_id).Text(account_id), &ReadVerification);
}

}  // namespace sb::storage::postgres
