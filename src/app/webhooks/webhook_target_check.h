#pragma once

// The registration-time check of a webhook endpoint's URL (docs/SECURITY.md, "Webhook
// targets"): its form, and every address its host resolves to. Deliveries check the address
// they actually connect to again (notify/curl_transport.h), since a name may resolve
// elsewhere later.

#include <string_view>

#include "common/status.h"
#include "domain/webhook_targets.h"

namespace sb::app {

// domain::ValidateWebhookUrl(url, rules) and then, unless rules.allow_private_targets, for a
// host name: resolves it with the system resolver (getaddrinfo, as libcurl does, which also
// reads numeric forms such as "2130706433", "0x7f000001" or "127.1") and requires every
// address it gets to be public (domain::IsPublicAddress). A name that resolves to nothing,
// or to any address that is not public, is domain::TargetNotAllowed(). Blocks for as long as
// the resolver takes; thread-safe.
Status CheckWebhookTarget(std::string_view url, const domain::WebhookTargetRules& rules);

}  // namespace sb::app
