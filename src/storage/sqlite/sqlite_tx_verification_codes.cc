// One-time verification codes and their checks (app/verification/verification_codes.h).
#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::CodeCheck;
using domain::VerificationCode;

#define SB_CODE_COLS                                                                 \
  "tenant_id, id, account_id, channel, purpose, code_hash, message_id, created_at, " \
  "expires_at, used_at"
constexpr const char* kInsertCode =
    "INSERT INTO verification_codes (" SB_CODE_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kListCodes =
    "SELECT " SB_CODE_COLS
    " FROM verification_codes WHERE tenant_id = ? AND account_id = ? "
    "AND (? = '' OR channel = ?) AND created_at >= ? ORDER BY created_at DESC, id DESC";
constexpr const char* kMarkUsed =
    "UPDATE verification_codes SET used_at = ? WHERE tenant_id = ? AND id = ? "
    "AND used_at IS NULL";

#define SB_CHECK_COLS "tenant_id, id, account_id, channel, purpose, code_id, passed, at"
constexpr const char* kInsertCheck =
    "INSERT INTO verification_code_checks (" SB_CHECK_COLS ") VALUES (?,?,?,?,?,?,?,?)";
constexpr const char* kListChecks =
    "SELECT " SB_CHECK_COLS
    " FROM verification_code_checks WHERE tenant_id = ? AND account_id = ? "
    "AND (? = '' OR channel = ?) AND at >= ? ORDER BY at DESC, id DESC";

VerificationCode ReadCode(const Stmt& s) {
  VerificationCode c;
  c.tenant_id = s.ColText(0);
  c.id = s.ColText(1);
  c.account_id = s.ColText(2);
  c.channel = s.ColText(3);
  c.purpose = s.ColText(4);
  c.code_hash = s.ColText(5);
  c.message_id = s.ColText(6);
  c.created_at = s.ColInt(7);
  c.expires_at = s.ColInt(8);
  c.used_at = s.ColOptInt(9);
  return c;
}

CodeCheck ReadCheck(const Stmt& s) {
  CodeCheck c;
  c.tenant_id = s.ColText(0);
  c.id = s.ColText(1);
  c.account_id = s.ColText(2);
  c.channel = s.ColText(3);
  c.purpose = s.ColText(4);
  c.code_id = s.ColText(5);
  c.passed = s.ColInt(6) != 0;
  c.at = s.ColInt(7);
  return c;
}

}  // namespace

Status SqliteTx::InsertVerificationCode(const VerificationCode& c) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertCode);
  s.Text(c.tenant_id).Text(c.id).Text(c.account_id).Text(c.channel).Text(c.purpose);
  s.Text(c.code_hash).Text(c.message_id).Int(c.created_at).Int(c.expires_at).OptInt(c.used_at);
  return s.Run();
}

Result<std::vector<VerificationCode>> SqliteTx::ListVerificationCodes(std::string_view tenant_id,
                                                                      std::string_view account_id,
                                                                      std::string_view channel,
                                                                      Timestamp since) {
  Stmt s(conn_, kListCodes);
  s.Text(tenant_id).Text(account_id).Text(channel).Text(channel).Int(since);
  return CollectRows<VerificationCode>(s, ReadCode);
}

Status SqliteTx::MarkVerificationCodeUsed(std::string_view tenant_id, std::string_view id,
                                          Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kMarkUsed);
  SB_RETURN_IF_ERROR(s.Int(at).Text(tenant_id).Text(id).Run());
  return RequireChanged(s, "unused verification code");
}

Status SqliteTx::InsertCodeCheck(const CodeCheck& c) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertCheck);
  s.Text(c.tenant_id).Text(c.id).Text(c.account_id).Text(c.channel).Text(c.purpose);
  return s.Text(c.code_id).Int(c.passed ? 1 : 0).Int(c.at).Run();
}

Result<std::vector<CodeCheck>> SqliteTx::ListCodeChecks(std::string_view tenant_id,
                                                        std::string_view account_id,
                                                        std::string_view channel, Timestamp since) {
  Stmt s(conn_, kListChecks);
  s.Text(tenant_id).Text(account_id).Text(channel).Text(channel).Int(since);
  return CollectRows<CodeCheck>(s, ReadCheck);
}

}  // namespace sb::storage::sqlite
