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

namespace sb::app {

struct WebhookEndpointInput {
  std::string url;
  std::vector<std::string> event_types;  // event names, or {"*"}
  std::string description;
};

// A created endpoint and its signing secret "whsec_<base64>" (empty in a dry run, which
// makes none).
struct NewWebhookEndpoint {
  domain::WebhookEndpoint endpoint;
  std::string secret;
};

class WebhookEndpointUseCases {
 public:
  explicit WebhookEndpointUseCases(Deps deps) : deps_(deps) {}

  // Checks `in` (domain/webhooks.h: kInvalidArgument naming "url", "event_types" or
  // "description"), then creates the endpoint with a fresh 32-byte secret and its audit entry
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
};

}  // namespace sb::app
