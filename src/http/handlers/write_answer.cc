// The one shape of a write's answer (see write_answer.h).
#include "http/handlers/write_answer.h"

#include <cctype>

#include "app/accounts/account_data.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http {

namespace json = boost::json;

Status ReadRequestOptions(JsonReader& body, app::RequestOptions* opts) {
  std::optional<std::string> origin = body.String("origin");
  std::optional<json::object> consent = body.Object("consent");
  if (auto priority = body.String("priority")) opts->priority = *priority;
  if (origin) {
    opts->origin = domain::Parse<domain::Origin>(*origin);
    if (!opts->origin) {
      return Status::Invalid("origin", "Unknown value '" + *origin + "'.", "invalid_value");
    }
  }
  if (consent) {
    const json::value* method = consent->if_contains("method");
    if (consent->size() != 1 || !method || !method->is_string()) {
      return Status::Invalid("consent.method", "consent must be {\"method\": \"...\"}.");
    }
    std::string m(method->as_string());
    bool ok = !m.empty() && m.size() <= 64;
    for (char c : m)
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
                  c == ':');
    if (!ok) return Status::Invalid("consent.method", "consent.method must be 1-64 characters.");
    opts->consent_method = std::move(m);
  }
  return Status::Ok();
}

json::object WriteJson(const domain::Request& request,
                       const std::vector<domain::Request>& follow_ups,
                       const app::AccountView* account, const domain::Hold* hold,
                       const domain::Service* service, Timestamp now, bool dry_run) {
  json::object body = ToJson(request, now);
  body["dry_run"] = dry_run;
  json::array follow;
  for (const auto& f : follow_ups) follow.push_back(ToJson(f, now));
  body["follow_ups"] = std::move(follow);
  if (account) body["account"] = ToJson(*account);
  if (hold) body["hold"] = ToJson(*hold);
  if (service) body["service"] = ToJson(*service);
  return body;
}

namespace {

template <typename T>
const T* Ptr(const std::optional<T>& v) {
  return v ? &*v : nullptr;
}

// The account as the caller may read it (masked for the auditor and system roles, as reads
// are: app/accounts/account_data.h, ReadsPersonalData).
std::optional<app::AccountView> AsReadBy(const app::AccountView* account,
                                         const domain::Actor& reader) {
  if (account == nullptr) return std::nullopt;
  app::AccountView v = *account;
  app::MaskForReader(v, reader);
  return v;
}

// A customer (the portal) does not see how the staff's notes were scored.
json::object ForReader(json::object body, const domain::Actor& reader) {
  return reader.type == domain::ActorType::kCustomer ? WithoutSentiment(std::move(body)) : body;
}

Response RenderWrite(const app::ChangeOutcome& o, const domain::Actor& reader, Timestamp now,
                     bool dry_run, int done_status) {
  bool done = o.request.state == domain::RequestState::kCompleted;
  int status = !done ? 202 : dry_run ? 200 : done_status;
  std::optional<app::AccountView> account = AsReadBy(&o.account, reader);
  json::object body =
      WriteJson(o.request, o.follow_ups, Ptr(account), Ptr(o.hold), Ptr(o.service), now, dry_run);
  Response r = JsonResponse(status, ForReader(std::move(body), reader));
  r.SetHeader("ETag", "\"" + std::to_string(o.account.account.version) + "\"");
  return r;
}

}  // namespace

Response RespondWrite(Exchange& ex, int done_status, const ChangeCall& call) {
  bool dry_run = ex.ctx().dry_run;
  Timestamp now = ex.api().clock.Now();
  const domain::Actor& reader = ex.ctx().actor;
  app::AnswerFn<app::ChangeOutcome> answer = [&](const app::ChangeOutcome& o) {
    return ToStored(RenderWrite(o, reader, now, dry_run, done_status));
  };
  Result<app::ChangeOutcome> r = call(answer);
  if (!r.ok()) return ProblemResponse(r.status());
  return RenderWrite(*r, reader, now, dry_run, done_status);
}

Response RespondOutcome(Exchange& ex, int status, const OutcomeCall& call) {
  bool dry_run = ex.ctx().dry_run;
  Timestamp now = ex.api().clock.Now();
  auto render = [&](const app::RequestOutcome& o) {
    std::optional<app::AccountView> account = AsReadBy(Ptr(o.account), ex.ctx().actor);
    json::object body =
        WriteJson(o.request, o.follow_ups, Ptr(account), Ptr(o.hold), Ptr(o.service), now, dry_run);
    Response r = JsonResponse(dry_run ? 200 : status, ForReader(std::move(body), ex.ctx().actor));
    if (!dry_run && status == 201) r.SetHeader("Location", "/v1/requests/" + o.request.id);
    if (o.account) r.SetHeader("ETag", "\"" + std::to_string(o.account->account.version) + "\"");
    return r;
  };
  app::AnswerFn<app::RequestOutcome> answer = [&](const app::RequestOutcome& o) {
    return ToStored(render(o));
  };
  Result<app::RequestOutcome> r = call(answer);
  if (!r.ok()) return ProblemResponse(r.status());
  return render(*r);
}

}  // namespace sb::http
