#include "app/people/staff_users.h"

#include <algorithm>
#include <map>

#include "app/core/change.h"
#include "app/core/keyring.h"
#include "app/notifications/composer.h"
#include "app/people/people_secrets.h"
#include "app/people/qr_code.h"
#include "crypto/crypto.h"
#include "crypto/totp.h"
#include "domain/contacts.h"
#include "domain/reports.h"

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::StaffUser;
using domain::UserStatus;

// What the audit log keeps of a user: never the email itself, only its hash.
json::object AuditUser(const StaffUser& u) {
  return {{"email_sha256", crypto::Hex(crypto::Sha256(u.email))},
          {"role", domain::Name(u.role)},
          {"status", domain::Name(u.status)},
          {"team", u.team}};
}

Status CheckTeam(const std::string& team) {
  if (team.empty() || domain::IsTeamCode(team)) return Status::Ok();
  return Status::Unprocessable("invalid_value",
                               "A team is 1 to 64 letters, digits, '.', '_' or '-'.", "team");
}

Result<StaffUser> FindUser(domain::Tx& tx, const std::string& tenant_id,
                           const std::string& user_id) {
  auto user = tx.GetUser(tenant_id, user_id);
  if (!user.ok() && user.status().code() == Code::kNotFound) return Status::NotFound("user");
  return user;
}

}  // namespace

std::string TotpPurpose(const std::string& tenant_id, const std::string& user_id) {
  return "totp/" + tenant_id + "/" + user_id;
}

CallContext UserContext(const StaffUser& user, const std::string& correlation_id) {
  CallContext ctx;
  ctx.tenant_id = user.tenant_id;
  ctx.actor = {domain::ActorType::kUser, user.id, user.role};
  ctx.channel = domain::Channel::kWeb;
  ctx.correlation_id = correlation_id;
  return ctx;
}

Result<Invitation> StaffUsers::Invite(const CallContext& ctx, const InviteInput& in) const {
  const std::string email = domain::StaffEmailKey(in.email);
  SB_RETURN_IF_ERROR(domain::CheckEmail(email, "email"));
  if (in.name.empty() || in.name.size() > 200) {
    return Status::Unprocessable("invalid_value", "A user's name has 1 to 200 characters.", "name");
  }
  std::optional<domain::Role> role = domain::ParseStaffRole(in.role);
  if (!role) {
    return Status::Unprocessable("invalid_value",
                                 "role must be agent, supervisor, admin or auditor.", "role");
  }
  SB_RETURN_IF_ERROR(CheckTeam(in.team));
  return RunChange<Invitation>(
      deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<Invitation> {
        StaffUser u;
        u.tenant_id = ctx.tenant_id;
        u.id = crypto::NewId("usr", now);
        u.email = email;
        u.name = in.name;
        u.role = *role;
        u.team = in.team;
        u.status = UserStatus::kInvited;
        u.created_at = now;
        SB_ASSIGN_OR_RETURN(Invitation out, NewInvitation(tx, ctx, now, u));
        Status inserted = tx.InsertUser(out.user);
        if (inserted.code() == Code::kConflict) {
          return Status::Conflict("user_exists", "This tenant already has a user with that email.",
                                  "email");
        }
        SB_RETURN_IF_ERROR(inserted);
        json::object after = AuditUser(out.user);
        after["message_id"] = out.message_id;
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kAccess, "user.invited", "user", u.id,
                                     "", "", {}, after));
        return out;
      });
}

Result<Invitation> StaffUsers::Reinvite(const CallContext& ctx, const std::string& user_id) const {
  if (ctx.actor.type == domain::ActorType::kUser && ctx.actor.id == user_id) {
    return Status::Conflict("cannot_reinvite_self",
                            "A user may not reset its own sign-in; another admin does.");
  }
  return RunChange<Invitation>(
      deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<Invitation> {
        SB_ASSIGN_OR_RETURN(StaffUser u, FindUser(tx, ctx.tenant_id, user_id));
        if (u.status == UserStatus::kDisabled) {
          return Status::Conflict("user_disabled", "A disabled user cannot be invited again.");
        }
        StaffUser before = u;
        u.status = UserStatus::kInvited;
        u.password_hash.clear();
        u.totp_confirmed = false;
        u.totp_last_step = 0;
        SB_ASSIGN_OR_RETURN(Invitation out, NewInvitation(tx, ctx, now, u));
        SB_RETURN_IF_ERROR(tx.UpdateUser(out.user));
        SB_ASSIGN_OR_RETURN(
            int revoked, tx.RevokeSessionsOf(ctx.tenant_id, domain::ActorType::kUser, u.id, now));
        json::object after = AuditUser(out.user);
        after["message_id"] = out.message_id;
        after["sessions_revoked"] = revoked;
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity, "user.reinvited", "user",
                                     u.id, "", "", AuditUser(before), after));
        return out;
      });
}

Result<Invitation> StaffUsers::NewInvitation(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                             StaffUser& u) const {
  Invitation out;
  u.totp_secret = deps_.keyring.WrapSecret(crypto::NewTotpSecret(), TotpPurpose(u.tenant_id, u.id));
  out.token = NewTenantToken(ctx.tenant_id);
  out.expires_at = now + kInvitationValidity;
  u.invitation_hash = TokenHash(out.token);
  u.invitation_expires_at = out.expires_at;
  u.updated_at = now;
  DirectMessage mail{"user.invitation",
                     "email",
                     u.email,
                     {{"user_name", u.name},
                      {"invitation_link", public_url_ + "/#invitation=" + out.token},
                      {"invitation_valid_hours",
                       std::to_string(kInvitationValidity / (60 * 60 * kMillisPerSecond))}}};
  SB_ASSIGN_OR_RETURN(out.message_id, WriteStaffMessage(tx, ctx, now, u.id, mail));
  out.user = u;
  return out;
}

Result<ActivatedUser> StaffUsers::AcceptInvitation(const std::string& token,
                                                   const std::string& password) const {
  std::optional<std::string> tenant = TokenTenant(token);
  if (!tenant) return Status::NotFound("invitation", "token");
  // Read first, so that the slow hash runs outside the write transaction.
  StaffUser user;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto found = tx.FindUserByInvitation(*tenant, TokenHash(token));
    if (!found.ok()) {
      return found.status().code() == Code::kNotFound ? Status::NotFound("invitation", "token")
                                                      : found.status();
    }
    user = std::move(*found);
    return Status::Ok();
  }));
  const Timestamp now = deps_.clock.Now();
  if (user.status != UserStatus::kInvited || !user.invitation_expires_at ||
      *user.invitation_expires_at <= now) {
    return Status::NotFound("invitation", "token");
  }
  SB_RETURN_IF_ERROR(domain::CheckNewPassword(password, user.email));
  const std::string hash = HashPasswordBounded(password);
  if (hash.empty()) return Status::Unavailable("The password could not be hashed; try again.");
  ActivatedUser out;
  SB_RETURN_IF_ERROR(deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp at = deps_.clock.Now();
    auto current = tx.FindUserByInvitation(*tenant, TokenHash(token));
    if (!current.ok() || current->id != user.id || current->status != UserStatus::kInvited) {
      return Status::NotFound("invitation", "token");  // accepted meanwhile
    }
    StaffUser u = std::move(*current);
    StaffUser before = u;
    u.status = UserStatus::kActive;
    u.password_hash = hash;
    u.invitation_hash.clear();
    u.invitation_expires_at.reset();
    u.updated_at = at;
    SB_RETURN_IF_ERROR(tx.UpdateUser(u));
    CallContext ctx = UserContext(u, "invitation:" + u.id);
    ChangeRecorder rec(tx, ctx, at);
    SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kAccess, "user.activated", "user", u.id, "",
                                 "", AuditUser(before), AuditUser(u)));
    out.user = std::move(u);
    return Status::Ok();
  }));
  SB_ASSIGN_OR_RETURN(out.totp, Enrolment(out.user));
  return out;
}

Result<TotpEnrolment> StaffUsers::Enrolment(const StaffUser& user) const {
  SB_ASSIGN_OR_RETURN(
      std::string secret,
      deps_.keyring.UnwrapSecret(user.totp_secret, TotpPurpose(user.tenant_id, user.id)));
  std::string issuer = "Switchboard";
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto tenant = tx.GetTenant(user.tenant_id);
    if (tenant.ok()) issuer = tenant->name;
    return Status::Ok();
  }));
  TotpEnrolment e;
  e.secret_base32 = crypto::Base32(secret);
  e.otpauth_uri = crypto::OtpauthUri(issuer, user.email, secret);
  e.qr_svg = QrCodeSvg(e.otpauth_uri);
  return e;
}

Result<std::vector<StaffUser>> StaffUsers::List(const CallContext& ctx) const {
  std::vector<StaffUser> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, tx.ListUsers(ctx.tenant_id));
    return Status::Ok();
  }));
  return out;
}

Result<StaffUser> StaffUsers::Get(const CallContext& ctx, const std::string& user_id) const {
  StaffUser out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, FindUser(tx, ctx.tenant_id, user_id));
    return Status::Ok();
  }));
  return out;
}

Result<StaffUser> StaffUsers::SetTeam(const CallContext& ctx, const std::string& user_id,
                                      const std::string& team) const {
  SB_RETURN_IF_ERROR(CheckTeam(team));
  return RunChange<StaffUser>(
      deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<StaffUser> {
        SB_ASSIGN_OR_RETURN(StaffUser u, FindUser(tx, ctx.tenant_id, user_id));
        if (u.team == team) return u;
        StaffUser before = u;
        u.team = team;
        u.updated_at = now;
        SB_RETURN_IF_ERROR(tx.UpdateUser(u));
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kAccess, "user.team_changed", "user",
                                     u.id, "", "", AuditUser(before), AuditUser(u)));
        return u;
      });
}

Result<std::vector<TeamSize>> StaffUsers::Teams(const CallContext& ctx) const {
  SB_ASSIGN_OR_RETURN(std::vector<StaffUser> users, List(ctx));
  std::map<std::string, int> sizes;
  for (const StaffUser& u : users) {
    if (u.team.empty()) continue;
    int& n = sizes[u.team];
    if (u.status != UserStatus::kDisabled) ++n;
  }
  std::vector<TeamSize> out;
  for (const auto& [team, members] : sizes) out.push_back({team, members});
  return out;
}

Result<std::vector<StaffUser>> StaffUsers::Directory(const CallContext& ctx) const {
  SB_ASSIGN_OR_RETURN(std::vector<StaffUser> users, List(ctx));
  std::erase_if(users, [](const StaffUser& u) { return u.status == UserStatus::kDisabled; });
  std::stable_sort(users.begin(), users.end(),
                   [](const StaffUser& a, const StaffUser& b) { return a.name < b.name; });
  return users;
}

Result<StaffUser> StaffUsers::Disable(const CallContext& ctx, const std::string& user_id) const {
  if (ctx.actor.type == domain::ActorType::kUser && ctx.actor.id == user_id) {
    return Status::Conflict("cannot_disable_self", "A user may not disable itself.");
  }
  return RunChange<StaffUser>(
      deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<StaffUser> {
        SB_ASSIGN_OR_RETURN(StaffUser u, FindUser(tx, ctx.tenant_id, user_id));
        if (u.status == UserStatus::kDisabled) return u;
        StaffUser before = u;
        u.status = UserStatus::kDisabled;
        u.invitation_hash.clear();
        u.invitation_expires_at.reset();
        u.updated_at = now;
        SB_RETURN_IF_ERROR(tx.UpdateUser(u));
        SB_ASSIGN_OR_RETURN(
            int revoked, tx.RevokeSessionsOf(ctx.tenant_id, domain::ActorType::kUser, u.id, now));
        json::object after = AuditUser(u);
        after["sessions_revoked"] = revoked;
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kAccess, "user.disabled", "user", u.id,
                                     "", "", AuditUser(before), after));
        return u;
      });
}

Status StaffUsers::ChangePassword(const CallContext& ctx, const std::string& current,
                                  const std::string& next) const {
  if (ctx.actor.type != domain::ActorType::kUser) {
    return Status::PermissionDenied("Only a signed-in user has a password to change.");
  }
  if (current.size() > 256) {
    return Status::Invalid("current_password", "A password has at most 256 bytes.");
  }
  StaffUser user;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(user, FindUser(tx, ctx.tenant_id, ctx.actor.id));
    return Status::Ok();
  }));
  SB_RETURN_IF_ERROR(domain::CheckNewPassword(next, user.email, "new_password"));
  if (!VerifyPasswordBounded(user.password_hash, current)) {
    return Status(Code::kUnauthenticated, "invalid_credentials",
                  "The current password is not right.", "current_password");
  }
  const std::string hash = HashPasswordBounded(next);
  if (hash.empty()) return Status::Unavailable("The password could not be hashed; try again.");
  return deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(StaffUser u, FindUser(tx, ctx.tenant_id, ctx.actor.id));
    u.password_hash = hash;
    u.updated_at = now;
    SB_RETURN_IF_ERROR(tx.UpdateUser(u));
    SB_ASSIGN_OR_RETURN(int revoked,
                        tx.RevokeSessionsOf(ctx.tenant_id, domain::ActorType::kUser, u.id, now));
    ChangeRecorder rec(tx, ctx, now);
    return rec.Audit(domain::AuditCategory::kSecurity, "user.password_changed", "user", u.id, "",
                     "", {}, {{"sessions_revoked", revoked}});
  });
}

}  // namespace sb::app
