#pragma once

// A tenant's webhook endpoints (docs/ARCHITECTURE.md, "Events and webhooks"): the URLs of client
// systems that receive its events, each with its own signing secret, shown once when the endpoint
// is created and stored sealed under the master key. Creating and removing one is audited (category
// security: it decides where the tenant's data goes). Thread-safe.

#include <string>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/webhook_targets.h"

namespace sb::app {

struct WebhookEndpointInput {
  std::string url;
  std::vector<std::string> event_types;  // event names, or {"*"}
  std::string description;
  domain::WebhookFormat format = domain::WebhookFormat::kSwitchboard;
};

// A created endpoint and its signing secret "whsec_<base64>" (empty in a dry run, which
// makes none).
struct NewWebhookEndpoint {
  domain::WebhookEndpoint endpoint;
  std::string secret;
};

class WebhookEndpointUseCases {
 public:
  // `rules`: which URLs endpoints may have (production's default: https to public addresses).
  explicit WebhookEndpointUseCases(Deps deps, domain::WebhookTargetRules rules = {})
      : deps_(deps), rules_(rules) {}

  // Checks `in` (kInvalidArgument naming "url", "event_types" or "description", and
  // "event_types" when a tmf641 endpoint lists an event that is no service order event; the URL by
  // CheckWebhookTarget of app/webhooks/webhook_target_check.h, which resolves its host: a
  // URL that is not https or whose host is or resolves to a loopback, private, link-local or
  // other non-public address is refused), then creates the endpoint with a fresh 32-byte secret and
  // its audit entry
  // ("webhook_endpoint.created") in one transaction. kUnprocessable "too_many_endpoints" when
  // the tenant already has kMaxWebhookEndpoints enabled ones. Honors ctx.dry_run and stores
  // `answer` for ctx.idempotency_key (the caller keeps the secret out of it).
  Result<NewWebhookEndpoint> Create(const CallContext& ctx, const WebhookEndpointInput& in,
                                    const AnswerFn<NewWebhookEndpoint>& answer = nullptr) const;

  // The tenant's enabled endpoints, newest first.
  Result<std::vector<domain::WebhookEndpoint>> List(const CallContext& ctx) const;
  // One endpoint of the tenant, enabled or removed (its secret stays sealed: callers never
  // show it). kNotFound "webhook endpoint" for an id the tenant has not got, another tenant's
  // included.
  Result<domain::WebhookEndpoint> Get(const CallContext& ctx, const std::string& id) const;

  // Disables an enabled endpoint (nothing more is sent to it; deliveries already in flight
  // finish) with its audit entry ("webhook_endpoint.removed"). kNotFound when the tenant has
  // no enabled endpoint `id`. Honors ctx.dry_run and ctx.idempotency_key.
  Result<domain::WebhookEndpoint> Remove(
      const CallContext& ctx, const std::string& id,
      const AnswerFn<domain::WebhookEndpoint>& answer = nullptr) const;

  // The purpose an endpoint's secret is sealed under: bound to its tenant and id, so that a
  // sealed secret copied to another row does not open.
  static std::string SealPurpose(const domain::WebhookEndpoint& e);

 private:
  Deps deps_;
  domain::WebhookTargetRules rules_;
};

}  // namespace sb::app
