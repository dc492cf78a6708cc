// Requests: filing any request type, the work queue, and the queue actions (approve,
// reject, cancel, assign, comment, answer an offer); an account's timeline.

#include "http/handlers/requests.h"

#include "app/accounts/accounts.h"
#include "app/requests/requests.h"
#include "domain/reports.h"
#include "http/exchange.h"
#include "http/handler.h"
#include "http/handlers/write_answer.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::requests {

namespace json = boost::json;

template <typename E>
Status ReadEnum(const std::optional<std::string>& text, const char* param, E* out) {
  if (!text) return Status::Ok();
  std::optional<E> v = domain::Parse<E>(*text);
  if (!v) return Status::Invalid(param, "Unknown value '" + *text + "'.", "invalid_value");
  *out = *v;
  return Status::Ok();
}

Result<app::SubmitInput> ReadSubmit(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return body.status();
  app::SubmitInput in;
  std::string type = body->RequiredString("type");
  in.account_id = body->RequiredString("account_id");
  in.service_id = body->String("service_id");
  std::optional<std::string> origin = body->String("origin");
  in.priority = body->String("priority").value_or("normal");
  in.payload = body->Object("payload").value_or(json::object());
  std::optional<json::object> consent = body->Object("consent");
  in.assignee = body->String("assignee").value_or("");
  SB_RETURN_IF_ERROR(body->Finish());
  std::optional<domain::RequestType> t = domain::Parse<domain::RequestType>(type);
  if (!t) return Status::Invalid("type", "Unknown request type '" + type + "'.", "invalid_value");
  in.type = *t;
  SB_RETURN_IF_ERROR(ReadEnum(origin, "origin", &in.origin));
  in.origin_chosen = origin.has_value();
  if (consent) {
    const json::value* method = consent->if_contains("method");
    if (consent->size() != 1 || !method || !method->is_string()) {
      return Status::Invalid("consent.method", "consent must be {\"method\": \"...\"}.");
    }
    in.consent_method = std::string(method->as_string());
  }
  return in;
}

Response Submit(Exchange& ex) {
  Result<app::SubmitInput> in = ReadSubmit(ex);
  if (!in.ok()) return ProblemResponse(in.status());
  return RespondOutcome(ex, 201, [&](const app::AnswerFn<app::RequestOutcome>& answer) {
    return ex.api().engine.Submit(ex.ctx(), *in, answer);
  });
}

// Reads a body with no fields (or none but `optional`).
Status EmptyBody(Exchange& ex) {
  auto body = ex.Body(/*allow_empty=*/true);
  if (!body.ok()) return body.status();
  return body->Finish();
}

Response Approve(Exchange& ex) {
  if (Status s = EmptyBody(ex); !s.ok()) return ProblemResponse(s);
  return RespondOutcome(ex, 200, [&](const app::AnswerFn<app::RequestOutcome>& answer) {
    return ex.api().engine.Decide(ex.ctx(), ex.Param("id"), true, answer);
  });
}

Response Reject(Exchange& ex) {
  if (Status s = EmptyBody(ex); !s.ok()) return ProblemResponse(s);
  return RespondOutcome(ex, 200, [&](const app::AnswerFn<app::RequestOutcome>& answer) {
    return ex.api().engine.Decide(ex.ctx(), ex.Param("id"), false, answer);
  });
}

Response Cancel(Exchange& ex) {
  if (Status s = EmptyBody(ex); !s.ok()) return ProblemResponse(s);
  return RespondOutcome(ex, 200, [&](const app::AnswerFn<app::RequestOutcome>& answer) {
    return ex.api().engine.Cancel(ex.ctx(), ex.Param("id"), answer);
  });
}

Response Assign(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::optional<std::string> assignee = body->String("assignee");
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  return RespondOutcome(ex, 200, [&](const app::AnswerFn<app::RequestOutcome>& answer) {
    return ex.api().engine.Assign(ex.ctx(), ex.Param("id"), assignee.value_or(""), answer);
  });
}

Response AddComment(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string text = body->RequiredString("text");
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  return RespondOutcome(ex, 200, [&](const app::AnswerFn<app::RequestOutcome>& answer) {
    return ex.api().engine.Comment(ex.ctx(), ex.Param("id"), text, answer);
  });
}

Result<OfferAnswer> ReadOfferAnswer(Exchange& ex) {
  SB_ASSIGN_OR_RETURN(JsonReader body, ex.Body());
  std::string decision = body.RequiredString("decision", 16);
  OfferAnswer out;
  out.offer_code = body.String("offer_code", 64).value_or("");
  SB_RETURN_IF_ERROR(body.Finish());
  if (decision != "accept" && decision != "decline") {
    return Status::Invalid("decision", "decision must be accept or decline.", "invalid_value");
  }
  out.accept = decision == "accept";
  if (out.accept && out.offer_code.empty()) {
    return Status::Invalid("offer_code", "Accepting needs the offer_code.", "missing_field");
  }
  return out;
}

Response AnswerOffer(Exchange& ex) {
  Result<OfferAnswer> offer = ReadOfferAnswer(ex);
  if (!offer.ok()) return ProblemResponse(offer.status());
  return RespondOutcome(ex, 200, [&](const app::AnswerFn<app::RequestOutcome>& answer) {
    return ex.api().engine.AnswerOffer(ex.ctx(), ex.Param("id"), offer->accept, offer->offer_code,
                                       answer);
  });
}

Response GetRequest(Exchange& ex) {
  auto r = ex.api().requests.GetRequest(ex.ctx(), ex.Param("id"));
  if (!r.ok()) return ProblemResponse(r.status());
  return JsonResponse(200, ToJson(*r, ex.api().clock.Now()));
}

Status ReadFilter(Exchange& ex, domain::RequestFilter* f) {
  SB_RETURN_IF_ERROR(ex.ReadPaging(&f->limit, &f->starting_after));
  SB_RETURN_IF_ERROR(ex.QueryEnum("state", &f->state));
  SB_RETURN_IF_ERROR(ex.QueryEnum("type", &f->type));
  SB_RETURN_IF_ERROR(ex.QueryEnum("sla_status", &f->sla_status));
  f->account_id = ex.Query("account_id");
  f->assignee = ex.Query("assignee");
  f->team = ex.Query("team");
  if (f->team && !domain::IsTeamCode(*f->team)) {
    return Status::Invalid("team", "A team is 1 to 64 letters, digits, '.', '_' or '-'.",
                           "invalid_value");
  }
  f->priority = ex.Query("priority");
  if (f->priority) {
    bool known = false;
    for (std::string_view p : domain::kPriorities) known = known || p == *f->priority;
    if (!known) return Status::Invalid("priority", "Unknown priority.", "invalid_value");
  }
  std::optional<std::string> sort = ex.Query("sort");
  if (sort && *sort != "due_at" && *sort != "-created") {
    return Status::Invalid("sort", "sort must be due_at or -created.", "invalid_value");
  }
  f->by_due = sort && *sort == "due_at";
  return Status::Ok();
}

Response ListRequests(Exchange& ex) {
  domain::RequestFilter f;
  if (Status s = ReadFilter(ex, &f); !s.ok()) return ProblemResponse(s);
  auto page = ex.api().requests.ListRequests(ex.ctx(), f);
  if (!page.ok()) return ProblemResponse(page.status());
  Timestamp now = ex.api().clock.Now();
  json::object body = ListJson(*page);
  json::array data;
  for (const auto& r : page->items) data.push_back(ToJson(r, now));
  body["data"] = std::move(data);
  return JsonResponse(200, body);
}

Response Timeline(Exchange& ex) {
  int limit = 20;
  std::string after;
  if (Status s = ex.ReadPaging(&limit, &after); !s.ok()) return ProblemResponse(s);
  auto page = ex.api().requests.Timeline(ex.ctx(), ex.Param("id"), after, limit);
  if (!page.ok()) return ProblemResponse(page.status());
  return JsonResponse(200, ListJson(*page));
}

}  // namespace sb::http::handlers::requests
