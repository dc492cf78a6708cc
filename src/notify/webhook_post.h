#pragma once

// One HTTP delivery of a webhook (Standard Webhooks, docs/ARCHITECTURE.md, "Events and webhooks")
// and the transport that sends deliveries. The body is the message's stored envelope, byte for
// byte, so the signature covers exactly what the change wrote.

#include <string>
#include <utility>
#include <vector>

#include "app/webhooks/outbox_delivery.h"
#include "common/time.h"
#include "domain/model.h"

namespace sb::notify {

struct WebhookPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Keep the start of the answer's body in WebhookReply::body (an SMS gateway's message id);
  // webhook answers are dropped unread.
  bool keep_answer = false;
};

// What a post got: the HTTP status, or 0 and why no answer came. `error` is stored where
// the tenant reads it (the outbox's last_error): a fixed phrase, never a URL, a secret, the
// response body nor the network's details. `detail` says more for the server's log only.
struct WebhookReply {
  int http_status = 0;
  std::string error;
  std::string detail;
  std::string body;  // the answer's first 4 KiB, for a post with keep_answer only
};

// The POST of `m` to `target`, signed at `now_seconds`: Content-Type application/json,
// `webhook-id` (the message id, the same on every retry so that receivers can deduplicate),
// `webhook-timestamp` (`now_seconds`), `webhook-signature` ("v1,<base64 HMAC-SHA256 of
// id.timestamp.body>" under the target's secret) and a User-Agent. Pure.
WebhookPost SignedPost(const domain::OutboxMessage& m, const app::WebhookTarget& target,
                       Timestamp now_seconds);

// Sends deliveries. Implementations must be usable from one thread at a time.
class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  WebhookTransport() = default;
  WebhookTransport(const WebhookTransport&) = delete;
  WebhookTransport& operator=(const WebhookTransport&) = delete;

  // Sends every post, concurrently, and returns one reply per post in the same order.
  // Network failures are replies (http_status 0), not errors.
  virtual std::vector<WebhookReply> SendAll(const std::vector<WebhookPost>& posts) = 0;
};

}  // namespace sb::notify
