#pragma once

// The webhook channel of the outbox dispatcher (notify/outbox_dispatcher.h, docs/ARCHITECTURE.md,
// "Events and webhooks", "The outbox and its channels"): claims due webhooks from the outbox (any
// tenant; on PostgreSQL several processes share the work without delivering one message twice at
// once), POSTs each to its endpoints, and records what they answered. A slow endpoint holds up only
// the pass it is in, for at most the transport's timeouts.
//
// Delivery is at least once: a process that dies mid-pass leaves its messages leased; they
// are claimed again when the lease runs out, with the same webhook-id.

#include "app/webhooks/outbox_delivery.h"
#include "common/status.h"
#include "common/time.h"
#include "notify/outbox_dispatcher.h"
#include "notify/webhook_post.h"

namespace sb::notify {

struct DispatchOptions {
  int batch = 16;  // messages claimed per pass (each fans out to at most 20 endpoints)
  // How long a claimed message is this process's: longer than a pass can take.
  Timestamp lease_ms = 2 * kMillisPerMinute;
};

class WebhookDispatcher final : public ChannelAdapter {
 public:
  // Every reference must outlive the dispatcher.
  WebhookDispatcher(const app::OutboxDelivery& delivery, WebhookTransport& transport,
                    const Clock& clock, DispatchOptions options = {});

  using Pass = ChannelPass;
  // One pass on the calling thread: claims due webhooks, sends them, records the answers.
  // Not to be called concurrently with itself (an OutboxDispatcher lane, or a test).
  Result<Pass> RunOnce() override;
  const char* channel() const override { return "webhook"; }
  int batch() const override { return options_.batch; }

 private:
  const app::OutboxDelivery& delivery_;
  WebhookTransport& transport_;
  const Clock& clock_;
  DispatchOptions options_;
};

}  // namespace sb::notify
