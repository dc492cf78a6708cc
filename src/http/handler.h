#pragma once

// Request handling as a pure function of the request (Beast advanced-server style): route,
// authenticate, rate limit, build the call context, apply Idempotency-Key, call the route's
// handler, log and count. Never throws; an exception becomes a logged 500 problem.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "http/metrics.h"
#include "http/rate_limiter.h"
#include "http/router.h"
#include "http/server.h"
#include "http/types.h"

namespace sb::http {

class Handler {
 public:
  Handler(Api api, ServerOptions options);

  // Answers one request. Thread-safe.
  Response Handle(Request request) noexcept;

  // Whether the request with this method and target goes to an upload route
  // (BodyType::kUpload), whose body the server spools to a file. Thread-safe.
  bool SpoolsBody(const std::string& method, const std::string& target) const;

  // Before an upload's body is spooled: the answer that refuses the caller, from the header
  // alone (no credentials, an unknown key or session, a role the route does not allow, a
  // cookie write without its CSRF token, an address out of failed authentications), or
  // nullopt when the body may be read. Handle checks everything again once it has been. So
  // no one who may not call the route can make the server write a byte to disk. Thread-safe;
  // reads the store.
  std::optional<Response> RefuseUploadCaller(const Request& head);

  // Before a body is read into memory: the 401 that refuses a request to a route that needs
  // an API key or a session when the request carries neither an Authorization nor a Cookie
  // header, or nullopt. Reads no store, so it runs where the header was read. So no one
  // without any credentials makes the server hold a body. Thread-safe.
  std::optional<Response> RefuseBodyWithoutCredentials(const std::string& method,
                                                       const std::string& target) const;

  // Records an answer made outside Handle (e.g. a body over the limit) in logs and metrics.
  void Record(const Request& request, const Response& response, double duration_ms);

  Metrics& metrics() { return metrics_; }

 private:
  struct Call;
  // `request` with its target parsed; `segments` its decoded path (nullopt: broken encoding).
  Response Dispatch(Request request, const std::optional<std::vector<std::string>>& segments,
                    Call& call);
  Response Authorized(const Request& request, const Route& route, Exchange& ex, Call& call);
  // A call authenticated by a session cookie (a signed-in staff user): the route's access
  // against the user's role, and the CSRF token on writes.
  Response SessionAuthorized(const Request& request, const Route& route, Exchange& ex, Call& call,
                             const std::string& token);
  // A route whose body carries credentials (Access::kCredentials).
  Response Credentials(const Route& route, Exchange& ex);
  // The rest of an authenticated call, whoever the actor: the context, then the handler
  // (through Idempotency-Key on writes).
  Response Admit(const Request& request, const Route& route, Exchange& ex, Call& call,
                 const domain::Actor& actor, domain::Channel channel);
  // A route authenticated by its body's signature (Access::kSigned): no API key. The
  // tenant's event budget is charged only for deliveries whose signature verifies.
  Response Signed(const Route& route, Exchange& ex, Call& call);
  // 429 when the request's source address has used up its failed authentications.
  std::optional<Response> RefuseFailingAddress(const Request& request);
  // Counts one failed authentication against the request's source address.
  void CountFailure(const Request& request);
  Response RunKeyed(const Request& request, const Route& route, Exchange& ex);
  Status BuildContext(const Request& request, Exchange& ex);

  Api api_;
  ServerOptions options_;
  Router router_;
  std::set<std::string> upload_methods_;  // the methods of the upload routes (SpoolsBody)
  // The query parameters each route that is not a GET takes, as api/openapi.yaml declares
  // them: a write's other parameters are refused, so that a misspelt ?dry_run never writes.
  std::map<const Route*, std::set<std::string>> write_query_;
  Metrics metrics_;
  RateLimiter limiter_;   // per API key, and per tenant for signed events
  RateLimiter failures_;  // failed authentications per source address
};

}  // namespace sb::http
