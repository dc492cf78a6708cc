#include "http/handler.h"

#include <cctype>
#include <chrono>
#include <exception>
#include <utility>

#include "app/events/events.h"
#include "app/people/sessions.h"
#include "app/requests/requests.h"
#include "crypto/crypto.h"
#include "http/card_guard.h"
#include "http/cookies.h"
#include "http/exchange.h"
#include "http/input_checks.h"
#include "http/log.h"
#include "http/openapi.h"
#include "http/problem.h"
#include "http/routes.h"

namespace sb::http {
namespace {

std::int64_t MonotonicUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t MonotonicMs() { return MonotonicUs() / 1000; }

bool ValidToken(const std::string& s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Bounds the label values of metrics: unknown methods count as OTHER.
std::string MethodLabel(const std::string& method) {
  for (const char* m : {"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"}) {
    if (method == m) return method;
  }
  return "OTHER";
}

bool Allowed(Access access, domain::Role role) {
  using domain::Role;
  switch (access) {
    case Access::kPublic:
    case Access::kSigned:
    case Access::kCredentials:
    case Access::kRead:
      return true;
    case Access::kWrite:
      return role == Role::kAdmin || role == Role::kSupervisor || role == Role::kAgent ||
             role == Role::kSystem;
    case Access::kAudit:
      return role == Role::kAdmin || role == Role::kAuditor;
    case Access::kAdmin:
      return role == Role::kAdmin;
    case Access::kSupervise:
      return role == Role::kAdmin || role == Role::kSupervisor;
    case Access::kPortal:
      return false;  // customers only (Handler::SessionAuthorized)
  }
  return false;
}

// If-Match: "5", W/"5" or 5.
std::optional<std::int64_t> ParseIfMatch(std::string v) {
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() || v.size() > 18) return std::nullopt;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoll(v);
}

// "application/json" or any "<type>/<subtype>+json", parameters (charset) ignored.
bool IsJsonMediaType(std::string type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "application/json") return true;
  return type.size() > 5 && type.find('/') != std::string::npos &&
         type.compare(type.size() - 5, 5, "+json") == 0;
}

// A JSON route refuses a body declared as anything else (or not declared): reading
// `text/plain` as JSON would act on what the client did not mean to send as data.
std::optional<Response> RefuseNonJsonBody(const Route& route, const Request& request) {
  if (route.body != BodyType::kJson) return std::nullopt;
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
  std::optional<std::string> type = request.Header("Content-Type");
  if (type && IsJsonMediaType(*type)) return std::nullopt;
  return ProblemResponse(415, "unsupported_media_type",
                         "Send the body as JSON with Content-Type application/json.",
                         "Content-Type");
}

bool IsSafeMethod(const std::string& method) { return method == "GET" || method == "HEAD"; }

Response Unauthenticated(const std::string& detail) {
  Response r = ProblemResponse(Status::Unauthenticated(detail));
  r.SetHeader("WWW-Authenticate", "Bearer");
  return r;
}

}  // namespace

struct Handler::Call {
  std::string request_id;
  std::string route = "unmatched";
  std::string tenant;
};

Handler::Handler(Api api, ServerOptions options)
    : api_(api),
      options_(std::move(options)),
      limiter_(options_.rate_limit_per_second, options_.rate_limit_burst,
               options_.rate_limit_entries),
      failures_(options_.auth_failures_per_minute / 60.0, options_.auth_failures_per_minute,
                options_.rate_limit_entries) {
  AddRoutes(router_, options_);
  for (const Route* r : router_.Routes()) {
    if (r->body == BodyType::kUpload) upload_methods_.insert(r->method);
    if (r->method == "GET") continue;
    if (auto declared = DeclaredQueryParameters(r->method, r->pattern)) {
      write_query_[r] = std::move(*declared);
    }
  }
}

Response Handler::Handle(Request request) noexcept {
  std::int64_t start = MonotonicUs();
  Call call;
  Response response;
  const std::string method = MethodLabel(request.method);
  try {
    // The id is client input that every log line carries: one refused (a card number
    // included) is replaced before anything logs it.
    std::optional<std::string> given = request.Header("X-Request-Id");
    Status id = given ? CheckRequestId(*given) : Status::Ok();
    call.request_id = given && id.ok() ? *given : NewRequestId();
    // The target is parsed and its path decoded once, for the checks and for the router.
    std::optional<std::vector<std::string>> segments;
    std::string repeated;
    bool parsed = ParseTarget(request.target, &request.path, &request.query, &repeated);
    if (parsed) segments = DecodedSegments(request.path);
    Status input = id.ok() ? CheckInput(request, request.query, segments) : id;
    if (!input.ok()) {
      response = ProblemResponse(input);
    } else if (!parsed) {
      response = ProblemResponse(400, "invalid_target", "The request target is not a valid path.");
    } else if (!repeated.empty()) {
      // Which one counts is nobody's guess: ?dry_run=true&dry_run=false wrote for real.
      response = ProblemResponse(Status::Invalid(
          repeated, "The query parameter '" + repeated + "' is given more than once.",
          "repeated_parameter"));
    } else {
      response = Dispatch(std::move(request), segments, call);
    }
  } catch (const std::exception& e) {
    LogLine(LogLevel::kError, "unhandled exception",
            {{"request_id", call.request_id}, {"route", call.route}, {"error", e.what()}});
    response = ProblemResponse(Status::Internal(""));
  } catch (...) {
    LogLine(LogLevel::kError, "unhandled exception",
            {{"request_id", call.request_id}, {"route", call.route}});
    response = ProblemResponse(Status::Internal(""));
  }
  response.SetHeader("X-Request-Id", call.request_id);
  std::int64_t us = MonotonicUs() - start;
  double ms = static_cast<double>(us) / 1000.0;
  try {
    metrics_.Observe(call.route, method, response.status, ms);
    unsigned char scratch[1024];  // the line's fields, released at once
    boost::json::monotonic_resource arena(scratch, sizeof scratch);
    LogLine(response.status >= 500 ? LogLevel::kError : LogLevel::kInfo, "request",
            boost::json::object({{"request_id", call.request_id},
                                 {"tenant", call.tenant},
                                 {"method", method},
                                 {"route", call.route},
                                 {"status", response.status},
                                 {"duration_ms", us / 1000}},
                                &arena));
  } catch (...) {
  }
  return response;
}

bool Handler::SpoolsBody(const std::string& method, const std::string& target) const {
  if (!upload_methods_.contains(method)) return false;
  std::string path;
  std::map<std::string, std::string> query;
  if (!ParseTarget(target, &path, &query)) return false;
  RouteMatch m = router_.Match(method, path);
  return m.route != nullptr && m.route->body == BodyType::kUpload;
}

std::optional<Response> Handler::RefuseBodyWithoutCredentials(const std::string& method,
                                                              const std::string& target) const {
  std::string path;
  std::map<std::string, std::string> query;
  if (!ParseTarget(target, &path, &query)) return std::nullopt;  // Handle answers it
  RouteMatch m = router_.Match(method, path);
  if (m.route == nullptr) return std::nullopt;
  switch (m.route->access) {
    case Access::kPublic:
    case Access::kSigned:
    case Access::kCredentials:
      return std::nullopt;
    case Access::kPortal:
      return Unauthenticated("A portal session is required.");
    default:
      return Unauthenticated("An API key is required (Authorization: Bearer <key>).");
  }
}

std::optional<Response> Handler::RefuseUploadCaller(const Request& head) {
  std::string path;
  std::map<std::string, std::string> query;
  if (!ParseTarget(head.target, &path, &query)) return std::nullopt;  // Handle answers it
  RouteMatch m = router_.Match(head.method, path);
  if (m.route == nullptr) return std::nullopt;
  if (auto refused = RefuseFailingAddress(head)) return refused;
  std::optional<std::string> auth = head.Header("Authorization");
  std::optional<std::string> cookie = auth ? std::nullopt : CookieValue(head, kSessionCookie);
  if (cookie) {
    if (api_.sessions == nullptr) return Unauthenticated("Sign-in is not available here.");
    Result<app::SessionPrincipal> principal = api_.sessions->Authenticate(*cookie);
    if (!principal.ok()) {
      if (principal.status().code() == Code::kUnauthenticated) CountFailure(head);
      return ProblemResponse(principal.status());
    }
    const domain::Actor& actor = principal->actor;
    if (actor.type != domain::ActorType::kUser || !actor.role ||
        !Allowed(m.route->access, *actor.role)) {
      return ProblemResponse(Status::PermissionDenied("This session may not call this route."));
    }
    if (!app::Sessions::CsrfMatches(principal->session, head.Header("X-CSRF-Token").value_or(""))) {
      return ProblemResponse(Status(Code::kPermissionDenied, "csrf_token_invalid",
                                    "A write made with a session cookie needs the session's "
                                    "X-CSRF-Token header.",
                                    "X-CSRF-Token"));
    }
    return std::nullopt;
  }
  if (!auth || auth->rfind("Bearer ", 0) != 0 || auth->size() <= 7 || auth->size() > 512) {
    return Unauthenticated("An API key is required (Authorization: Bearer <key>).");
  }
  Result<domain::ApiKey> key = api_.admin.Authenticate(auth->substr(7));
  if (!key.ok()) {
    if (key.status().code() == Code::kUnauthenticated || key.status().code() == Code::kNotFound) {
      CountFailure(head);
      return Unauthenticated("The API key is not valid.");
    }
    return ProblemResponse(key.status());
  }
  if (!Allowed(m.route->access, key->role)) {
    return ProblemResponse(Status::PermissionDenied("This key's role may not call this route."));
  }
  return std::nullopt;
}

void Handler::Record(const Request& request, const Response& response, double duration_ms) {
  metrics_.Observe("unmatched", MethodLabel(request.method), response.status, duration_ms);
  LogLine(LogLevel::kWarn, "request refused",
          {{"method", MethodLabel(request.method)},
           {"route", "unmatched"},
           {"status", response.status}});
}

Response Handler::Dispatch(Request request, const std::optional<std::vector<std::string>>& segments,
                           Call& call) {
  RouteMatch m = segments ? router_.Match(request.method, *segments) : RouteMatch{};
  if (m.route == nullptr) {
    if (m.method_not_allowed) {
      return ProblemResponse(405, "method_not_allowed", "This method is not allowed here.");
    }
    return ProblemResponse(Status::NotFound("Route"));
  }
  call.route = m.route->pattern;
  if (auto declared = write_query_.find(m.route); declared != write_query_.end()) {
    for (const auto& [name, value] : request.query) {
      if (declared->second.contains(name)) continue;
      return ProblemResponse(
          Status::Invalid(name, "The query parameter '" + name + "' is not one this route takes.",
                          "unknown_parameter"));
    }
  }
  Exchange ex(request, std::move(m.params), api_, options_, metrics_);
  if (m.route->access == Access::kPublic) {
    if (auto refused = RefuseNonJsonBody(*m.route, request)) return *refused;
    return m.route->handler(ex);
  }
  if (m.route->access == Access::kSigned) return Signed(*m.route, ex, call);
  if (m.route->access == Access::kCredentials) return Credentials(*m.route, ex);
  if (!request.Header("Authorization")) {
    if (std::optional<std::string> token = CookieValue(request, kSessionCookie)) {
      return SessionAuthorized(request, *m.route, ex, call, *token);
    }
  }
  return Authorized(request, *m.route, ex, call);
}

Response Handler::Authorized(const Request& request, const Route& route, Exchange& ex, Call& call) {
  std::optional<std::string> auth = request.Header("Authorization");
  if (!auth) return Unauthenticated("An API key is required (Authorization: Bearer <key>).");
  if (auth->rfind("Bearer ", 0) != 0 || auth->size() <= 7 || auth->size() > 512) {
    return Unauthenticated("The Authorization header must be 'Bearer <key>'.");
  }
  // Guessing keys costs a database read each: an address that keeps failing is refused
  // before the lookup.
  if (auto refused = RefuseFailingAddress(request)) return *refused;
  Result<domain::ApiKey> key = api_.admin.Authenticate(auth->substr(7));
  if (!key.ok()) {
    if (key.status().code() == Code::kUnauthenticated || key.status().code() == Code::kNotFound) {
      CountFailure(request);
      return Unauthenticated("The API key is not valid.");
    }
    return ProblemResponse(key.status());
  }
  call.tenant = key->tenant_id;
  if (!Allowed(route.access, key->role)) {
    return ProblemResponse(Status::PermissionDenied("This key's role may not call this route."));
  }
  if (int wait = limiter_.Take(key->id, MonotonicMs()); wait > 0) {
    Response r = ProblemResponse(
        Status(Code::kRateLimited, "rate_limited", "Too many requests for this API key."));
    r.SetHeader("Retry-After", std::to_string(wait));
    return r;
  }
  return Admit(request, route, ex, call,
               domain::Actor{domain::ActorType::kApiKey, key->id, key->role},
               domain::Channel::kApi);
}

Response Handler::SessionAuthorized(const Request& request, const Route& route, Exchange& ex,
                                    Call& call, const std::string& token) {
  if (auto refused = RefuseFailingAddress(request)) return *refused;
  if (api_.sessions == nullptr) return Unauthenticated("Sign-in is not available here.");
  Result<app::SessionPrincipal> principal = api_.sessions->Authenticate(token);
  if (!principal.ok()) {
    if (principal.status().code() == Code::kUnauthenticated) CountFailure(request);
    return ProblemResponse(principal.status());
  }
  call.tenant = principal->session.tenant_id;
  const domain::Actor& actor = principal->actor;
  // A customer's session reaches the portal's routes and nothing else; a staff user's every
  // route its role allows but those.
  const bool customer = actor.type == domain::ActorType::kCustomer;
  const bool allowed = customer ? route.access == Access::kPortal
                                : actor.type == domain::ActorType::kUser && actor.role &&
                                      Allowed(route.access, *actor.role);
  if (!allowed) {
    return ProblemResponse(Status::PermissionDenied("This session may not call this route."));
  }
  // A cookie goes with every request the browser makes, including those another site
  // triggers: a write must also carry the token only this session's pages were given.
  if (!IsSafeMethod(request.method) &&
      !app::Sessions::CsrfMatches(principal->session,
                                  request.Header("X-CSRF-Token").value_or(""))) {
    return ProblemResponse(Status(Code::kPermissionDenied, "csrf_token_invalid",
                                  "A write made with a session cookie needs the session's "
                                  "X-CSRF-Token header.",
                                  "X-CSRF-Token"));
  }
  if (int wait =
          limiter_.Take(std::string(domain::Name(actor.type)) + ":" + actor.id, MonotonicMs());
      wait > 0) {
    Response r = ProblemResponse(
        Status(Code::kRateLimited, "rate_limited", "Too many requests for this session."));
    r.SetHeader("Retry-After", std::to_string(wait));
    return r;
  }
  ex.set_session_token(token);
  return Admit(request, route, ex, call, actor,
               customer ? domain::Channel::kPortal : domain::Channel::kWeb);
}

Response Handler::Credentials(const Route& route, Exchange& ex) {
  const Request& request = ex.request();
  if (auto refused = RefuseNonJsonBody(route, request)) return *refused;
  if (auto refused = RefuseFailingAddress(request)) return *refused;
  if (request.method != "GET") {
    Status cards = RefuseCardNumbers(request);
    if (!cards.ok()) return ProblemResponse(cards);
  }
  Response r = route.handler(ex);
  if (r.status == 401) CountFailure(request);
  return r;
}

Response Handler::Admit(const Request& request, const Route& route, Exchange& ex, Call& call,
                        const domain::Actor& actor, domain::Channel channel) {
  if (auto refused = RefuseNonJsonBody(route, request)) return *refused;
  app::CallContext& ctx = ex.ctx();
  ctx.tenant_id = call.tenant;
  ctx.actor = actor;
  ctx.channel = channel;
  ctx.correlation_id = call.request_id;
  Status s = BuildContext(request, ex);
  if (!s.ok()) return ProblemResponse(s);
  // Admin-only writes (e.g. PUT /v1/policy-pack) are writes too. A portal write is not
  // replayed by Idempotency-Key: keys are per tenant, and one customer's key must never
  // replay another's answer.
  bool write = route.access == Access::kWrite ||
               ((route.access == Access::kAdmin || route.access == Access::kSupervise) &&
                request.method != "GET");
  if (write && request.Header("Idempotency-Key")) {
    return RunKeyed(request, route, ex);
  }
  return route.handler(ex);
}

Response Handler::Signed(const Route& route, Exchange& ex, Call& call) {
  const Request& request = ex.request();
  if (auto refused = RefuseNonJsonBody(route, request)) return *refused;
  if (auto refused = RefuseFailingAddress(request)) return *refused;
  // The tenant in the path is only a claim: nothing is charged to it (nor any rate-limit
  // entry made for it) until the delivery proves to be the tenant's, so forged posts can
  // neither spend a tenant's budget nor grow the limiter with made-up tenant ids.
  const std::string tenant = ex.Param("tenant_id");
  app::EventHeaders headers{request.Header("webhook-id").value_or(""),
                            request.Header("webhook-timestamp").value_or(""),
                            request.Header("webhook-signature").value_or("")};
  Status verified =
      route.verify ? route.verify(ex, tenant) : api_.events.Verify(tenant, headers, request.body);
  if (!verified.ok()) {
    if (verified.code() == Code::kUnauthenticated) CountFailure(request);
    return ProblemResponse(verified);
  }
  call.tenant = tenant;
  if (int wait = limiter_.Take("events:" + call.tenant, MonotonicMs()); wait > 0) {
    Response r = ProblemResponse(
        Status(Code::kRateLimited, "rate_limited", "Too many events for this tenant."));
    r.SetHeader("Retry-After", std::to_string(wait));
    return r;
  }
  ex.ctx().tenant_id = call.tenant;
  ex.ctx().actor = domain::Actor{domain::ActorType::kSystem, "system", std::nullopt};
  ex.ctx().channel = domain::Channel::kSystem;
  ex.ctx().correlation_id = call.request_id;
  return route.handler(ex);
}

std::optional<Response> Handler::RefuseFailingAddress(const Request& request) {
  int wait = failures_.Wait("addr:" + request.remote_address, MonotonicMs());
  if (wait == 0) return std::nullopt;
  Response r = ProblemResponse(Status(Code::kRateLimited, "too_many_failures",
                                      "Too many failed authentications from this address."));
  r.SetHeader("Retry-After", std::to_string(wait));
  return r;
}

void Handler::CountFailure(const Request& request) {
  failures_.Take("addr:" + request.remote_address, MonotonicMs());
}

Status Handler::BuildContext(const Request& request, Exchange& ex) {
  app::CallContext& ctx = ex.ctx();
  if (request.method != "GET") SB_RETURN_IF_ERROR(RefuseCardNumbers(request));
  if (std::optional<std::string> channel = request.Header("X-Channel")) {
    // A customer acts on the portal, nowhere else: the channel decides which checks apply.
    if (ctx.actor.type == domain::ActorType::kCustomer) {
      return Status(Code::kPermissionDenied, "channel_not_allowed",
                    "A customer's session acts on the portal channel only.", "X-Channel");
    }
    std::optional<domain::Channel> c = domain::Parse<domain::Channel>(*channel);
    if (!c) {
      return Status::Invalid("X-Channel",
                             "X-Channel must be one of voice, email, chat, web, ivr, sms, api, "
                             "system.",
                             "invalid_header");
    }
    ctx.channel = *c;
    SB_RETURN_IF_ERROR(app::CheckChannelAllowed(ctx));
  }
  ctx.reason_code = request.Header("X-Reason").value_or("");
  if (ctx.reason_code.size() > 100) {
    return Status::Invalid("X-Reason", "X-Reason is too long.", "invalid_header");
  }
  ctx.comment = request.Header("X-Comment").value_or("");
  if (ctx.comment.size() > 2000) {
    return Status::Invalid("X-Comment", "X-Comment is too long.", "invalid_header");
  }
  std::optional<bool> dry_run;
  SB_RETURN_IF_ERROR(ex.QueryBool("dry_run", &dry_run));
  ctx.dry_run = dry_run.value_or(false);
  if (std::optional<std::string> v = request.Header("If-Match")) {
    ctx.if_match = ParseIfMatch(*v);
    if (!ctx.if_match) {
      return Status::Invalid("If-Match", "If-Match must be an ETag such as \"3\".",
                             "invalid_header");
    }
  }
  return Status::Ok();
}

Response Handler::RunKeyed(const Request& request, const Route& route, Exchange& ex) {
  std::string key = *request.Header("Idempotency-Key");
  if (!ValidToken(key, 255)) {
    return ProblemResponse(Status::Invalid(
        "Idempotency-Key", "Idempotency-Key must be 1-255 characters of [A-Za-z0-9._:-].",
        "invalid_header"));
  }
  if (ex.ctx().dry_run) return route.handler(ex);  // dry runs are neither stored nor replayed
  app::CallContext& ctx = ex.ctx();
  // A key is its caller's: the same call under it from another key, user or customer is
  // another call (422), so that nobody replays an answer made for someone else (unmasked, or
  // for a role they lack).
  std::string fingerprint = crypto::Hex(
      crypto::Sha256(std::string(domain::Name(ctx.actor.type)) + " " + ctx.actor.id + "\n" +
                     request.method + " " + request.target + "\n" + request.body +
                     (request.spooled ? request.spooled->sha256 : std::string())));
  auto begun = api_.idempotency.Begin(ctx.tenant_id, key, fingerprint);
  if (!begun.ok()) return ProblemResponse(begun.status());
  if (begun->has_value()) {
    Response r = FromStored(**begun);
    r.SetHeader("Idempotent-Replayed", "true");
    return r;
  }
  ctx.idempotency_key = key;
  ctx.fingerprint = fingerprint;
  struct EndGuard {
    app::IdempotencyGate& gate;
    const std::string& tenant;
    const std::string& key;
    ~EndGuard() { gate.End(tenant, key); }
  } guard{api_.idempotency, ctx.tenant_id, key};
  return route.handler(ex);
}

}  // namespace sb::http
