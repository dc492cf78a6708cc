// Staff users, sessions and the sign-in throttle.
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::Session;
using domain::SignInThrottle;
using domain::StaffUser;

#define SB_USER_COLS                                                                     \
  "tenant_id, id, email, name, role, status, password_hash, totp_secret, "               \
  "totp_confirmed, totp_last_step, invitation_hash, invitation_expires_at, created_at, " \
  "updated_at, team"
const Stmt kInsertUser{"user_insert",
                       "INSERT INTO staff_users (" SB_USER_COLS
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                       "$15) "
                       "ON CONFLICT DO NOTHING"};
const Stmt kUpdateUser{"user_update",
                       "UPDATE staff_users SET email = $3, name = $4, role = $5, status = $6, "
                       "password_hash = $7, totp_secret = $8, totp_confirmed = $9, "
                       "totp_last_step = $10, invitation_hash = $11, "
                       "invitation_expires_at = $12, updated_at = $13, team = $14 "
                       "WHERE tenant_id = $1 AND id = $2"};
const Stmt kGetUser{"user_get",
                    "SELECT " SB_USER_COLS " FROM staff_users WHERE tenant_id = $1 AND id = $2"};
const Stmt kUserByEmail{"user_by_email", "SELECT " SB_USER_COLS
                                         " FROM staff_users WHERE tenant_id = $1 AND email = $2"};
const Stmt kUserByInvitation{"user_by_invitation",
                             "SELECT " SB_USER_COLS
                             " FROM staff_users WHERE tenant_id = $1 AND invitation_hash = $2"};
const Stmt kListUsers{
    "user_list", "SELECT " SB_USER_COLS " FROM staff_users WHERE tenant_id = $1 ORDER BY id DESC"};

#define SB_SESSION_COLS                                                                       \
  "tenant_id, id_hash, subject_type, subject_id, role, csrf_hash, created_at, last_seen_at, " \
  "expires_at, revoked_at"
const Stmt kInsertSession{"session_insert", "INSERT INTO sessions (" SB_SESSION_COLS
                                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                                            "ON CONFLICT DO NOTHING"};
const Stmt kGetSession{"session_get", "SELECT " SB_SESSION_COLS
                                      " FROM sessions WHERE tenant_id = $1 AND id_hash = $2"};
const Stmt kTouchSession{"session_touch",
                         "UPDATE sessions SET last_seen_at = $3 "
                         "WHERE tenant_id = $1 AND id_hash = $2"};
const Stmt kRevokeSession{"session_revoke",
                          "UPDATE sessions SET revoked_at = $3 "
                          "WHERE tenant_id = $1 AND id_hash = $2 AND revoked_at IS NULL"};
const Stmt kPurgeEndedSessions{"sessions_purge", "SELECT switchboard_purge_ended_sessions($1, $2)"};
const Stmt kRevokeSessionsOf{"session_revoke_subject",
                             "UPDATE sessions SET revoked_at = $4 WHERE tenant_id = $1 "
                             "AND subject_type = $2 AND subject_id = $3 AND revoked_at IS NULL"};

const Stmt kGetThrottle{"sign_in_throttle_get",
                        "SELECT tenant_id, key, failures, locked_until, updated_at "
                        "FROM sign_in_throttle WHERE tenant_id = $1 AND key = $2"};
const Stmt kPutThrottle{"sign_in_throttle_put",
                        "INSERT INTO sign_in_throttle (tenant_id, key, failures, locked_until, "
                        "updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, key) "
                        "DO UPDATE SET failures = EXCLUDED.failures, "
                        "locked_until = EXCLUDED.locked_until, updated_at = EXCLUDED.updated_at"};

StaffUser ReadUser(RowReader& r) {
  StaffUser u;
  u.tenant_id = r.Str();
  u.id = r.Str();
  u.email = r.Str();
  u.name = r.Str();
  u.role = EnumOr<domain::Role>(r.Str());
  u.status = domain::ParseUserStatus(r.Str()).value_or(domain::UserStatus::kDisabled);
  u.password_hash = r.Str();
  u.totp_secret = r.Str();
  u.totp_confirmed = r.Bool();
  u.totp_last_step = r.Int();
  u.invitation_hash = r.OptStr().value_or("");
  u.invitation_expires_at = r.OptInt();
  u.created_at = r.Int();
  u.updated_at = r.Int();
  u.team = r.Str();
  return u;
}

Session ReadSession(RowReader& r) {
  Session x;
  x.tenant_id = r.Str();
  x.id_hash = r.Str();
  x.subject_type = EnumOr<domain::ActorType>(r.Str());
  x.subject_id = r.Str();
  if (auto role = r.OptStr()) x.role = domain::Parse<domain::Role>(*role);
  x.csrf_hash = r.Str();
  x.created_at = r.Int();
  x.last_seen_at = r.Int();
  x.expires_at = r.Int();
  x.revoked_at = r.OptInt();
  return x;
}

SignInThrottle ReadThrottle(RowReader& r) {
  SignInThrottle t;
  t.tenant_id = r.Str();
  t.key = r.Str();
  t.failures = r.Int32();
  t.locked_until = r.Int();
  t.updated_at = r.Int();
  return t;
}

std::optional<std::string> NonEmpty(const std::string& v) {
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

// The columns after (tenant_id, id) in the order both statements above take them.
void UserFields(Params& p, const StaffUser& u) {
  p.Text(u.email).Text(u.name).Text(domain::Name(u.role)).Text(domain::Name(u.status));
  p.Text(u.password_hash).Bytes(u.totp_secret).Bool(u.totp_confirmed).Int(u.totp_last_step);
  p.OptText(NonEmpty(u.invitation_hash)).OptInt(u.invitation_expires_at);
}

}  // namespace

Status PgTx::InsertUser(const StaffUser& u) {
  Params p;
  p.Text(u.tenant_id).Text(u.id);
  UserFields(p, u);
  p.Int(u.created_at).Int(u.updated_at).Text(u.team);
  return Insert(kInsertUser, p);
}

Status PgTx::UpdateUser(const StaffUser& u) {
  Params p;
  p.Text(u.tenant_id).Text(u.id);
  UserFields(p, u);
  p.Int(u.updated_at).Text(u.team);
  return UpdateOne(kUpdateUser, p, "user");
}

Result<StaffUser> PgTx::GetUser(std::string_view tenant_id, std::string_view user_id) {
  return One(kGetUser, Params().Text(tenant_id).Text(user_id), "user", &ReadUser);
}

Result<StaffUser> PgTx::FindUserByEmail(std::string_view tenant_id, std::string_view email) {
  return One(kUserByEmail, Params().Text(tenant_id).Text(email), "user", &ReadUser);
}

Result<StaffUser> PgTx::FindUserByInvitation(std::string_view tenant_id,
                                             std::string_view invitation_hash) {
  return One(kUserByInvitation, Params().Text(tenant_id).Text(invitation_hash), "invitation",
             &ReadUser);
}

Result<std::vector<StaffUser>> PgTx::ListUsers(std::string_view tenant_id) {
  return Many(kListUsers, Params().Text(tenant_id), &ReadUser);
}

Status PgTx::InsertSession(const Session& x) {
  Params p;
  p.Text(x.tenant_id).Text(x.id_hash).Text(domain::Name(x.subject_type)).Text(x.subject_id);
  if (x.role) {
    p.Text(domain::Name(*x.role));
  } else {
    p.Null();
  }
  p.Text(x.csrf_hash).Int(x.created_at).Int(x.last_seen_at).Int(x.expires_at);
  p.OptInt(x.revoked_at);
  return Insert(kInsertSession, p);
}

Result<Session> PgTx::GetSession(std::string_view tenant_id, std::string_view id_hash) {
  return One(kGetSession, Params().Text(tenant_id).Text(id_hash), "session", &ReadSession);
}

Status PgTx::TouchSession(std::string_view tenant_id, std::string_view id_hash, Timestamp at) {
  return UpdateOne(kTouchSession, Params().Text(tenant_id).Text(id_hash).Int(at), "session");
}

Status PgTx::RevokeSession(std::string_view tenant_id, std::string_view id_hash, Timestamp at) {
  return Exec(kRevokeSession, Params().Text(tenant_id).Text(id_hash).Int(at)).status();
}

Result<int> PgTx::RevokeSessionsOf(std::string_view tenant_id, domain::ActorType subject_type,
                                   std::string_view subject_id, Timestamp at) {
  Params p;
  p.Text(tenant_id).Text(domain::Name(subject_type)).Text(subject_id).Int(at);
  SB_ASSIGN_OR_RETURN(PgResult r, Exec(kRevokeSessionsOf, p));
  return static_cast<int>(r.affected());
}

Result<std::int64_t> PgTx::PurgeEndedSessions(Timestamp ended_before, Timestamp idle_before) {
  SB_ASSIGN_OR_RETURN(PgResult r,
                      Exec(kPurgeEndedSessions, Params().Int(ended_before).Int(idle_before)));
  return r.Int(0, 0);
}

Result<SignInThrottle> PgTx::GetSignInThrottle(std::string_view tenant_id, std::string_view key) {
  return One(kGetThrottle, Params().Text(tenant_id).Text(key), "sign-in throttle", &ReadThrottle);
}

Status PgTx::PutSignInThrottle(const SignInThrottle& t) {
  Params p;
  p.Text(t.tenant_id).Text(t.key).Int(t.failures).Int(t.locked_until).Int(t.updated_at);
  return Exec(kPutThrottle, p).status();
}

}  // namespace sb::storage::postgres
