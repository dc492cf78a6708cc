#pragma once

// Staff users: invited by an admin (API or CLI), activated by accepting the invitation with a
// password, then signing in with that password and a TOTP code (sessions.h). Thread-safe.

#include <string>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/people.h"

namespace sb::app {

struct InviteInput {
  std::string email;
  std::string name;
  std::string role;  // agent, supervisor, admin or auditor
  std::string team;  // optional (domain::IsTeamCode)
};

// A team and how many users (not disabled) work in it.
struct TeamSize {
  std::string team;
  int members = 0;
};

// A user just invited, with the invitation's secret: never stored, emailed to the user (the
// `user.invitation` message) and handed to the operator who invites from the command line.
struct Invitation {
  domain::StaffUser user;
  std::string token;
  Timestamp expires_at = 0;
  std::string message_id;  // the outbox message that emails the link
};

// What an authenticator app needs to start producing the user's codes.
struct TotpEnrolment {
  std::string secret_base32;
  std::string otpauth_uri;
  std::string qr_svg;
};

struct ActivatedUser {
  domain::StaffUser user;
  TotpEnrolment totp;
};

class StaffUsers {
 public:
  // `public_url`: the address people reach this server at; invitation links are
  // `<public_url>/#invitation=<secret>` (a fragment, so the secret is never sent in a request
  // line or kept in an access log).
  StaffUsers(Deps deps, std::string public_url) : deps_(deps), public_url_(std::move(public_url)) {}

  static constexpr Timestamp kInvitationValidity = 72 * 60 * 60 * kMillisPerSecond;

  // A new user in `ctx`'s tenant, status invited, with a TOTP secret and an invitation valid
  // kInvitationValidity, emailed to the user in the same transaction (the `user.invitation`
  // message, app/notifications/composer.h). kConflict "user_exists" when the email is taken;
  // audit user.invited.
  Result<Invitation> Invite(const CallContext& ctx, const InviteInput& in) const;
  // A new invitation for an existing user, emailed like the first: for an invitation lost or
  // expired, or a user who lost their second factor. The user's password and TOTP secret are
  // reset (a new enrolment at acceptance), every session of the user is revoked and the user is
  // `invited` until it accepts. kNotFound "user"; kConflict "user_disabled" for a disabled user
  // and "cannot_reinvite_self" for the acting user itself. Audit user.reinvited.
  Result<Invitation> Reinvite(const CallContext& ctx, const std::string& user_id) const;
  // Sets the password of the user whose invitation `token` is, makes it active and returns
  // its TOTP enrolment; the first sign-in's code confirms it. kNotFound "invitation" for an
  // unknown, used or expired invitation (alike). Audit user.activated.
  Result<ActivatedUser> AcceptInvitation(const std::string& token,
                                         const std::string& password) const;
  Result<std::vector<domain::StaffUser>> List(const CallContext& ctx) const;
  Result<domain::StaffUser> Get(const CallContext& ctx, const std::string& user_id) const;
  // Puts the user in `team` ("" takes it out of any). kUnprocessable naming `team` when it is
  // not a team code (domain::IsTeamCode); kNotFound "user". Audit user.team_changed.
  Result<domain::StaffUser> SetTeam(const CallContext& ctx, const std::string& user_id,
                                    const std::string& team) const;
  // The tenant's teams, by name, with their members who are not disabled.
  Result<std::vector<TeamSize>> Teams(const CallContext& ctx) const;
  // Who may be given work: the users who are not disabled, by name (the staff directory any
  // staff role reads; the route answers no email).
  Result<std::vector<domain::StaffUser>> Directory(const CallContext& ctx) const;
  // Disables the user and revokes every session of it. An admin may not disable itself.
  Result<domain::StaffUser> Disable(const CallContext& ctx, const std::string& user_id) const;
  // The acting user's password, after checking the current one; revokes every session of
  // the user (it signs in again). kUnauthenticated "invalid_credentials" when `current` is
  // wrong.
  Status ChangePassword(const CallContext& ctx, const std::string& current,
                        const std::string& next) const;

  // The enrolment of a user's TOTP secret (wrapped in `user`).
  Result<TotpEnrolment> Enrolment(const domain::StaffUser& user) const;

 private:
  // Gives `u` a new invitation (and TOTP secret) and writes the email carrying it, in `tx`.
  Result<Invitation> NewInvitation(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                   domain::StaffUser& u) const;

  Deps deps_;
  std::string public_url_;
};

// The purpose a user's TOTP secret is wrapped under.
std::string TotpPurpose(const std::string& tenant_id, const std::string& user_id);

// The audit context of something a user does itself (signing in, accepting an invitation).
CallContext UserContext(const domain::StaffUser& user, const std::string& correlation_id);

}  // namespace sb::app
