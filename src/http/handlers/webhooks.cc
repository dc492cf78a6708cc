// The tenant's webhook endpoints: register one (its signing secret is in that answer only),
// list them, read one, remove one. Admin keys only: they decide where the tenant's data goes.

#include "http/handlers/webhooks.h"

#include "app/webhooks/webhook_endpoints.h"
#include "http/exchange.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::webhooks {

Result<app::WebhookEndpointInput> ReadEndpoint(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return body.status();
  app::WebhookEndpointInput in;
  in.url = body->RequiredString("url");
  std::optional<std::vector<std::string>> types = body->StringArray("event_types");
  in.description = body->String("description").value_or("");
  std::optional<std::string> format = body->String("format");
  SB_RETURN_IF_ERROR(body->Finish());
  if (!types) {
    return Status::Invalid("event_types",
                           "event_types is required: a list of event types, or [\"*\"].",
                           "missing_field");
  }
  in.event_types = std::move(*types);
  if (format) {
    std::optional<domain::WebhookFormat> f = domain::Parse<domain::WebhookFormat>(*format);
    if (!f) {
      return Status::Invalid("format", "format is 'switchboard' (the default) or 'tmf641'.",
                             "invalid_value");
    }
    in.format = *f;
  }
  return in;
}

// The secret is shown in the live answer only: the copy kept for Idempotency-Key replays has
// it as null, so that it is never stored in clear.
Response RenderCreated(const app::NewWebhookEndpoint& n, bool dry_run, bool with_secret) {
  boost::json::object body = ToJson(n.endpoint);
  if (with_secret && !n.secret.empty()) {
    body["secret"] = n.secret;
  } else {
    body["secret"] = nullptr;
  }
  body["dry_run"] = dry_run;
  Response r = JsonResponse(dry_run ? 200 : 201, body);
  if (!dry_run) r.SetHeader("Location", "/v1/webhook-endpoints/" + n.endpoint.id);
  return r;
}

Response Create(Exchange& ex) {
  Result<app::WebhookEndpointInput> in = ReadEndpoint(ex);
  if (!in.ok()) return ProblemResponse(in.status());
  bool dry_run = ex.ctx().dry_run;
  app::AnswerFn<app::NewWebhookEndpoint> answer = [&](const app::NewWebhookEndpoint& n) {
    return ToStored(RenderCreated(n, dry_run, /*with_secret=*/false));
  };
  auto created = ex.api().webhooks.Create(ex.ctx(), *in, answer);
  if (!created.ok()) return ProblemResponse(created.status());
  return RenderCreated(*created, dry_run, /*with_secret=*/true);
}

Response List(Exchange& ex) {
  auto list = ex.api().webhooks.List(ex.ctx());
  if (!list.ok()) return ProblemResponse(list.status());
  domain::Page<domain::WebhookEndpoint> page;
  page.items = std::move(*list);
  return JsonResponse(200, ListJson(page));
}

// Never the secret: ToJson(WebhookEndpoint) has no field for it.
Response Get(Exchange& ex) {
  auto endpoint = ex.api().webhooks.Get(ex.ctx(), ex.Param("id"));
  if (!endpoint.ok()) return ProblemResponse(endpoint.status());
  return JsonResponse(200, ToJson(*endpoint));
}

Response RenderRemoved(const domain::WebhookEndpoint& e, bool dry_run) {
  boost::json::object body = ToJson(e);
  body["dry_run"] = dry_run;
  return JsonResponse(200, body);
}

Response Remove(Exchange& ex) {
  bool dry_run = ex.ctx().dry_run;
  app::AnswerFn<domain::WebhookEndpoint> answer = [&](const domain::WebhookEndpoint& e) {
    return ToStored(RenderRemoved(e, dry_run));
  };
  auto removed = ex.api().webhooks.Remove(ex.ctx(), ex.Param("id"), answer);
  if (!removed.ok()) return ProblemResponse(removed.status());
  return RenderRemoved(*removed, dry_run);
}

}  // namespace sb::http::handlers::webhooks
