#pragma once

// The store side of delivering notifications to people (docs/DESIGN-NOTES.md, "One dispatcher
// for the outbox"): claiming one channel's due `email` or `sms` messages with what each needs
// to go (the opened notification, the tenant's channel settings), recording what an attempt
// got, and the SMS gateways' delivery receipts. The sending itself is notify/'s, outside any
// transaction. Thread-safe.
//
// States (domain/enums.h): a message the channel accepted is `sent` (an SMS then waits for its
// receipt: `delivered` or `failed`); a permanent refusal of the address (an SMTP 5xx to RCPT
// TO, a gateway's 4xx other than 408 and 429) is `failed` at once and, for email, puts the
// address on the tenant's suppression list; any other failure retries on the webhook schedule
// (domain::WebhookRetrySchedule) and ends `dead`. Claimed messages that must not go are
// settled without a send: `suppressed` when the customer's data was erased or the address is
// on the suppression list.

#include <functional>
#include <string>
#include <vector>

#include "app/core/context.h"
#include "app/notifications/channel_settings.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/notification.h"

namespace sb::app {

// A claimed message (its lease held) and what it needs to go. Holds personal data and
// credentials: never log it.
struct DueNotification {
  domain::OutboxMessage message;
  domain::Notification notification;
  EmailChannel email;  // channel "email"
  SmsChannel sms;      // channel "sms"
};

struct ClaimedNotifications {
  int claimed = 0;                   // messages claimed
  std::vector<DueNotification> due;  // of which these are to be sent
};

// What one send got.
enum class SendOutcome {
  kAccepted,  // the channel took it
  kRefused,   // the address was refused for good (a hard bounce)
  kFailed,    // anything else: retried
};

struct NotificationAttempt {
  domain::OutboxMessage message;
  std::string to;  // the address it went to (to suppress it on a hard bounce)
  SendOutcome outcome = SendOutcome::kFailed;
  // A fixed phrase the tenant may read in last_error ("SMTP 451", "no answer"): never an
  // address, a URL, a credential or a server's text.
  std::string error;
  std::string provider_ref;  // the id the gateway gave an accepted SMS; may be empty
};

// What a delivery receipt did.
struct ReceiptOutcome {
  std::string message_id;  // empty when the receipt named no message of ours
  bool changed = false;    // false: unknown, repeated or late; nothing was written
  domain::OutboxState state = domain::OutboxState::kSent;
};

// The headers of a signed receipt (Standard Webhooks).
struct ReceiptHeaders {
  std::string webhook_id;
  std::string webhook_timestamp;
  std::string webhook_signature;
};

class NotificationDelivery {
 public:
  // Uniform in [0, 1): the jitter of retry delays. Must be thread-safe.
  using Jitter = std::function<double()>;

  // A null `jitter` draws from the system's random source.
  explicit NotificationDelivery(Deps deps, Jitter jitter = nullptr);

  // In one transaction: claims up to `limit` due messages of `channel` ("email" or "sms") of
  // any tenant for `lease_ms` (Tx::ClaimDueOutbox), opens each, and settles at once those
  // that must not go (see above) and those whose tenant has no settings for the channel (a
  // failed attempt "channel not configured", retried like any other).
  Result<ClaimedNotifications> ClaimDue(const std::string& channel, int limit,
                                        Timestamp lease_ms) const;

  // Stores the outcome of every attempt in one transaction, releasing the leases.
  Status Record(const std::vector<NotificationAttempt>& attempts) const;

  // A delivery receipt of the tenant's SMS gateway, POSTed to the signed callback route:
  // `body` is the raw body {"reference": "<the gateway's message id, or the reference the
  // json shape sent>", "status": "delivered" |
  // "undelivered" | "failed"}, signed with the tenant's receipt secret
  // (ChannelSettingsUseCases). A `sent` message becomes `delivered` or `failed`; a receipt for
  // an unknown reference or a message already settled changes nothing. kUnauthenticated for a
  // missing or bad signature (or a tenant with no secret); kInvalidArgument naming the field
  // for a body that does not read.
  Result<ReceiptOutcome> ApplyReceipt(const std::string& tenant_id, const ReceiptHeaders& headers,
                                      const std::string& body) const;
  // Only the signature check of ApplyReceipt, for the route's authentication.
  Status VerifyReceipt(const std::string& tenant_id, const ReceiptHeaders& headers,
                       const std::string& body) const;

 private:
  Deps deps_;
  Jitter jitter_;
};

}  // namespace sb::app
