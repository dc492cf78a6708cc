#pragma once

// Proving a customer's identity by a one-time code (docs/ARCHITECTURE.md, "Capabilities"): a
// 6-digit code sent to the email or phone on record in the account's sealed profile, never to a
// contact named in the call, and checked when the customer reads it back. A code is valid 10
// minutes and once; only its keyed hash is stored. A right code for `verification` records an
// identity verification (otp_email / otp_sms at the pack's level) through the same path as one
// recorded by hand, so requests waiting on identity resume. The same use cases serve the
// customer portal's sign-in (`sign_in`), which therefore gets the same limits and lock:
//   - at most kCodesPerWindow codes per account and channel in kCodeWindow (any purpose);
//   - after kFailuresBeforeLock failed checks within kLockDuration the account and channel are
//     locked for kLockDuration from the last one: every check is refused unevaluated, the right
//     code included.
// Thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "app/core/context.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/model.h"

namespace sb::app {

// What a code is for. A code checks only for the purpose it was sent for.
enum class CodePurpose { kVerification, kSignIn };
std::string_view Name(CodePurpose p);  // "verification", "sign_in"

inline constexpr int kCodeDigits = 6;
inline constexpr Timestamp kCodeValidity = 10 * kMillisPerMinute;
inline constexpr int kCodesPerWindow = 3;
inline constexpr Timestamp kCodeWindow = 15 * kMillisPerMinute;
inline constexpr int kFailuresBeforeLock = 5;
inline constexpr Timestamp kLockDuration = 15 * kMillisPerMinute;

// A code sent: never the code itself, and the destination masked ("j•••@example.com",
// "•••• 5678").
struct SentCode {
  std::string id;
  std::string account_id;
  std::string channel;
  std::string purpose;
  std::string destination;
  Timestamp expires_at = 0;
};

// A code that checked: the identity verification it recorded (purpose verification only).
struct CheckedCode {
  std::string code_id;
  std::string account_id;
  std::string channel;
  std::string purpose;
  std::optional<domain::Verification> verification;
};

// `email` -> "j•••@example.com", a phone -> "•••• 5678" (its last 4 digits).
std::string MaskDestination(const std::string& channel, const std::string& to);

// The stored hash of `code` for the code `code_id`: hex HMAC-SHA-256 under `key`.
std::string CodeHash(std::string_view key, std::string_view code_id, std::string_view code);

class VerificationCodes {
 public:
  explicit VerificationCodes(Deps deps) : deps_(deps) {}

  // Sends a new code for `purpose` on `channel` ("email" or "sms") to the contact on record,
  // in one transaction: the code's row (its hash), the sealed outbox message (template
  // `verification_code`, transactional: quiet hours and opt-outs do not hold it) and the audit
  // entry `verification_code.sent` (channel and code id, never the code or the address).
  // Refusals: kNotFound account; kUnprocessable naming `channel` for an unknown channel,
  // "no_contact_on_record" when the profile has no contact of that kind (or was erased) and
  // "method_not_allowed" when the pack has no otp_<channel> identity method (verification);
  // kRateLimited "too_many_codes" past kCodesPerWindow, with the seconds until one more may
  // go in `*retry_after_seconds`. A dry run writes and sends nothing.
  Result<SentCode> Send(const CallContext& ctx, const std::string& account_id,
                        const std::string& channel, CodePurpose purpose,
                        int* retry_after_seconds = nullptr,
                        const AnswerFn<SentCode>& answer = nullptr) const;

  // Checks `code` against the newest code of the account, channel and purpose, comparing
  // hashes in constant time. Right, live and unused: the code is marked used and, for
  // verification, the identity verification recorded (RecordVerificationInTx). A wrong,
  // expired or used code (or none sent) is the same kUnprocessable "invalid_code" naming
  // `code`, and only the failed check is written. During a lock: kRateLimited
  // "verification_locked", nothing written, the seconds left in `*retry_after_seconds`. A dry
  // run is refused (kUnprocessable naming `dry_run`): it would let guesses go uncounted.
  Result<CheckedCode> Check(const CallContext& ctx, const std::string& account_id,
                            const std::string& channel, CodePurpose purpose,
                            const std::string& code, int* retry_after_seconds = nullptr,
                            const AnswerFn<CheckedCode>& answer = nullptr) const;

 private:
  Deps deps_;
};

}  // namespace sb::app
