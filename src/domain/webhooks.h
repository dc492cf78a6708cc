#pragma once

// Outbound webhooks (docs/ARCHITECTURE.md, "Events and webhooks") as pure rules: what an endpoint
// may be, which events it wants, and what one delivery attempt does to an outbox message
// (delivered, retried later with backoff and jitter over about three days, or dead). Thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/model.h"

namespace sb::domain {

// The outbox channel of webhook events (the others carry notifications: "email", "sms").
inline constexpr const char* kWebhookChannel = "webhook";
// Most enabled endpoints a tenant may have: every webhook fans out to all of them.
inline constexpr int kMaxWebhookEndpoints = 20;
// Most event types one endpoint may list.
inline constexpr std::size_t kMaxEventTypes = 50;
// Longest endpoint description accepted (the URL's rules are in domain/webhook_targets.h).
inline constexpr std::size_t kMaxWebhookDescriptionLength = 200;

// OK when `types` is {"*"} or 1..kMaxEventTypes distinct event names "resource.action"
// (lower-case letters, digits and '_' between the dots). Otherwise kInvalidArgument, param
// "event_types".
Status ValidateEventTypes(const std::vector<std::string>& types);

// Whether an endpoint listing `types` wants events of `event_type`.
bool Subscribes(const std::vector<std::string>& types, std::string_view event_type);

// The wait after each failed attempt, before jitter: 30 s, 2 min, 10 min, 1 h, 6 h, 12 h,
// 24 h, 24 h. A message gets 1 + size() attempts; the last failure makes it dead.
const std::vector<Timestamp>& WebhookRetrySchedule();

// The wait after `failed_attempts` failures (1-based): the schedule's entry stretched by
// `jitter` * 10 % (`jitter` in [0, 1), clamped), so that retries of messages that failed
// together spread out but never come earlier than the schedule says. nullopt once the
// schedule is used up.
std::optional<Timestamp> WebhookRetryDelay(int failed_attempts, double jitter);

// What one endpoint answered a delivery: `http_status` is 0 when no answer came, and
// `error` then says so in a fixed phrase the tenant may read ("target address not allowed",
// "no HTTP answer": nothing that tells a closed port from a slow one). Never holds secrets,
// URLs, response bodies or network details.
struct EndpointAnswer {
  std::string endpoint_id;
  int http_status = 0;
  std::string error;
};

// The message after one attempt at `now` that sent it to the endpoints in `answers`:
// attempts grows by one and the lease is released; endpoints that answered 2xx join
// delivered_to. If none failed it is delivered (delivered_at = now, last_error cleared);
// otherwise last_error names each failing endpoint and it is retried after
// WebhookRetryDelay(attempts, jitter) or, the schedule used up, it is dead.
// REQUIRES: `answers` is not empty.
OutboxMessage AfterAttempt(OutboxMessage m, const std::vector<EndpointAnswer>& answers,
                           Timestamp now, double jitter);

}  // namespace sb::domain
