// VerificationCodes::Check: the lock, the comparison and what a right code records.
#include "app/core/change.h"
#include "app/fraud/fraud_rules.h"
#include "app/requests/requests.h"
#include "app/verification/verification_codes.h"
#include "app/verification/verification_codes_internal.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;
using namespace verification_codes;

namespace {

// When the account and channel are locked, the instant the lock ends: kFailuresBeforeLock
// failed checks within kLockDuration of the newest, after the last check that passed, lock
// them for kLockDuration from the newest. Checks refused during a lock leave no row, so the
// lock ends on time whatever is tried meanwhile.
Result<std::optional<Timestamp>> LockedUntil(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                             const std::string& account_id,
                                             const std::string& channel) {
  SB_ASSIGN_OR_RETURN(
      auto checks, tx.ListCodeChecks(ctx.tenant_id, account_id, channel, now - 2 * kLockDuration));
  std::vector<Timestamp> failures;  // newest first
  for (const domain::CodeCheck& c : checks) {
    if (c.passed) break;
    failures.push_back(c.at);
  }
  using Until = std::optional<Timestamp>;
  if (static_cast<int>(failures.size()) < kFailuresBeforeLock) return Until();
  Timestamp last = failures.front();
  if (failures[kFailuresBeforeLock - 1] <= last - kLockDuration) return Until();
  if (now >= last + kLockDuration) return Until();
  return Until(last + kLockDuration);
}

// The newest code of the account, channel and purpose still inside its validity; null when
// none. Older codes are superseded by a newer one.
Result<std::optional<domain::VerificationCode>> NewestCode(domain::Tx& tx, const CallContext& ctx,
                                                           Timestamp now,
                                                           const std::string& account_id,
                                                           const std::string& channel,
                                                           CodePurpose purpose) {
  SB_ASSIGN_OR_RETURN(auto codes, tx.ListVerificationCodes(ctx.tenant_id, account_id, channel,
                                                           now - kCodeValidity));
  for (domain::VerificationCode& c : codes) {
    if (c.purpose == Name(purpose)) return std::optional<domain::VerificationCode>(std::move(c));
  }
  return std::optional<domain::VerificationCode>();
}

// Whether `code` is right for `c`, live and unused. The hash is compared in constant time; a
// code that is not six digits is still hashed, so that its answer takes the same time.
bool Matches(const Keyring& keyring, const domain::VerificationCode& c, const std::string& code,
             Timestamp now) {
  bool same = crypto::ConstantTimeEqual(CodeHash(HashKey(keyring), c.id, code), c.code_hash);
  return same && !c.used_at && now < c.expires_at;
}

// What a right code records: the code used, its audit entry and, for verification, the
// identity verification.
Result<CheckedCode> UseCode(domain::Tx& tx, const Deps& deps, const CallContext& ctx, Timestamp now,
                            const domain::VerificationCode& c, CodePurpose purpose) {
  SB_RETURN_IF_ERROR(tx.MarkVerificationCodeUsed(ctx.tenant_id, c.id, now));
  ChangeRecorder rec(tx, ctx, now);
  json::object after{{"channel", c.channel}, {"purpose", c.purpose}, {"code_id", c.id}};
  SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity, "verification_code.used",
                               "verification_code", c.id, c.account_id, "", {}, after));
  CheckedCode out{c.id, c.account_id, c.channel, c.purpose, std::nullopt};
  if (purpose != CodePurpose::kVerification) return out;
  VerificationInput in;
  in.kind = domain::VerificationKind::kIdentity;
  in.method = "otp_" + c.channel;
  SB_ASSIGN_OR_RETURN(out.verification, RecordVerificationInTx(tx, deps, ctx, now, c.account_id, in,
                                                               VerificationSource::kCodeCheck));
  return out;
}

}  // namespace

Result<CheckedCode> VerificationCodes::Check(const CallContext& ctx, const std::string& account_id,
                                             const std::string& channel, CodePurpose purpose,
                                             const std::string& code, int* retry_after_seconds,
                                             const AnswerFn<CheckedCode>& answer) const {
  SB_RETURN_IF_ERROR(CheckChannel(channel));
  if (ctx.dry_run) {
    return Status::Unprocessable("dry_run_refused",
                                 "a code check has no dry run: every guess counts", "dry_run");
  }
  std::optional<CheckedCode> out;
  Status refused;
  Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
    out.reset();
    refused = Status::Ok();
    Timestamp now = deps_.clock.Now();
    SB_RETURN_IF_ERROR(LockedAccount(tx, ctx, account_id).status());
    SB_ASSIGN_OR_RETURN(auto locked, LockedUntil(tx, ctx, now, account_id, channel));
    if (locked) {
      if (retry_after_seconds) *retry_after_seconds = SecondsUntil(*locked, now);
      refused = Status(Code::kRateLimited, "verification_locked",
                       "too many wrong codes on this channel; try again later", "code");
      return Status::Ok();  // nothing to write
    }
    SB_ASSIGN_OR_RETURN(auto newest, NewestCode(tx, ctx, now, account_id, channel, purpose));
    domain::CodeCheck check{ctx.tenant_id,
                            crypto::NewId("vcheck", now),
                            account_id,
                            channel,
                            std::string(Name(purpose)),
                            newest ? newest->id : "",
                            false,
                            now};
    check.passed = newest && Matches(deps_.keyring, *newest, code, now);
    SB_RETURN_IF_ERROR(tx.InsertCodeCheck(check));
    if (!check.passed) {
      // The same answer for a wrong, an expired and a used code; only the attempt is kept (and
      // what the failed_codes fraud rule does when it reaches its count).
      refused = Status::Unprocessable("invalid_code", "the code is wrong, expired or already used",
                                      "code");
      return OnFailedCodeCheck(tx, deps_, ctx, now, account_id);
    }
    SB_ASSIGN_OR_RETURN(CheckedCode used, UseCode(tx, deps_, ctx, now, *newest, purpose));
    out = std::move(used);
    return StoreAnswerIfKeyed(tx, deps_.keyring, ctx, now, answer, *out);
  });
  if (!s.ok()) return s;
  if (!refused.ok()) return refused;
  return std::move(*out);
}

}  // namespace sb::app
