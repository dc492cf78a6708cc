// One-time verification codes and their checks (app/verification/verification_codes.h).
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::CodeCheck;
using domain::VerificationCode;

#define SB_CODE_COLS                                                                 \
  "tenant_id, id, account_id, channel, purpose, code_hash, message_id, created_at, " \
  "expires_at, used_at"
const Stmt kInsertCode{"verification_code_insert",
                       "INSERT INTO verification_codes (" SB_CODE_COLS
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                       "ON CONFLICT DO NOTHING"};
const Stmt kListCodes{"verification_code_list",
                      "SELECT " SB_CODE_COLS
                      " FROM verification_codes WHERE tenant_id = $1 AND account_id = $2 "
                      "AND ($3 = '' OR channel = $3) AND created_at >= $4 "
                      "ORDER BY created_at DESC, id DESC"};
const Stmt kMarkUsed{"verification_code_mark_used",
                     "UPDATE verification_codes SET used_at = $3 WHERE tenant_id = $1 "
                     "AND id = $2 AND used_at IS NULL"};

#define SB_CHECK_COLS "tenant_id, id, account_id, channel, purpose, code_id, passed, at"
const Stmt kInsertCheck{"verification_code_check_insert",
                        "INSERT INTO verification_code_checks (" SB_CHECK_COLS
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING"};
const Stmt kListChecks{"verification_code_check_list",
                       "SELECT " SB_CHECK_COLS
                       " FROM verification_code_checks WHERE tenant_id = $1 AND account_id = $2 "
                       "AND ($3 = '' OR channel = $3) AND at >= $4 ORDER BY at DESC, id DESC"};

VerificationCode ReadCode(RowReader& r) {
  VerificationCode c;
  c.tenant_id = r.Str();
  c.id = r.Str();
  c.account_id = r.Str();
  c.channel = r.Str();
  c.purpose = r.Str();
  c.code_hash = r.Str();
  c.message_id = r.Str();
  c.created_at = r.Int();
  c.expires_at = r.Int();
  c.used_at = r.OptInt();
  return c;
}

CodeCheck ReadCheck(RowReader& r) {
  CodeCheck c;
  c.tenant_id = r.Str();
  c.id = r.Str();
  c.account_id = r.Str();
  c.channel = r.Str();
  c.purpose = r.Str();
  c.code_id = r.Str();
  c.passed = r.Bool();
  c.at = r.Int();
  return c;
}

}  // namespace

Status PgTx::InsertVerificationCode(const VerificationCode& c) {
  Params p;
  p.Text(c.tenant_id).Text(c.id).Text(c.account_id).Text(c.channel).Text(c.purpose);
  p.Text(c.code_hash).Text(c.message_id).Int(c.created_at).Int(c.expires_at).OptInt(c.used_at);
  return Insert(kInsertCode, p);
}

Result<std::vector<VerificationCode>> PgTx::ListVerificationCodes(std::string_view tenant_id,
                                                                  std::string_view account_id,
                                                                  std::string_view channel,
                                                                  Timestamp since) {
  return Many(kListCodes, Params().Text(tenant_id).Text(account_id).Text(channel).Int(since),
              &ReadCode);
}

Status PgTx::MarkVerificationCodeUsed(std::string_view tenant_id, std::string_view id,
                                      Timestamp at) {
  return UpdateOne(kMarkUsed, Params().Text(tenant_id).Text(id).Int(at),
                   "unused verification code");
}

Status PgTx::InsertCodeCheck(const CodeCheck& c) {
  Params p;
  p.Text(c.tenant_id).Text(c.id).Text(c.account_id).Text(c.channel).Text(c.purpose);
  p.Text(c.code_id).Bool(c.passed).Int(c.at);
  return Insert(kInsertCheck, p);
}

Result<std::vector<CodeCheck>> PgTx::ListCodeChecks(std::string_view tenant_id,
                                                    std::string_view account_id,
                                                    std::string_view channel, Timestamp since) {
  return Many(kListChecks, Params().Text(tenant_id).Text(account_id).Text(channel).Int(since),
              &ReadCheck);
}

}  // namespace sb::storage::postgres
