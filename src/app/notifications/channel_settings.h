#pragma once

// A tenant's settings of the channels that reach people (docs/DESIGN-NOTES.md, "One
// dispatcher for the outbox"): the SMTP server its email goes through and the HTTP gateway its
// SMS go through. Both are kept as tenant secrets sealed under the master key, credentials
// included, so that no password, token or sender address is ever stored in clear; reads
// answer everything but the credentials (write-only). Thread-safe.

#include <optional>
#include <string>

#include "app/core/context.h"
#include "app/core/keyring.h"
#include "common/status.h"
#include "domain/ports/store.h"
#include "domain/webhook_targets.h"

namespace sb::app {

// How the tenant's email leaves: `smtp_url` is smtp://host[:port] (STARTTLS, required unless
// `require_tls` is false) or smtps://host[:port] (TLS from the first byte).
struct EmailChannel {
  std::string smtp_url;
  bool require_tls = true;
  std::string username;  // empty: no AUTH
  std::string password;  // write-only
  std::string from_address;
  std::string from_name;  // may be empty
  std::string reply_to;   // may be empty
  Timestamp updated_at = 0;
};

// How the tenant's SMS leave: an HTTP POST to `gateway_url` in one of two body shapes
// ("json": {"to","from","text","reference"}; "form": To, From, Body, StatusCallback), with
// basic (`username`, `password`) or bearer (`token`) authentication.
struct SmsChannel {
  std::string gateway_url;
  std::string auth;  // "basic" or "bearer"
  std::string username;
  std::string password;             // write-only
  std::string token;                // write-only
  std::string sender_id;            // E.164 or 1-11 letters and digits
  std::string body_shape;           // "json" or "form"
  std::string status_callback_url;  // form shape only; may be empty
  Timestamp updated_at = 0;
};

// What setting the SMS channel answers: the settings, and the receipt signing secret
// ("whsec_<base64>") when this call created it (the first time), otherwise empty.
struct SavedSmsChannel {
  SmsChannel channel;
  std::string receipt_secret;
};

class ChannelSettingsUseCases {
 public:
  // `rules`: which gateway and SMTP hosts may be named (webhooks.allow_private_targets).
  ChannelSettingsUseCases(Deps deps, domain::WebhookTargetRules rules);

  // The tenant's settings, credentials blanked. kNotFound when none were set.
  Result<EmailChannel> GetEmail(const CallContext& ctx) const;
  Result<SmsChannel> GetSms(const CallContext& ctx) const;

  // Replaces the tenant's settings and audits it ("notification_channel.updated", category
  // security, no credential in it). A password (or token) left out keeps the one stored for
  // the same user. kUnprocessable naming the field for bad input, with nothing stored: a URL
  // that does not parse or names a host that is not allowed, missing credentials, an invalid
  // address or sender id, an unknown auth or body shape. Honors dry_run and idempotency. The
  // answer's credentials are blanked.
  Result<EmailChannel> PutEmail(const CallContext& ctx, EmailChannel in,
                                const AnswerFn<EmailChannel>& answer = nullptr) const;
  Result<SavedSmsChannel> PutSms(const CallContext& ctx, SmsChannel in,
                                 const AnswerFn<SavedSmsChannel>& answer = nullptr) const;

  // The settings with their credentials, for the dispatcher, inside its transaction; nullopt
  // when the tenant set none.
  static Result<std::optional<EmailChannel>> LoadEmail(domain::Tx& tx, const Keyring& keyring,
                                                       const std::string& tenant_id);
  static Result<std::optional<SmsChannel>> LoadSms(domain::Tx& tx, const Keyring& keyring,
                                                   const std::string& tenant_id);

  // The purpose of the SMS delivery receipts' signing secret (tenant_secrets).
  static constexpr const char* kReceiptSecretPurpose = "sms_receipts";
  // The purpose under which a receipt secret is sealed for `tenant_id`.
  static std::string ReceiptSealPurpose(const std::string& tenant_id);

 private:
  Deps deps_;
  domain::WebhookTargetRules rules_;
};

// Whether `address` is a plain email address we send to: domain::IsEmailAddress, the one check
// every way in applies (domain/contacts.h).
bool IsEmailAddress(const std::string& address);

}  // namespace sb::app
