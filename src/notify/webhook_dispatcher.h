#pragma once

// The webhook dispatcher of docs/ARCHITECTURE.md, "Events and webhooks": claims due webhooks from
// the outbox (any tenant; on PostgreSQL several processes share the work without delivering one
// message twice at once), POSTs each to its endpoints, and records what they answered. Passes run
// on the dispatcher's own thread, started by Tick (a periodic task of the JobRunner, so the
// server's Clock, test clock included, decides what is due), never on an HTTP thread nor on
// the job runner's: a slow endpoint holds up only the pass it is in, for at most the
// transport's timeouts.
//
// Delivery is at least once: a process that dies mid-pass leaves its messages leased; they
// are claimed again when the lease runs out, with the same webhook-id.

#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/webhooks/outbox_delivery.h"
#include "common/status.h"
#include "common/time.h"
#include "notify/webhook_post.h"

namespace sb::notify {

struct DispatchOptions {
  int batch = 16;  // messages claimed per pass (each fans out to at most 20 endpoints)
  // How long a claimed message is this process's: longer than a pass can take.
  Timestamp lease_ms = 2 * kMillisPerMinute;
};

class WebhookDispatcher {
 public:
  // Every reference must outlive the dispatcher.
  WebhookDispatcher(const app::OutboxDelivery& delivery, WebhookTransport& transport,
                    const Clock& clock, DispatchOptions options = {});
  ~WebhookDispatcher();  // Stop()
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // What a pass did: messages claimed, and of those sent (the others had no endpoint left).
  struct Pass {
    int claimed = 0;
    int sent = 0;
  };
  // One pass on the calling thread: claims due webhooks, sends them, records the answers.
  // Not to be called concurrently with itself or with a started dispatcher (tests call it
  // directly).
  Result<Pass> RunOnce();

  // Starts the delivery thread. Idempotent.
  void Start();
  // Asks the delivery thread for a pass: soon, or right after the one in progress. Cheap,
  // never waits for the network; thread-safe. Always OK (failed passes are logged).
  Status Tick();
  // Lets the pass in progress finish (its posts end within their timeouts), then stops the
  // thread. Idempotent; thread-safe.
  void Stop();

 private:
  void Loop();

  const app::OutboxDelivery& delivery_;
  WebhookTransport& transport_;
  const Clock& clock_;
  DispatchOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sb::notify
