#pragma once

// One SMS as an HTTP POST to the tenant's gateway, and what the gateway's answer means. The
// post goes through the webhook transport (notify/curl_transport.h), so the gateway's address
// is held to the webhook targets' rule at connect time. Pure.

#include <string>

#include "app/notifications/channel_settings.h"
#include "app/notifications/notification_delivery.h"
#include "domain/notification.h"
#include "notify/webhook_post.h"

namespace sb::notify {

// The POST of `n` for outbox message `message_id` through `gateway`:
// - "json": application/json {"to","from","text","reference": message_id};
// - "form": application/x-www-form-urlencoded To, From, Body (and StatusCallback when set).
// Authorization: Basic or Bearer as the settings say; Idempotency-Key: the message id, the
// same on every retry, for gateways that deduplicate. The answer's body is kept.
WebhookPost SmsPost(const app::SmsChannel& gateway, const domain::Notification& n,
                    const std::string& message_id);

// The message id in a gateway's JSON answer ("id", "message_id", "sid" or "messages"[0]
// ["message-id"]), or "" when there is none. At most 200 bytes of printable ASCII.
std::string ProviderRefOf(const std::string& answer_body);

// What the gateway's HTTP status means: 2xx accepted; 4xx other than 408 and 429 refused for
// good (the number or the message was refused, retrying repeats it); anything else, or no
// answer (0), failed and retried.
app::SendOutcome SmsOutcome(int http_status);

}  // namespace sb::notify
