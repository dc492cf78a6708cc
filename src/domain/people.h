#pragma once

// Staff users and sign-in sessions: the records, and the rules about them that need no
// storage (docs/SECURITY.md, "People").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "domain/enums.h"

namespace sb::domain {

// invited: created, waiting for its invitation to be accepted (no password yet);
// active: may sign in; disabled: may not, and has no live session.
enum class UserStatus { kInvited, kActive, kDisabled };
std::string_view Name(UserStatus v);
std::optional<UserStatus> ParseUserStatus(std::string_view text);

// A person on the tenant's staff: an agent, supervisor, admin or auditor. Signs in with a
// password and a TOTP code; acts as actor type `user`.
struct StaffUser {
  std::string tenant_id;
  std::string id;     // "usr_..."
  std::string email;  // lower case; unique per tenant
  std::string name;
  Role role = Role::kAgent;
  UserStatus status = UserStatus::kInvited;
  std::string password_hash;        // argon2id, crypto/password.h; empty until the invitation
  std::string totp_secret;          // wrapped under the master key (Keyring::WrapSecret)
  bool totp_confirmed = false;      // a code from it has been accepted once
  std::int64_t totp_last_step = 0;  // the step of the last code accepted: never again
  std::string invitation_hash;      // hex SHA-256 of the invitation's secret; empty when none
  std::optional<Timestamp> invitation_expires_at;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::string team;  // the team the user works in (IsTeamCode, domain/reports.h); or empty
};

// A signed-in browser: a staff user's (subject_type user) or a customer's on the portal
// (subject_type customer, subject_id the account). The cookie's secret is never stored.
struct Session {
  std::string tenant_id;
  std::string id_hash;  // hex SHA-256 of the cookie's secret
  ActorType subject_type = ActorType::kUser;
  std::string subject_id;
  std::optional<Role> role;  // a staff user's role when signing in
  std::string csrf_hash;     // hex SHA-256 of the session's CSRF token
  Timestamp created_at = 0;
  Timestamp last_seen_at = 0;
  Timestamp expires_at = 0;  // the absolute timeout
  std::optional<Timestamp> revoked_at;
};

// Failed sign-ins of one email from one source address (the key is a hash of both), so an
// attacker elsewhere cannot lock the real user out.
struct SignInThrottle {
  std::string tenant_id;
  std::string key;  // hex SHA-256 of tenant, email and source address
  int failures = 0;
  Timestamp locked_until = 0;
  Timestamp updated_at = 0;
};

// Roles a person may hold (not `system`).
std::optional<Role> ParseStaffRole(std::string_view text);

// The form a staff email is stored and looked up in (StaffUser::email): ASCII lower case.
std::string StaffEmailKey(std::string email);

// A new password: 12 to 256 bytes, not the email. kUnprocessable naming `field`.
Status CheckNewPassword(std::string_view password, std::string_view email,
                        std::string_view field = "password");

// Sign-in backoff: free tries, then a lock that doubles with each further failure.
constexpr int kSignInFreeFailures = 5;
constexpr Timestamp kSignInFirstLock = 30 * kMillisPerSecond;
constexpr Timestamp kSignInLongestLock = 15 * 60 * kMillisPerSecond;
// Until when `failures` consecutive failures (the last at `now`) lock the sign-in; `now`
// itself (no lock) below kSignInFreeFailures.
Timestamp SignInLockedUntil(int failures, Timestamp now);

// Whether a session is live at `now` under an idle timeout of `idle`.
bool SessionLive(const Session& s, Timestamp now, Timestamp idle);

}  // namespace sb::domain
