#pragma once

// The checks of a tenant's channel settings before anything is stored
// (app/notifications/channel_settings.h). Each failure is kUnprocessable naming the field.

#include "app/notifications/channel_settings.h"
#include "common/status.h"
#include "domain/webhook_targets.h"

namespace sb::app {

// smtp_url: smtp:// or smtps://, a host (and port) that CheckWebhookTarget allows, no user
// info, no path; from_address and a non-empty reply_to: IsEmailAddress; from_name: at most 100
// bytes, no line break. Resolves the host (blocks for as long as the resolver takes).
Status CheckEmailChannel(const EmailChannel& c, const domain::WebhookTargetRules& rules);

// gateway_url (and a non-empty status_callback_url): what a webhook endpoint may be
// (CheckWebhookTarget); auth "basic" with a username, or "bearer"; sender_id E.164 or 1-11
// letters and digits; body_shape "json" or "form".
Status CheckSmsChannel(const SmsChannel& c, const domain::WebhookTargetRules& rules);

// Fills the credentials `in` left out from `old` (the stored settings, or null) when they are
// for the same auth and user; kUnprocessable "missing_credentials" naming the field when a
// needed credential is neither sent nor stored.
Status KeepStoredCredentials(const SmsChannel* old, SmsChannel* in);

}  // namespace sb::app
