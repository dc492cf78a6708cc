// Staff users, sessions and the sign-in throttle.

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::Session;
using domain::SignInThrottle;
using domain::StaffUser;

#define SB_USER_COLS                                                                     \
  "tenant_id, id, email, name, role, status, password_hash, totp_secret, "               \
  "totp_confirmed, totp_last_step, invitation_hash, invitation_expires_at, created_at, " \
  "updated_at, team"
constexpr const char* kInsertUser =
    "INSERT INTO staff_users (" SB_USER_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kUpdateUser =
    "UPDATE staff_users SET email = ?, name = ?, role = ?, status = ?, password_hash = ?, "
    "totp_secret = ?, totp_confirmed = ?, totp_last_step = ?, invitation_hash = ?, "
    "invitation_expires_at = ?, updated_at = ?, team = ? WHERE tenant_id = ? AND id = ?";
constexpr const char* kGetUser =
    "SELECT " SB_USER_COLS " FROM staff_users WHERE tenant_id = ? AND id = ?";
constexpr const char* kUserByEmail =
    "SELECT " SB_USER_COLS " FROM staff_users WHERE tenant_id = ? AND email = ?";
constexpr const char* kUserByInvitation =
    "SELECT " SB_USER_COLS " FROM staff_users WHERE tenant_id = ? AND invitation_hash = ?";
constexpr const char* kListUsers =
    "SELECT " SB_USER_COLS " FROM staff_users WHERE tenant_id = ? ORDER BY id DESC";

#define SB_SESSION_COLS                                                                       \
  "tenant_id, id_hash, subject_type, subject_id, role, csrf_hash, created_at, last_seen_at, " \
  "expires_at, revoked_at"
constexpr const char* kInsertSession =
    "INSERT INTO sessions (" SB_SESSION_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kGetSession =
    "SELECT " SB_SESSION_COLS " FROM sessions WHERE tenant_id = ? AND id_hash = ?";
constexpr const char* kTouchSession =
    "UPDATE sessions SET last_seen_at = ? WHERE tenant_id = ? AND id_hash = ?";
constexpr const char* kRevokeSession =
    "UPDATE sessions SET revoked_at = ? WHERE tenant_id = ? AND id_hash = ? "
    "AND revoked_at IS NULL";
constexpr const char* kPurgeSessions =
    "DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ? OR last_seen_at < ?";
constexpr const char* kPurgeThrottle =
    "DELETE FROM sign_in_throttle WHERE locked_until < ? AND updated_at < ?";
constexpr const char* kRevokeSessionsOf =
    "UPDATE sessions SET revoked_at = ? WHERE tenant_id = ? AND subject_type = ? "
    "AND subject_id = ? AND revoked_at IS NULL";

constexpr const char* kGetThrottle =
    "SELECT tenant_id, key, failures, locked_until, updated_at FROM sign_in_throttle "
    "WHERE tenant_id = ? AND key = ?";
constexpr const char* kPutThrottle =
    "INSERT INTO sign_in_throttle (tenant_id, key, failures, locked_until, updated_at) "
    "VALUES (?,?,?,?,?) ON CONFLICT (tenant_id, key) DO UPDATE SET "
    "failures = excluded.failures, locked_until = excluded.locked_until, "
    "updated_at = excluded.updated_at";

StaffUser ReadUser(const Stmt& s) {
  StaffUser u;
  u.tenant_id = s.ColText(0);
  u.id = s.ColText(1);
  u.email = s.ColText(2);
  u.name = s.ColText(3);
  u.role = ParseOr(s.ColText(4), domain::Role::kAgent);
  u.status = domain::ParseUserStatus(s.ColText(5)).value_or(domain::UserStatus::kDisabled);
  u.password_hash = s.ColText(6);
  u.totp_secret = s.ColBlob(7);
  u.totp_confirmed = s.ColInt(8) != 0;
  u.totp_last_step = s.ColInt(9);
  u.invitation_hash = s.ColOptText(10).value_or("");
  u.invitation_expires_at = s.ColOptInt(11);
  u.created_at = s.ColInt(12);
  u.updated_at = s.ColInt(13);
  u.team = s.ColText(14);
  return u;
}

Session ReadSession(const Stmt& s) {
  Session x;
  x.tenant_id = s.ColText(0);
  x.id_hash = s.ColText(1);
  x.subject_type = ParseOr(s.ColText(2), domain::ActorType::kUser);
  x.subject_id = s.ColText(3);
  if (auto role = s.ColOptText(4)) x.role = domain::Parse<domain::Role>(*role);
  x.csrf_hash = s.ColText(5);
  x.created_at = s.ColInt(6);
  x.last_seen_at = s.ColInt(7);
  x.expires_at = s.ColInt(8);
  x.revoked_at = s.ColOptInt(9);
  return x;
}

SignInThrottle ReadThrottle(const Stmt& s) {
  return {s.ColText(0), s.ColText(1), static_cast<int>(s.ColInt(2)), s.ColInt(3), s.ColInt(4)};
}

std::optional<std::string> NonEmpty(const std::string& v) {
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

}  // namespace

Status SqliteTx::InsertUser(const StaffUser& u) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertUser);
  s.Text(u.tenant_id).Text(u.id).Text(u.email).Text(u.name).Text(domain::Name(u.role));
  s.Text(domain::Name(u.status)).Text(u.password_hash).Blob(u.totp_secret);
  s.Int(u.totp_confirmed ? 1 : 0).Int(u.totp_last_step).OptText(NonEmpty(u.invitation_hash));
  return s.OptInt(u.invitation_expires_at).Int(u.created_at).Int(u.updated_at).Text(u.team).Run();
}

Status SqliteTx::UpdateUser(const StaffUser& u) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpdateUser);
  s.Text(u.email).Text(u.name).Text(domain::Name(u.role)).Text(domain::Name(u.status));
  s.Text(u.password_hash).Blob(u.totp_secret).Int(u.totp_confirmed ? 1 : 0);
  s.Int(u.totp_last_step).OptText(NonEmpty(u.invitation_hash)).OptInt(u.invitation_expires_at);
  SB_RETURN_IF_ERROR(s.Int(u.updated_at).Text(u.team).Text(u.tenant_id).Text(u.id).Run());
  return RequireChanged(s, "user");
}

Result<StaffUser> SqliteTx::GetUser(std::string_view tenant_id, std::string_view user_id) {
  Stmt s(conn_, kGetUser);
  s.Text(tenant_id).Text(user_id);
  return OneRow<StaffUser>(s, "user", ReadUser);
}

Result<StaffUser> SqliteTx::FindUserByEmail(std::string_view tenant_id, std::string_view email) {
  Stmt s(conn_, kUserByEmail);
  s.Text(tenant_id).Text(email);
  return OneRow<StaffUser>(s, "user", ReadUser);
}

Result<StaffUser> SqliteTx::FindUserByInvitation(std::string_view tenant_id,
                                                 std::string_view invitation_hash) {
  Stmt s(conn_, kUserByInvitation);
  s.Text(tenant_id).Text(invitation_hash);
  return OneRow<StaffUser>(s, "invitation", ReadUser);
}

Result<std::vector<StaffUser>> SqliteTx::ListUsers(std::string_view tenant_id) {
  Stmt s(conn_, kListUsers);
  s.Text(tenant_id);
  return CollectRows<StaffUser>(s, ReadUser);
}

Status SqliteTx::InsertSession(const Session& x) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertSession);
  s.Text(x.tenant_id).Text(x.id_hash).Text(domain::Name(x.subject_type)).Text(x.subject_id);
  s.OptText(x.role ? std::optional<std::string>(std::string(domain::Name(*x.role))) : std::nullopt);
  s.Text(x.csrf_hash).Int(x.created_at).Int(x.last_seen_at).Int(x.expires_at);
  return s.OptInt(x.revoked_at).Run();
}

Result<Session> SqliteTx::GetSession(std::string_view tenant_id, std::string_view id_hash) {
  Stmt s(conn_, kGetSession);
  s.Text(tenant_id).Text(id_hash);
  return OneRow<Session>(s, "session", ReadSession);
}

Status SqliteTx::TouchSession(std::string_view tenant_id, std::string_view id_hash, Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kTouchSession);
  SB_RETURN_IF_ERROR(s.Int(at).Text(tenant_id).Text(id_hash).Run());
  return RequireChanged(s, "session");
}

Status SqliteTx::RevokeSession(std::string_view tenant_id, std::string_view id_hash, Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kRevokeSession);
  return s.Int(at).Text(tenant_id).Text(id_hash).Run();
}

Result<int> SqliteTx::RevokeSessionsOf(std::string_view tenant_id, domain::ActorType subject_type,
                                       std::string_view subject_id, Timestamp at) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kRevokeSessionsOf);
  s.Int(at).Text(tenant_id).Text(domain::Name(subject_type)).Text(subject_id);
  SB_RETURN_IF_ERROR(s.Run());
  return static_cast<int>(s.Changes());
}

Result<std::int64_t> SqliteTx::PurgeEndedSessions(Timestamp ended_before, Timestamp idle_before) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt sessions(conn_, kPurgeSessions);
  sessions.Int(ended_before).Int(ended_before).Int(idle_before);
  SB_RETURN_IF_ERROR(sessions.Run());
  const std::int64_t sessions_purged = sessions.Changes();  // the connection's last statement
  Stmt throttle(conn_, kPurgeThrottle);
  throttle.Int(ended_before).Int(ended_before);
  SB_RETURN_IF_ERROR(throttle.Run());
  return sessions_purged + throttle.Changes();
}

Result<SignInThrottle> SqliteTx::GetSignInThrottle(std::string_view tenant_id,
                                                   std::string_view key) {
  Stmt s(conn_, kGetThrottle);
  s.Text(tenant_id).Text(key);
  return OneRow<SignInThrottle>(s, "sign-in throttle", ReadThrottle);
}

Status SqliteTx::PutSignInThrottle(const SignInThrottle& t) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kPutThrottle);
  return s.Text(t.tenant_id)
      .Text(t.key)
      .Int(t.failures)
      .Int(t.locked_until)
      .Int(t.updated_at)
      .Run();
}

}  // namespace sb::storage::sqlite
