// The chat and IVR assistant's conversations (app/conversations/conversations.h).

#include "http/handlers/conversations.h"

#include "app/conversations/conversations.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::conversations {
namespace {

namespace json = boost::json;

Status NotWired() { return Status::Unavailable("Conversations are not served here."); }

json::value OrNull(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

json::object ReplyJson(const app::ConversationReply& r) {
  json::array options;
  for (const auto& o : r.options) {
    options.push_back({{"key", o.key}, {"intent", domain::Name(o.intent)}, {"text", o.text}});
  }
  const domain::Conversation& c = r.conversation;
  return {{"object", "conversation_reply"},
          {"conversation_id", c.id},
          {"state", domain::Name(c.state)},
          {"channel", domain::Name(c.channel)},
          {"locale", c.locale},
          {"text", r.text},
          {"options", std::move(options)},
          {"request_id", OrNull(r.request_id)},
          {"reference", OrNull(r.reference)},
          {"expires_at", FormatRfc3339(r.expires_at)}};
}

// A conversation without its turns, as the list shows it.
json::object SummaryJson(const app::ConversationRecord& r) {
  const domain::Conversation& c = r.conversation;
  return {{"object", "conversation"},
          {"id", c.id},
          {"channel", domain::Name(c.channel)},
          {"locale", c.locale},
          {"state", domain::Name(c.state)},
          {"account_id", OrNull(c.account_id)},
          {"request_id", OrNull(c.request_id)},
          {"handover_reason", OrNull(c.handover_reason)},
          {"turn_count", c.turns},
          {"created_at", FormatRfc3339(c.created_at)},
          {"updated_at", FormatRfc3339(c.updated_at)},
          {"expires_at", FormatRfc3339(r.expires_at)}};
}

json::object RecordJson(const app::ConversationRecord& r) {
  json::object out = SummaryJson(r);
  out.erase("turn_count");
  json::array turns;
  for (const auto& t : r.turns) {
    turns.push_back({{"seq", t.seq},
                     {"who", t.who},
                     {"text", t.text ? json::value(*t.text) : json::value(nullptr)},
                     {"intent", OrNull(t.intent)},
                     {"sentiment", t.sentiment_milli
                                       ? json::value(static_cast<double>(*t.sentiment_milli) / 1000)
                                       : json::value(nullptr)},
                     {"at", FormatRfc3339(t.at)}});
  }
  out["turns"] = std::move(turns);
  return out;
}

Response Answer(int status, const std::function<Result<app::ConversationReply>(
                                const app::AnswerFn<app::ConversationReply>&)>& call) {
  auto render = [&](const app::ConversationReply& r) {
    Response out = JsonResponse(status, ReplyJson(r));
    out.SetHeader("Cache-Control", "no-store");
    return out;
  };
  app::AnswerFn<app::ConversationReply> answer = [&](const app::ConversationReply& r) {
    return ToStored(render(r));
  };
  auto reply = call(answer);
  if (!reply.ok()) return ProblemResponse(reply.status());
  return render(*reply);
}

}  // namespace

Response Start(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string channel = body->RequiredString("channel", 16);
  std::string locale = body->RequiredString("locale", 8);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  if (ex.api().conversations == nullptr) return ProblemResponse(NotWired());
  return Answer(201, [&](const app::AnswerFn<app::ConversationReply>& answer) {
    return ex.api().conversations->Start(ex.ctx(), channel, locale, answer);
  });
}

Response Turn(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  // Bytes: up to 4 a character; the use case counts the characters (app::kMaxTurnChars).
  std::string text = body->RequiredString("text", 4 * app::kMaxTurnChars);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  if (ex.api().conversations == nullptr) return ProblemResponse(NotWired());
  return Answer(200, [&](const app::AnswerFn<app::ConversationReply>& answer) {
    return ex.api().conversations->Turn(ex.ctx(), ex.Param("id"), text, answer);
  });
}

Response Get(Exchange& ex) {
  if (ex.api().conversations == nullptr) return ProblemResponse(NotWired());
  auto record = ex.api().conversations->Get(ex.ctx(), ex.Param("id"));
  if (!record.ok()) return ProblemResponse(record.status());
  Response r = JsonResponse(200, RecordJson(*record));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Response List(Exchange& ex) {
  if (ex.api().conversations == nullptr) return ProblemResponse(NotWired());
  int limit = 20;
  std::string after;
  Status paging = ex.ReadPaging(&limit, &after);
  if (!paging.ok()) return ProblemResponse(paging);
  auto page = ex.api().conversations->List(ex.ctx(), ex.Query("state").value_or(""), after, limit);
  if (!page.ok()) return ProblemResponse(page.status());
  Response r = JsonResponse(200, ListJson(*page, &SummaryJson));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace sb::http::handlers::conversations
