// WebhookEndpointUseCases: register, list and remove the URLs a tenant's events go to.
#include "app/webhooks/webhook_endpoints.h"

#include <boost/json.hpp>
#include <optional>

#include "app/core/change.h"
#include "app/core/keyring.h"
#include "app/webhooks/tmf641_event.h"
#include "app/webhooks/webhook_target_check.h"
#include "crypto/crypto.h"
#include "domain/webhooks.h"

namespace sb::app {

namespace json = boost::json;

namespace {

constexpr std::size_t kSecretBytes = 32;

// The URL's form first, then the other fields, then the URL's resolution (the slow part).
Status CheckInput(const WebhookEndpointInput& in, const domain::WebhookTargetRules& rules) {
  SB_RETURN_IF_ERROR(domain::ValidateWebhookUrl(in.url, rules));
  SB_RETURN_IF_ERROR(domain::ValidateEventTypes(in.event_types));
  SB_RETURN_IF_ERROR(CheckEventTypesForFormat(in.format, in.event_types));
  if (in.description.size() > domain::kMaxWebhookDescriptionLength) {
    return Status::Invalid("description", "description may be at most 200 characters.");
  }
  return CheckWebhookTarget(in.url, rules);
}

// "https://host:port" of a validated URL: where the data goes, without the path or query,
// which may carry the client's own tokens.
std::string OriginOf(const std::string& url) {
  std::size_t start = url.find("://") + 3;
  std::size_t end = url.find_first_of("/?", start);
  return url.substr(0, end);
}

// What the audit log records of an endpoint: the origin, and a hash of the whole URL so that
// an auditor can check it against a URL given to them, never the URL's secrets.
json::object EndpointAuditView(const domain::WebhookEndpoint& e) {
  json::array types;
  for (const std::string& t : e.event_types) types.emplace_back(t);
  return {{"id", e.id},
          {"origin", OriginOf(e.url)},
          {"url_sha256", crypto::Hex(crypto::Sha256(e.url))},
          {"event_types", std::move(types)},
          {"description", e.description},
          {"format", domain::Name(e.format)}};
}

Status RequireRoom(domain::Tx& tx, const std::string& tenant_id) {
  SB_ASSIGN_OR_RETURN(auto enabled, tx.ListWebhookEndpoints(tenant_id));
  if (static_cast<int>(enabled.size()) < domain::kMaxWebhookEndpoints) return Status::Ok();
  return Status::Unprocessable("too_many_endpoints",
                               "A tenant may have at most 20 webhook endpoints; remove one first.");
}

}  // namespace

std::string WebhookEndpointUseCases::SealPurpose(const domain::WebhookEndpoint& e) {
  return "webhook_endpoint:" + e.tenant_id + ":" + e.id;
}

Result<NewWebhookEndpoint> WebhookEndpointUseCases::Create(
    const CallContext& ctx, const WebhookEndpointInput& in,
    const AnswerFn<NewWebhookEndpoint>& answer) const {
  SB_RETURN_IF_ERROR(CheckInput(in, rules_));
  return RunChange<NewWebhookEndpoint>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<NewWebhookEndpoint> {
        SB_RETURN_IF_ERROR(RequireRoom(tx, ctx.tenant_id));
        NewWebhookEndpoint out;
        domain::WebhookEndpoint& e = out.endpoint;
        e.tenant_id = ctx.tenant_id;
        e.id = crypto::NewId("whe", now);
        e.url = in.url;
        e.event_types = in.event_types;
        e.description = in.description;
        e.format = in.format;
        e.created_at = now;
        std::string raw = crypto::RandomBytes(kSecretBytes);
        e.secret_sealed = deps_.keyring.WrapSecret(raw, SealPurpose(e));
        if (!ctx.dry_run) out.secret = "whsec_" + crypto::Base64(raw);
        SB_RETURN_IF_ERROR(tx.InsertWebhookEndpoint(e));
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity, "webhook_endpoint.created",
                                     "webhook_endpoint", e.id, "", "", {}, EndpointAuditView(e)));
        return out;
      });
}

Result<std::vector<domain::WebhookEndpoint>> WebhookEndpointUseCases::List(
    const CallContext& ctx) const {
  std::vector<domain::WebhookEndpoint> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, tx.ListWebhookEndpoints(ctx.tenant_id));
    return Status::Ok();
  }));
  return out;
}

Result<domain::WebhookEndpoint> WebhookEndpointUseCases::Get(const CallContext& ctx,
                                                             const std::string& id) const {
  std::optional<domain::WebhookEndpoint> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto found = tx.GetWebhookEndpoint(ctx.tenant_id, id);
    if (!found.ok() && found.status().code() == Code::kNotFound) {
      return Status::NotFound("webhook endpoint");
    }
    SB_RETURN_IF_ERROR(found.status());
    out = std::move(found).value();
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<domain::WebhookEndpoint> WebhookEndpointUseCases::Remove(
    const CallContext& ctx, const std::string& id,
    const AnswerFn<domain::WebhookEndpoint>& answer) const {
  return RunChange<domain::WebhookEndpoint>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<domain::WebhookEndpoint> {
        auto found = tx.GetWebhookEndpoint(ctx.tenant_id, id);
        if (!found.ok() && found.status().code() == Code::kNotFound) {
          return Status::NotFound("webhook endpoint");
        }
        SB_RETURN_IF_ERROR(found.status());
        domain::WebhookEndpoint e = std::move(found).value();
        if (e.disabled_at) return Status::NotFound("webhook endpoint");
        SB_RETURN_IF_ERROR(tx.DisableWebhookEndpoint(ctx.tenant_id, id, now));
        e.disabled_at = now;
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity, "webhook_endpoint.removed",
                                     "webhook_endpoint", e.id, "", "", EndpointAuditView(e),
                                     {{"id", e.id}, {"enabled", false}}));
        return e;
      });
}

}  // namespace sb::app
