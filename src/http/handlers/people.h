#pragma once

// The handlers of staff users, invitations and sign-in sessions (docs/SECURITY.md,
// "People"), each answering the route named above it. The routes are listed in
// http/routes.cc.

#include "http/exchange.h"
#include "http/types.h"

namespace sb::http::handlers::people {

// POST /v1/sessions: email, password and TOTP code; sets the session cookie.
Response SignIn(Exchange& ex);

// DELETE /v1/sessions/current: signs the cookie's session out and clears the cookie.
Response SignOut(Exchange& ex);

// POST /v1/me/password: the signed-in user's own password; ends every session of it.
Response ChangePassword(Exchange& ex);

// POST /v1/invitations/accept: the invitation's token and a password; answers the TOTP
// enrolment.
Response AcceptInvitation(Exchange& ex);

// POST /v1/users: invites a user.
Response InviteUser(Exchange& ex);

// GET /v1/users.
Response ListUsers(Exchange& ex);

// GET /v1/users/{id}.
Response GetUser(Exchange& ex);

// PATCH /v1/users/{id} {"team"}: the user's team (admin).
Response UpdateUser(Exchange& ex);

// GET /v1/teams: the tenant's teams and their active members' count (any staff role).
Response ListTeams(Exchange& ex);

// GET /v1/staff: the users who may be given work, by name, without their email (any staff
// role).
Response ListStaff(Exchange& ex);

// POST /v1/users/{id}/disable.
Response DisableUser(Exchange& ex);
Response ReinviteUser(Exchange& ex);

}  // namespace sb::http::handlers::people
