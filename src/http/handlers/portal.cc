#include "http/handlers/portal.h"

#include <array>

#include "app/notifications/customer_messages.h"
#include "app/people/portal.h"
#include "http/cookies.h"
#include "http/handlers/write_answer.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::portal {
namespace {

namespace json = boost::json;

Status NotWired() { return Status::Unavailable("The customer portal is not served here."); }

Result<app::PortalCodeInput> ReadCodeInput(JsonReader& body) {
  app::PortalCodeInput in;
  in.tenant_id = body.RequiredString("tenant_id", 64);
  in.account_ref = body.RequiredString("account_ref", 200);
  in.channel = body.RequiredString("channel", 16);
  return in;
}

}  // namespace

Response SendSignInCode(Exchange& ex) {
  if (ex.api().portal == nullptr) return ProblemResponse(NotWired());
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  auto in = ReadCodeInput(*body);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  if (Status s = ex.api().portal->SendCode(*in); !s.ok()) return ProblemResponse(s);
  return JsonResponse(202, {{"object", "sign_in_code"},
                            {"channel", in->channel},
                            {"detail",
                             "If the account has a contact of that kind on record, a code "
                             "was sent to it. It is valid 10 minutes."}});
}

Response SignIn(Exchange& ex) {
  if (ex.api().portal == nullptr || ex.api().sessions == nullptr) {
    return ProblemResponse(NotWired());
  }
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  auto in = ReadCodeInput(*body);
  std::string code = body->RequiredString("code", 16);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  int retry_after = 0;
  auto opened = ex.api().portal->SignIn(*in, code, &retry_after);
  if (!opened.ok()) {
    Response r = ProblemResponse(opened.status());
    if (opened.status().code() == Code::kRateLimited) {
      r.SetHeader("Retry-After", std::to_string(retry_after > 0 ? retry_after : 1));
    }
    return r;
  }
  const app::SessionOptions& options = ex.api().sessions->options();
  json::object o{{"object", "portal_session"},
                 {"account_id", opened->session.subject_id},
                 {"csrf_token", opened->csrf_token},
                 {"expires_at", FormatRfc3339(opened->session.expires_at)},
                 {"idle_timeout_seconds", options.idle / kMillisPerSecond}};
  Response r = JsonResponse(201, o);
  r.SetHeader("Set-Cookie", SessionCookie(opened->token, options.absolute / kMillisPerSecond));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Response GetAccount(Exchange& ex) {
  auto view = ex.api().accounts.GetAccount(ex.ctx(), ex.ctx().actor.id);
  if (!view.ok()) return ProblemResponse(view.status());
  Response r = JsonResponse(200, ToJson(*view));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Response ListNotifications(Exchange& ex) {
  if (ex.api().customer_messages == nullptr) return ProblemResponse(NotWired());
  int limit = 20;
  std::string after;
  if (Status s = ex.ReadPaging(&limit, &after); !s.ok()) return ProblemResponse(s);
  auto page = ex.api().customer_messages->List(ex.ctx(), ex.ctx().actor.id, after, limit);
  if (!page.ok()) return ProblemResponse(page.status());
  json::array data;
  for (const app::CustomerMessage& c : page->items) {
    const domain::OutboxMessage& m = c.message;
    json::object o{{"object", "customer_message"},
                   {"id", m.id},
                   {"channel", m.channel},
                   {"notification", m.event_type},
                   {"state", domain::Name(m.state)},
                   {"to", c.notification.to},
                   {"subject", c.notification.subject},
                   {"text", c.notification.text},
                   {"created_at", FormatRfc3339(m.created_at)},
                   {"delivered_at", m.delivered_at ? json::value(FormatRfc3339(*m.delivered_at))
                                                   : json::value(nullptr)}};
    if (!m.request_id.empty()) o["request_id"] = m.request_id;
    if ((m.state == domain::OutboxState::kSuppressed || m.state == domain::OutboxState::kFailed) &&
        !m.last_error.empty()) {
      o["why_not_sent"] = m.last_error;
    }
    data.push_back(std::move(o));
  }
  Response r = JsonResponse(200, {{"object", "list"},
                                  {"data", std::move(data)},
                                  {"has_more", page->has_more},
                                  {"next_cursor", page->has_more ? json::value(page->next_after)
                                                                 : json::value(nullptr)}});
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Response ListRequests(Exchange& ex) {
  domain::RequestFilter f;
  f.account_id = ex.ctx().actor.id;
  if (Status s = ex.ReadPaging(&f.limit, &f.starting_after); !s.ok()) return ProblemResponse(s);
  auto page = ex.api().requests.ListRequests(ex.ctx(), f);
  if (!page.ok()) return ProblemResponse(page.status());
  Timestamp now = ex.api().clock.Now();
  json::object body = ListJson(*page);
  json::array data;
  for (const auto& r : page->items) data.push_back(WithoutSentiment(ToJson(r, now)));
  body["data"] = std::move(data);
  return JsonResponse(200, body);
}

Response FileRequest(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string type = body->RequiredString("type", 64);
  app::SubmitInput in;
  in.service_id = body->String("service_id", 64);
  in.payload = body->Object("payload").value_or(json::object());
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  std::optional<domain::RequestType> t = domain::Parse<domain::RequestType>(type);
  if (!t || std::find(kSelfService.begin(), kSelfService.end(), *t) == kSelfService.end()) {
    return ProblemResponse(Status::Unprocessable(
        "type_not_self_service",
        "The portal files reconnection, reactivation, personal_info_update, plan_change, "
        "termination, data_access and a voluntary pause (suspension).",
        "type"));
  }
  if (*t == domain::RequestType::kSuspension) {
    const json::value* hold = in.payload.if_contains("hold_type");
    if (hold == nullptr || !hold->is_string() || hold->as_string() != "voluntary_pause") {
      return ProblemResponse(Status::Unprocessable("type_not_self_service",
                                                   "A customer's suspension is a voluntary_pause.",
                                                   "payload.hold_type"));
    }
  }
  in.type = *t;
  in.account_id = ex.ctx().actor.id;  // the session's account, whatever the body says
  in.origin = domain::Origin::kVoluntary;
  ex.ctx().reason_code = "customer_request";
  return RespondOutcome(ex, 201, [&](const app::AnswerFn<app::RequestOutcome>& answer) {
    return ex.api().engine.Submit(ex.ctx(), in, answer);
  });
}

}  // namespace sb::http::handlers::portal
