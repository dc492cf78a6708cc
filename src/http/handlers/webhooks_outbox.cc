// The outbox of messages the changes produced, with their delivery state, and the replay of
// a webhook that is not waiting any more (a dead letter, a skipped or a delivered message).

#include "http/handlers/webhooks_outbox.h"

#include "app/requests/requests.h"
#include "app/webhooks/outbox_delivery.h"
#include "http/exchange.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::webhooks_outbox {

Response ListOutbox(Exchange& ex) {
  domain::OutboxFilter f;
  if (Status s = ex.ReadPaging(&f.limit, &f.starting_after); !s.ok()) return ProblemResponse(s);
  if (Status s = ex.QueryEnum("state", &f.state); !s.ok()) return ProblemResponse(s);
  f.account_id = ex.Query("account_id");
  f.request_id = ex.Query("request_id");
  f.event_type = ex.Query("event_type");
  f.channel = ex.Query("channel");
  if (f.channel && *f.channel != "webhook" && *f.channel != "email" && *f.channel != "sms") {
    return ProblemResponse(Status::Invalid(
        "channel", "'channel' must be one of webhook, email, sms.", "invalid_value"));
  }
  auto page = ex.api().requests.ListOutbox(ex.ctx(), f);
  if (!page.ok()) return ProblemResponse(page.status());
  return JsonResponse(200, ListJson(*page));
}

Response RenderReplay(const domain::OutboxMessage& m, bool dry_run) {
  boost::json::object body = ToJson(m);
  body["dry_run"] = dry_run;
  return JsonResponse(200, body);
}

Response Replay(Exchange& ex) {
  bool dry_run = ex.ctx().dry_run;
  app::AnswerFn<domain::OutboxMessage> answer = [&](const domain::OutboxMessage& m) {
    return ToStored(RenderReplay(m, dry_run));
  };
  auto m = ex.api().outbox.Replay(ex.ctx(), ex.Param("id"), answer);
  if (!m.ok()) return ProblemResponse(m.status());
  return RenderReplay(*m, dry_run);
}

}  // namespace sb::http::handlers::webhooks_outbox
