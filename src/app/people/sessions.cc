#include "app/people/sessions.h"

#include <algorithm>

#include "app/core/change.h"
#include "app/core/keyring.h"
#include "app/people/people_secrets.h"
#include "app/people/staff_users.h"
#include "crypto/crypto.h"
#include "crypto/password.h"
#include "crypto/totp.h"

namespace sb::app {
namespace {

using domain::Session;
using domain::StaffUser;
using domain::UserStatus;

// How often a live session's last_seen_at is written: the idle timeout is this coarse.
constexpr Timestamp kTouchEvery = 60 * kMillisPerSecond;

Status InvalidCredentials() {
  return Status(Code::kUnauthenticated, "invalid_credentials",
                "The email, password or code is not right.");
}

Status SessionExpired() {
  return Status(Code::kUnauthenticated, "session_expired", "The session has ended; sign in again.");
}

std::string ThrottleKey(const SignInInput& in, const std::string& email) {
  return crypto::Hex(crypto::Sha256(in.tenant_id + "\n" + email + "\n" + in.source));
}

// Fills `out` with a new session's secrets and row (not yet stored).
void NewSession(const std::string& tenant_id, domain::ActorType subject_type,
                const std::string& subject_id, std::optional<domain::Role> role, Timestamp at,
                const SessionOptions& options, OpenedSession& out) {
  out.token = NewTenantToken(tenant_id);
  out.csrf_token = crypto::Base64Url(crypto::RandomBytes(32));
  Session& s = out.session;
  s.tenant_id = tenant_id;
  s.id_hash = TokenHash(out.token);
  s.subject_type = subject_type;
  s.subject_id = subject_id;
  s.role = role;
  s.csrf_hash = TokenHash(out.csrf_token);
  s.created_at = s.last_seen_at = at;
  s.expires_at = at + options.absolute;
}

}  // namespace

Result<OpenedSession> Sessions::OpenCustomer(const std::string& tenant_id,
                                             const std::string& account_id) const {
  OpenedSession out;
  SB_RETURN_IF_ERROR(deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp at = deps_.clock.Now();
    NewSession(tenant_id, domain::ActorType::kCustomer, account_id, std::nullopt, at, options_,
               out);
    SB_RETURN_IF_ERROR(tx.InsertSession(out.session));
    CallContext ctx;
    ctx.tenant_id = tenant_id;
    ctx.actor = {domain::ActorType::kCustomer, account_id, std::nullopt};
    ctx.channel = domain::Channel::kPortal;
    ctx.correlation_id = "session:" + out.session.id_hash.substr(0, 16);
    ChangeRecorder rec(tx, ctx, at);
    return rec.Audit(domain::AuditCategory::kSecurity, "session.started", "account", account_id,
                     account_id, "", {}, {{"session", out.session.id_hash.substr(0, 16)}});
  }));
  return out;
}

std::int64_t SecondsUntil(Timestamp until, Timestamp now) {
  return std::max<std::int64_t>(1, (until - now + kMillisPerSecond - 1) / kMillisPerSecond);
}

Result<OpenedSession> Sessions::SignInStaff(const SignInInput& in, Timestamp* locked_until) const {
  if (in.email.size() > 254) return Status::Invalid("email", "An email has at most 254 bytes.");
  if (in.password.size() > 256) {
    return Status::Invalid("password", "A password has at most 256 bytes.");
  }
  if (in.totp_code.size() > 16) return Status::Invalid("totp_code", "A code has 6 digits.");
  const std::string email = domain::StaffEmailKey(in.email);
  const std::string key = ThrottleKey(in, email);

  // 1. What is known before any slow work: the tenant, the lock, the user.
  bool tenant_known = false;
  std::optional<domain::SignInThrottle> throttle;
  std::optional<StaffUser> user;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    tenant_known = tx.GetTenant(in.tenant_id).ok();
    if (!tenant_known) return Status::Ok();
    auto t = tx.GetSignInThrottle(in.tenant_id, key);
    if (t.ok()) throttle = std::move(*t);
    auto u = tx.FindUserByEmail(in.tenant_id, email);
    if (u.ok()) user = std::move(*u);
    return Status::Ok();
  }));
  Timestamp now = deps_.clock.Now();
  if (throttle && throttle->locked_until > now) {
    if (locked_until) *locked_until = throttle->locked_until;
    return Status(Code::kRateLimited, "sign_in_locked",
                  "Too many failed sign-ins for this email from this address; wait and retry.");
  }

  // 2. The password (always hashed, so timing does not tell whether the user exists), then
  // the code.
  const bool active = user && user->status == UserStatus::kActive;
  bool good = VerifyPasswordBounded(active ? user->password_hash : "", in.password) && active;
  std::optional<std::int64_t> step;
  if (good) {
    auto secret =
        deps_.keyring.UnwrapSecret(user->totp_secret, TotpPurpose(user->tenant_id, user->id));
    if (!secret.ok()) return secret.status();
    step = crypto::MatchTotp(*secret, in.totp_code, now, user->totp_last_step);
    good = step.has_value();
  }

  // 3. One write: the failure counted, or the session opened.
  OpenedSession out;
  Status written = deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp at = deps_.clock.Now();
    if (!tenant_known) return InvalidCredentials();
    auto t = tx.GetSignInThrottle(in.tenant_id, key);
    domain::SignInThrottle next = t.ok() ? *t : domain::SignInThrottle{in.tenant_id, key, 0, 0, at};
    if (!good) {
      next.failures += 1;
      next.locked_until = domain::SignInLockedUntil(next.failures, at);
      next.updated_at = at;
      SB_RETURN_IF_ERROR(tx.PutSignInThrottle(next));
      return Status::Ok();
    }
    SB_ASSIGN_OR_RETURN(StaffUser u, tx.GetUser(in.tenant_id, user->id));
    // The same code accepted twice at once: only the first opens a session.
    if (u.status != UserStatus::kActive || u.totp_last_step >= *step) return InvalidCredentials();
    const bool first_code = !u.totp_confirmed;
    u.totp_confirmed = true;
    u.totp_last_step = *step;
    if (crypto::PasswordNeedsRehash(u.password_hash)) {
      std::string rehashed = crypto::HashPassword(in.password);
      if (!rehashed.empty()) u.password_hash = std::move(rehashed);
    }
    u.updated_at = at;
    SB_RETURN_IF_ERROR(tx.UpdateUser(u));
    if (t.ok() && t->failures > 0) {
      next.failures = 0;
      next.locked_until = 0;
      next.updated_at = at;
      SB_RETURN_IF_ERROR(tx.PutSignInThrottle(next));
    }
    NewSession(in.tenant_id, domain::ActorType::kUser, u.id, u.role, at, options_, out);
    const Session& s = out.session;
    SB_RETURN_IF_ERROR(tx.InsertSession(s));
    CallContext ctx = UserContext(u, "session:" + s.id_hash.substr(0, 16));
    ChangeRecorder rec(tx, ctx, at);
    SB_RETURN_IF_ERROR(
        rec.Audit(domain::AuditCategory::kSecurity, "session.started", "user", u.id, "", "", {},
                  {{"session", s.id_hash.substr(0, 16)}, {"second_factor_confirmed", first_code}}));
    out.user = std::move(u);
    return Status::Ok();
  });
  SB_RETURN_IF_ERROR(written);
  if (!good) return InvalidCredentials();
  return out;
}

Result<SessionPrincipal> Sessions::Authenticate(const std::string& token) const {
  std::optional<std::string> tenant = TokenTenant(token);
  if (!tenant) return SessionExpired();
  const std::string hash = TokenHash(token);
  SessionPrincipal out;
  Status read = deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto s = tx.GetSession(*tenant, hash);
    if (!s.ok()) return s.status().code() == Code::kNotFound ? SessionExpired() : s.status();
    out.session = std::move(*s);
    if (!domain::SessionLive(out.session, deps_.clock.Now(), options_.idle))
      return SessionExpired();
    out.actor.type = out.session.subject_type;
    out.actor.id = out.session.subject_id;
    if (out.session.subject_type == domain::ActorType::kUser) {
      auto u = tx.GetUser(*tenant, out.session.subject_id);
      if (!u.ok() || u->status != UserStatus::kActive) return SessionExpired();
      out.actor.role = u->role;  // a role changed since sign-in applies at once
    }
    return Status::Ok();
  });
  SB_RETURN_IF_ERROR(read);
  const Timestamp now = deps_.clock.Now();
  if (now - out.session.last_seen_at >= kTouchEvery) {
    SB_RETURN_IF_ERROR(
        deps_.store.Write([&](domain::Tx& tx) { return tx.TouchSession(*tenant, hash, now); }));
    out.session.last_seen_at = now;
  }
  return out;
}

bool Sessions::CsrfMatches(const Session& session, const std::string& csrf_token) {
  if (csrf_token.empty() || csrf_token.size() > 128) return false;
  return crypto::ConstantTimeEqual(TokenHash(csrf_token), session.csrf_hash);
}

Status Sessions::SignOut(const std::string& token, const CallContext& ctx) const {
  std::optional<std::string> tenant = TokenTenant(token);
  if (!tenant) return Status::Ok();
  const std::string hash = TokenHash(token);
  return deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    SB_RETURN_IF_ERROR(tx.RevokeSession(*tenant, hash, now));
    ChangeRecorder rec(tx, ctx, now);
    const bool customer = ctx.actor.type == domain::ActorType::kCustomer;
    return rec.Audit(domain::AuditCategory::kSecurity, "session.ended",
                     customer ? "account" : "user", ctx.actor.id, customer ? ctx.actor.id : "", "",
                     {}, {{"session", hash.substr(0, 16)}});
  });
}

Result<std::int64_t> Sessions::PurgeEnded() const {
  std::int64_t purged = 0;
  SB_RETURN_IF_ERROR(deps_.store.Write([&](domain::Tx& tx) -> Status {
    const Timestamp ended_before = deps_.clock.Now() - kKeepEnded;
    SB_ASSIGN_OR_RETURN(purged, tx.PurgeEndedSessions(ended_before, ended_before - options_.idle));
    return Status::Ok();
  }));
  return purged;
}

}  // namespace sb::app
