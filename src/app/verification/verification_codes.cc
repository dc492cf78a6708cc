#include "app/verification/verification_codes.h"

#include "app/accounts/account_data.h"
#include "app/core/change.h"
#include "app/core/keyring.h"
#include "app/notifications/composer.h"
#include "app/policy/policy_cache.h"
#include "app/verification/verification_codes_internal.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;

std::string_view Name(CodePurpose p) {
  return p == CodePurpose::kSignIn ? "sign_in" : "verification";
}

std::string MaskDestination(const std::string& channel, const std::string& to) {
  if (channel == "email") {
    size_t at = to.find('@');
    if (at == std::string::npos || at == 0) return "•••";
    return to.substr(0, 1) + "•••" + to.substr(at);
  }
  std::string digits;
  for (char c : to) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return "•••• " + (digits.size() > 4 ? digits.substr(digits.size() - 4) : std::string());
}

std::string CodeHash(std::string_view key, std::string_view code_id, std::string_view code) {
  std::string message(code_id);
  message += ':';
  message += code;
  return crypto::Hex(crypto::HmacSha256(key, message));
}

namespace verification_codes {

Status CheckChannel(const std::string& channel) {
  if (channel == "email" || channel == "sms") return Status::Ok();
  return Status::Unprocessable("invalid_value", "channel must be email or sms", "channel");
}

int SecondsUntil(Timestamp at, Timestamp now) {
  return static_cast<int>(std::max<Timestamp>(1, (at - now + 999) / 1000));
}

Result<domain::Account> LockedAccount(domain::Tx& tx, const CallContext& ctx,
                                      const std::string& account_id) {
  auto acc = tx.GetAccount(ctx.tenant_id, account_id, /*for_update=*/true);
  if (!acc.ok() && acc.status().code() == Code::kNotFound) return Status::NotFound("account");
  return acc;
}

std::string HashKey(const Keyring& keyring) { return keyring.DerivedKey("verification codes"); }

}  // namespace verification_codes

namespace {

using namespace verification_codes;

// The contact of `channel` on record; kUnprocessable "no_contact_on_record" when none.
Result<std::string> ContactOnRecord(domain::Tx& tx, const Keyring& keyring,
                                    const domain::Account& account, const std::string& channel,
                                    domain::Profile& profile) {
  auto opened = OpenProfile(tx, keyring, account);
  if (!opened.ok() && opened.status().reason() != "personal_data_erased") return opened.status();
  if (opened.ok()) profile = std::move(opened).value();
  const std::string& to = channel == "sms" ? profile.phone : profile.email;
  if (!opened.ok() || to.empty()) {
    return Status::Unprocessable(
        "no_contact_on_record",
        "the account has no " + std::string(channel == "sms" ? "phone" : "email") + " on record",
        "channel");
  }
  return to;
}

// Verification codes go only on a channel whose otp method the tenant's pack knows.
Status CheckMethodAllowed(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                          const std::string& channel, CodePurpose purpose) {
  if (purpose != CodePurpose::kVerification) return Status::Ok();
  auto policy = PolicyInForce(tx, ctx.tenant_id, now);
  if (!policy.ok()) {
    return policy.status().reason() == "no_policy_pack" ? Status::Ok() : policy.status();
  }
  if ((*policy)->pack.identity_methods.count("otp_" + channel)) return Status::Ok();
  return Status::Unprocessable("method_not_allowed",
                               "the policy pack has no otp_" + channel + " identity method",
                               "channel");
}

// kRateLimited "too_many_codes" when kCodesPerWindow codes already went in the window.
Status CheckResendLimit(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                        const std::string& account_id, const std::string& channel,
                        int* retry_after_seconds) {
  SB_ASSIGN_OR_RETURN(auto recent, tx.ListVerificationCodes(ctx.tenant_id, account_id, channel,
                                                            now - kCodeWindow + 1));
  if (static_cast<int>(recent.size()) < kCodesPerWindow) return Status::Ok();
  Timestamp next = recent[kCodesPerWindow - 1].created_at + kCodeWindow;
  if (retry_after_seconds) *retry_after_seconds = SecondsUntil(next, now);
  return Status(Code::kRateLimited, "too_many_codes",
                "at most " + std::to_string(kCodesPerWindow) + " codes per " +
                    std::to_string(kCodeWindow / kMillisPerMinute) +
                    " minutes on one channel; try again later",
                "channel");
}

}  // namespace

Result<SentCode> VerificationCodes::Send(const CallContext& ctx, const std::string& account_id,
                                         const std::string& channel, CodePurpose purpose,
                                         int* retry_after_seconds,
                                         const AnswerFn<SentCode>& answer) const {
  SB_RETURN_IF_ERROR(CheckChannel(channel));
  return RunChange<SentCode>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<SentCode> {
        SB_ASSIGN_OR_RETURN(domain::Account account, LockedAccount(tx, ctx, account_id));
        domain::Profile profile;
        SB_ASSIGN_OR_RETURN(std::string to,
                            ContactOnRecord(tx, deps_.keyring, account, channel, profile));
        SB_RETURN_IF_ERROR(CheckMethodAllowed(tx, ctx, now, channel, purpose));
        SB_RETURN_IF_ERROR(
            CheckResendLimit(tx, ctx, now, account_id, channel, retry_after_seconds));
        domain::VerificationCode c;
        c.tenant_id = ctx.tenant_id;
        c.id = crypto::NewId("vcode", now);
        c.account_id = account_id;
        c.channel = channel;
        c.purpose = std::string(Name(purpose));
        c.created_at = now;
        c.expires_at = now + kCodeValidity;
        std::string code = crypto::RandomDigits(kCodeDigits);
        c.code_hash = CodeHash(HashKey(deps_.keyring), c.id, code);
        DirectMessage m{"verification_code", channel, to, {}};
        m.vars = {{"customer_name", profile.name},
                  {"account_reference", account.external_ref},
                  {"code", code},
                  {"code_valid_minutes", std::to_string(kCodeValidity / kMillisPerMinute)}};
        if (!ctx.dry_run) {
          SB_ASSIGN_OR_RETURN(c.message_id, WriteDirectMessage(tx, ctx, now, account, profile, m));
        }
        SB_RETURN_IF_ERROR(tx.InsertVerificationCode(c));
        ChangeRecorder rec(tx, ctx, now);
        json::object after{{"channel", channel},
                           {"purpose", c.purpose},
                           {"code_id", c.id},
                           {"message_id", c.message_id},
                           {"expires_at", FormatRfc3339(c.expires_at)}};
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity, "verification_code.sent",
                                     "verification_code", c.id, account_id, "", {}, after));
        return SentCode{c.id,        account_id, channel, c.purpose, MaskDestination(channel, to),
                        c.expires_at};
      });
}

}  // namespace sb::app
