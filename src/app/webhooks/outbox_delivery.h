#pragma once

// The store side of webhook delivery (docs/ARCHITECTURE.md, "Events and webhooks"): claiming due
// webhooks with the endpoints each one goes to, recording what an attempt got (domain/webhooks.h
// decides delivered, retried or dead), and replaying a message by hand. The HTTP calls themselves
// are notify/'s, outside any transaction. Thread-safe.
//
// Fan-out: a message goes to every enabled endpoint of its tenant subscribed to its type
// when it falls due, minus those that already acknowledged it (OutboxMessage::delivered_to),
// so a retry never repeats a delivery that succeeded. A message that falls due with no such
// endpoint left is settled at once: `delivered` if some endpoint acknowledged it before,
// otherwise `skipped` (not tried again; a replay sends it to the endpoints subscribed then).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/webhooks.h"

namespace sb::app {

// One endpoint a due message goes to. `secret` is the raw signing key; never log it.
struct WebhookTarget {
  std::string endpoint_id;
  std::string url;
  std::string secret;
  // What is posted when it is not the message's payload (the envelope): an endpoint of
  // another format gets the message in its shape (app/webhooks/tmf641_event.h).
  std::optional<std::string> body;
};

// A claimed message (its lease held) and where it goes. `targets` is never empty.
struct DueWebhook {
  domain::OutboxMessage message;
  std::vector<WebhookTarget> targets;
};

// What one claim took: `claimed` messages, of which `due` are to be sent (the others were
// settled at once).
struct ClaimedWebhooks {
  int claimed = 0;
  std::vector<DueWebhook> due;
};

// What sending one claimed message got, one answer per target.
struct WebhookAttempt {
  domain::OutboxMessage message;
  std::vector<domain::EndpointAnswer> answers;
};

class OutboxDelivery {
 public:
  // Uniform in [0, 1): the jitter of retry delays. Must be thread-safe.
  using Jitter = std::function<double()>;

  // A null `jitter` draws from the system's random source.
  explicit OutboxDelivery(Deps deps, Jitter jitter = nullptr);

  // In one transaction: claims up to `limit` due webhooks of any tenant for `lease_ms`
  // (Tx::ClaimDueOutbox of channel "webhook"), resolves their targets, and settles those left with
  // none (see above).
  Result<ClaimedWebhooks> ClaimDue(int limit, Timestamp lease_ms) const;

  // Stores the outcome of every attempt (domain::AfterAttempt at the clock's now) in one
  // transaction, releasing the leases.
  Status Record(const std::vector<WebhookAttempt>& attempts) const;

  // Puts a message of any channel that is not waiting any more (dead, failed, suppressed,
  // skipped, sent or delivered) back to pending, due now, with a fresh retry schedule, and
  // audits it ("outbox.replayed", category security). A delivered webhook goes again to every
  // endpoint subscribed now; a dead one only to those that never acknowledged it. An email or
  // SMS goes again through its channel (still settled `suppressed` if its address is on the
  // suppression list). kNotFound for an unknown id; kConflict "already_pending" when it still
  // waits. Honors ctx.dry_run and ctx.idempotency_key.
  Result<domain::OutboxMessage> Replay(
      const CallContext& ctx, const std::string& id,
      const AnswerFn<domain::OutboxMessage>& answer = nullptr) const;

 private:
  Deps deps_;
  Jitter jitter_;
};

}  // namespace sb::app
