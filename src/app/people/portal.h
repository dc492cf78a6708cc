#pragma once

// The customer portal's sign-in (docs/SECURITY.md, "The customer portal"): a customer names
// their account by its reference, gets a one-time code on the email or phone on record
// (app/verification/verification_codes.h, purpose sign_in, with its resend limit and lock),
// and reads it back for a session scoped to that account alone. Thread-safe.

#include <string>

#include "app/core/context.h"
#include "app/people/sessions.h"
#include "app/verification/verification_codes.h"
#include "common/status.h"

namespace sb::app {

struct PortalCodeInput {
  std::string tenant_id;
  std::string account_ref;  // the account's external_ref, as on the customer's bill
  std::string channel;      // email or sms
};

class PortalSignIn {
 public:
  PortalSignIn(Deps deps, const VerificationCodes& codes, const Sessions& sessions)
      : deps_(deps), codes_(codes), sessions_(sessions) {}

  // Sends a sign-in code when the account exists and has a contact of that kind on record.
  // Answers OK whatever the case (unknown tenant or account, no contact, too many codes): the
  // caller does not learn which accounts exist. kUnprocessable only for an unknown channel.
  Status SendCode(const PortalCodeInput& in) const;

  // A session for the account when `code` is its live sign-in code. kUnauthenticated
  // "invalid_code" for an unknown account and a wrong, used or expired code alike;
  // kRateLimited "verification_locked" while the account and channel are locked, with the
  // seconds left in `*retry_after_seconds`.
  Result<OpenedSession> SignIn(const PortalCodeInput& in, const std::string& code,
                               int* retry_after_seconds) const;

 private:
  // The account with that reference, if any.
  Result<std::string> FindAccount(const PortalCodeInput& in) const;

  Deps deps_;
  const VerificationCodes& codes_;
  const Sessions& sessions_;
};

// The context of a customer acting on their own account through the portal.
CallContext CustomerContext(const std::string& tenant_id, const std::string& account_id,
                            const std::string& correlation_id);

}  // namespace sb::app
