// Verifications: the evidence about an account's customer that request checks read.
#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::Verification;

#define SB_VERIFICATION_COLS                                                         \
  "tenant_id, id, account_id, kind, party, method, level, verified_at, request_id, " \
  "actor_type, actor_id, actor_role, created_at"
constexpr const char* kInsertVerification =
    "INSERT INTO verifications (" SB_VERIFICATION_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kListVerifications =
    "SELECT " SB_VERIFICATION_COLS
    " FROM verifications WHERE tenant_id = ? AND account_id = ? "
    "ORDER BY verified_at DESC, id DESC";

Verification ReadVerification(const Stmt& s) {
  Verification v;
  v.tenant_id = s.ColText(0);
  v.id = s.ColText(1);
  v.account_id = s.ColText(2);
  v.kind = ParseOr(s.ColText(3), domain::VerificationKind::kIdentity);
  v.party = s.ColText(4);
  v.method = s.ColText(5);
  v.level = static_cast<int>(s.ColInt(6));
  v.verified_at = s.ColInt(7);
  v.request_id = s.ColText(8);
  v.actor.type = ParseOr(s.ColText(9), domain::ActorType::kSystem);
  v.actor.id = s.ColText(10);
  if (auto role = s.ColOptText(11)) v.actor.role = domain::Parse<domain::Role>(*role);
  v.created_at = s.ColInt(12);
  return v;
}

}  // namespace

Status SqliteTx::InsertVerification(const Verification& v) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertVerification);
  s.Text(v.tenant_id).Text(v.id).Text(v.account_id).Text(domain::Name(v.kind)).Text(v.party);
  s.Text(v.method).Int(v.level).Int(v.verified_at).Text(v.request_id);
  s.Text(domain::Name(v.actor.type)).Text(v.actor.id);
  if (v.actor.role) {
    s.Text(domain::Name(*v.actor.role));
  } else {
    s.OptText(std::nullopt);
  }
  return s.Int(v.created_at).Run();
}

Result<std::vector<Verification>> SqliteTx::ListVerifications(std::string_view tenant_id,
                                                              std::string_view account_id) {
  Stmt s(conn_, kListVerifications);
  s.Text(tenant_id).Text(account_id);
  return CollectRows<Verification>(s, ReadVerification);
}

}  // namespace sb::storage::sqlite
