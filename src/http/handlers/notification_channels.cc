// The tenant's notification channels: read and replace the email and SMS settings (admin
// keys only; credentials are write-only and never answered), and the signed delivery
// receipts of the tenant's SMS gateway.

#include "http/handlers/notification_channels.h"

#include "app/notifications/channel_settings.h"
#include "app/notifications/notification_delivery.h"
#include "http/exchange.h"
#include "http/problem.h"

namespace sb::http::handlers::notification_channels {

namespace json = boost::json;

namespace {

Status NotWired() { return Status::Unavailable("Notification channels are not served here."); }

json::object EmailJson(const app::EmailChannel& c) {
  return {{"channel", "email"},
          {"smtp_url", c.smtp_url},
          {"require_tls", c.require_tls},
          {"username", c.username},
          {"password_set", !c.username.empty()},
          {"from_address", c.from_address},
          {"from_name", c.from_name},
          {"reply_to", c.reply_to},
          {"updated_at", FormatRfc3339(c.updated_at)}};
}

json::object SmsJson(const app::SmsChannel& c) {
  return {{"channel", "sms"},
          {"gateway_url", c.gateway_url},
          {"auth", c.auth},
          {"username", c.username},
          {"sender_id", c.sender_id},
          {"body_shape", c.body_shape},
          {"status_callback_url", c.status_callback_url},
          {"updated_at", FormatRfc3339(c.updated_at)}};
}

Result<app::EmailChannel> ReadEmail(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return body.status();
  app::EmailChannel c;
  c.smtp_url = body->RequiredString("smtp_url");
  c.require_tls = body->Bool("require_tls").value_or(true);
  c.username = body->String("username").value_or("");
  c.password = body->String("password").value_or("");
  c.from_address = body->RequiredString("from_address");
  c.from_name = body->String("from_name").value_or("");
  c.reply_to = body->String("reply_to").value_or("");
  SB_RETURN_IF_ERROR(body->Finish());
  return c;
}

Result<app::SmsChannel> ReadSms(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return body.status();
  app::SmsChannel c;
  c.gateway_url = body->RequiredString("gateway_url");
  c.auth = body->RequiredString("auth");
  c.username = body->String("username").value_or("");
  c.password = body->String("password").value_or("");
  c.token = body->String("token").value_or("");
  c.sender_id = body->RequiredString("sender_id");
  c.body_shape = body->RequiredString("body_shape");
  c.status_callback_url = body->String("status_callback_url").value_or("");
  SB_RETURN_IF_ERROR(body->Finish());
  return c;
}

Response Rendered(json::object body, bool dry_run) {
  body["dry_run"] = dry_run;
  return JsonResponse(200, body);
}

// The receipt secret is shown in the live answer only: the copy kept for Idempotency-Key
// replays has it as null, so that it is never stored in clear.
Response RenderSms(const app::SavedSmsChannel& s, bool dry_run, bool with_secret) {
  json::object body = SmsJson(s.channel);
  if (with_secret && !s.receipt_secret.empty()) {
    body["receipt_secret"] = s.receipt_secret;
  } else {
    body["receipt_secret"] = nullptr;
  }
  return Rendered(std::move(body), dry_run);
}

app::ReceiptHeaders HeadersOf(const Request& req) {
  return {req.Header("webhook-id").value_or(""), req.Header("webhook-timestamp").value_or(""),
          req.Header("webhook-signature").value_or("")};
}

}  // namespace

Response GetEmail(Exchange& ex) {
  if (ex.api().channels == nullptr) return ProblemResponse(NotWired());
  auto c = ex.api().channels->GetEmail(ex.ctx());
  if (!c.ok()) return ProblemResponse(c.status());
  return JsonResponse(200, EmailJson(*c));
}

Response PutEmail(Exchange& ex) {
  if (ex.api().channels == nullptr) return ProblemResponse(NotWired());
  Result<app::EmailChannel> in = ReadEmail(ex);
  if (!in.ok()) return ProblemResponse(in.status());
  bool dry_run = ex.ctx().dry_run;
  app::AnswerFn<app::EmailChannel> answer = [&](const app::EmailChannel& c) {
    return ToStored(Rendered(EmailJson(c), dry_run));
  };
  auto saved = ex.api().channels->PutEmail(ex.ctx(), std::move(in).value(), answer);
  if (!saved.ok()) return ProblemResponse(saved.status());
  return Rendered(EmailJson(*saved), dry_run);
}

Response GetSms(Exchange& ex) {
  if (ex.api().channels == nullptr) return ProblemResponse(NotWired());
  auto c = ex.api().channels->GetSms(ex.ctx());
  if (!c.ok()) return ProblemResponse(c.status());
  return JsonResponse(200, SmsJson(*c));
}

Response PutSms(Exchange& ex) {
  if (ex.api().channels == nullptr) return ProblemResponse(NotWired());
  Result<app::SmsChannel> in = ReadSms(ex);
  if (!in.ok()) return ProblemResponse(in.status());
  bool dry_run = ex.ctx().dry_run;
  app::AnswerFn<app::SavedSmsChannel> answer = [&](const app::SavedSmsChannel& s) {
    return ToStored(RenderSms(s, dry_run, /*with_secret=*/false));
  };
  auto saved = ex.api().channels->PutSms(ex.ctx(), std::move(in).value(), answer);
  if (!saved.ok()) return ProblemResponse(saved.status());
  return RenderSms(*saved, dry_run, /*with_secret=*/true);
}

Status VerifyReceipt(Exchange& ex, const std::string& tenant_id) {
  if (ex.api().notifications == nullptr) return NotWired();
  return ex.api().notifications->VerifyReceipt(tenant_id, HeadersOf(ex.request()),
                                               ex.request().body);
}

Response ReceiveReceipt(Exchange& ex) {
  if (ex.api().notifications == nullptr) return ProblemResponse(NotWired());
  auto r = ex.api().notifications->ApplyReceipt(ex.Param("tenant_id"), HeadersOf(ex.request()),
                                                ex.request().body);
  if (!r.ok()) return ProblemResponse(r.status());
  json::object body{{"received", true}, {"changed", r->changed}};
  if (!r->message_id.empty()) {
    body["message_id"] = r->message_id;
    body["state"] = domain::Name(r->state);
  } else {
    body["message_id"] = nullptr;
  }
  return JsonResponse(200, body);
}

}  // namespace sb::http::handlers::notification_channels
