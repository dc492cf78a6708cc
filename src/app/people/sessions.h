#pragma once

// Signed-in browsers (docs/SECURITY.md, "People"): staff sign in with email, password and a
// TOTP code; the session is an opaque cookie whose hash alone is stored, with a CSRF token
// for cookie-authenticated writes, an idle and an absolute timeout. Thread-safe.

#include <optional>
#include <string>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/people.h"

namespace sb::app {

struct SessionOptions {
  Timestamp idle = 30 * 60 * kMillisPerSecond;
  Timestamp absolute = 12 * 60 * 60 * kMillisPerSecond;
};

struct SignInInput {
  std::string tenant_id;
  std::string email;
  std::string password;
  std::string totp_code;
  std::string source;  // the caller's address: failures are counted per email and address
};

// A session just opened: the cookie's value and the CSRF token, shown once.
struct OpenedSession {
  std::string token;
  std::string csrf_token;
  domain::Session session;
  domain::StaffUser user;  // a staff session's user; empty for a customer's
};

// Who a session cookie stands for.
struct SessionPrincipal {
  domain::Session session;
  domain::Actor actor;  // user (with its current role) or customer
};

class Sessions {
 public:
  Sessions(Deps deps, SessionOptions options) : deps_(deps), options_(options) {}

  // kUnauthenticated "invalid_credentials" for a wrong email, password or code, a user not
  // active, an unknown tenant, all alike; kRateLimited "sign_in_locked" while this email and
  // address are locked, with the lock's end in `*locked_until`. A failure writes only the
  // failure count.
  Result<OpenedSession> SignInStaff(const SignInInput& in, Timestamp* locked_until) const;
  // A new session for a customer of `tenant_id` on the portal, scoped to `account_id`
  // (its code already checked by the caller). Audit session.started on the account.
  Result<OpenedSession> OpenCustomer(const std::string& tenant_id,
                                     const std::string& account_id) const;
  // The principal of a live session; kUnauthenticated "session_expired" otherwise (unknown,
  // revoked, idle or past its absolute timeout, or its user no longer active).
  Result<SessionPrincipal> Authenticate(const std::string& token) const;
  // Whether `csrf_token` is the session's (constant time).
  static bool CsrfMatches(const domain::Session& session, const std::string& csrf_token);
  // Revokes the session of `token` (a no-op when it is not live).
  Status SignOut(const std::string& token, const CallContext& ctx) const;

  // Deletes, across tenants, the sessions that ended more than kKeepEnded ago (revoked, past
  // their absolute timeout, or idle that long past the idle timeout) and the sign-in
  // throttle rows untouched and unlocked for as long; returns how many rows went. A deleted
  // session's cookie then authenticates nothing, as an ended one did.
  Result<std::int64_t> PurgeEnded() const;
  static constexpr Timestamp kKeepEnded = 24 * 60 * 60 * kMillisPerSecond;

  const SessionOptions& options() const { return options_; }

 private:
  Deps deps_;
  SessionOptions options_;
};

// Seconds until `until`, at least 1: a Retry-After.
std::int64_t SecondsUntil(Timestamp until, Timestamp now);

}  // namespace sb::app
