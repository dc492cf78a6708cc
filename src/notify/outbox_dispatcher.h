#pragma once

// The one dispatcher of the outbox (docs/DESIGN-NOTES.md, "One dispatcher for the outbox"):
// every channel (webhook, email, SMS) is an adapter that makes one pass over its own due
// messages (claim, send outside any transaction, record), and the dispatcher runs each
// adapter on a lane of its own, a thread woken by Tick (a periodic task of the JobRunner, so
// the server's Clock, test clock included, decides what is due), never on an HTTP thread nor
// on the job runner's. A slow SMTP server holds up only the email lane: webhooks and SMS go on.
//
// Delivery is at least once: a process that dies mid-pass leaves its messages leased; they
// are claimed again when the lease runs out, and go again with the same identity (webhook-id,
// Message-ID, the SMS Idempotency-Key).

#include <memory>
#include <vector>

#include "common/status.h"

namespace sb::notify {

// What one pass of a channel did: messages claimed, and of those sent (the others were
// settled without a send).
struct ChannelPass {
  int claimed = 0;
  int sent = 0;
};

// One channel's delivery. Implementations are driven by one thread at a time.
class ChannelAdapter {
 public:
  virtual ~ChannelAdapter() = default;
  ChannelAdapter() = default;
  ChannelAdapter(const ChannelAdapter&) = delete;
  ChannelAdapter& operator=(const ChannelAdapter&) = delete;

  // The outbox channel it delivers ("webhook", "email", "sms"), for logs.
  virtual const char* channel() const = 0;
  // How many messages one pass claims at most: a full pass means more may be due.
  virtual int batch() const = 0;
  // One pass: claims due messages, sends them, records what they got. Failures are logged
  // by the caller.
  virtual Result<ChannelPass> RunOnce() = 0;
};

class OutboxDispatcher {
 public:
  // One lane per adapter. Every adapter must outlive the dispatcher.
  explicit OutboxDispatcher(std::vector<ChannelAdapter*> channels);
  ~OutboxDispatcher();  // Stop()
  OutboxDispatcher(const OutboxDispatcher&) = delete;
  OutboxDispatcher& operator=(const OutboxDispatcher&) = delete;

  // Starts every lane's thread. Idempotent.
  void Start();
  // Asks every lane for a pass: soon, or right after the one in progress; a lane goes on
  // without waiting while its passes come back full. Cheap, never waits for the network;
  // thread-safe. Always OK (failed passes are logged).
  Status Tick();
  // Lets each lane's pass in progress finish (its sends end within their timeouts), then
  // stops the threads. Idempotent; thread-safe.
  void Stop();

 private:
  struct Lane;
  std::vector<std::unique_ptr<Lane>> lanes_;
};

}  // namespace sb::notify
