#pragma once

// Route table: method + path pattern ("/v1/accounts/{id}/holds") to a handler. Matching is
// exact per segment of the raw path, each segment percent-decoded only after the split, so
// an encoded slash ("%2F") never separates segments; `{name}` captures one non-empty
// decoded segment.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/types.h"

namespace sb::http {

class Exchange;

// Who may call a route.
enum class Access {
  kPublic,  // no key (health, metrics)
  kSigned,  // no key: the handler authenticates the body's signature; tenant from the path
  // No key: the body carries credentials (a password, an invitation). Refused while the
  // source address is over its failed authentications; a 401 answer counts as one.
  kCredentials,
  kRead,       // any role
  kWrite,      // admin, agent, system
  kAudit,      // admin, auditor
  kAdmin,      // admin only
  kPortal,     // a customer's portal session only, on its own account (no key, no staff user)
  kSupervise,  // admin, supervisor (bulk jobs)
};

// What a route's body is, for the Content-Type check made before its handler runs.
enum class BodyType {
  kJson,  // a non-empty body must be declared application/json or a +json type, else 415
  kOwn,   // the handler checks the Content-Type itself (the policy pack's YAML)
  // An upload: the server spools the body to a temporary file (Request::spooled) under
  // ServerOptions::max_upload_bytes instead of reading it into memory; the handler checks
  // the Content-Type itself.
  kUpload,
};

using HandlerFn = std::function<Response(Exchange&)>;

// For an Access::kSigned route: whether the delivery (headers and raw body of the exchange)
// is signed by the tenant named in the path, as a Status (kUnauthenticated when it is not).
using SignatureCheckFn = std::function<Status(Exchange&, const std::string& tenant_id)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kRead;
  HandlerFn handler;
  BodyType body = BodyType::kJson;
  // kSigned only; null: the tenant's inbound-events secret (app/events/events.h).
  SignatureCheckFn verify = nullptr;
};

// What Match found. `route` is null when nothing matched; `method_not_allowed` is set when
// the path matched a route under another method.
struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  bool method_not_allowed = false;
};

// Immutable after setup; Match is thread-safe.
class Router {
 public:
  // REQUIRES: pattern starts with '/'.
  void Add(Route route);
  // `raw_path` as sent (percent-encoded, no query string). A path whose encoding is broken
  // matches nothing.
  RouteMatch Match(const std::string& method, const std::string& raw_path) const;
  // The same for a path already split and decoded (DecodedSegments below).
  RouteMatch Match(const std::string& method, const std::vector<std::string>& segments) const;
  // Every route, in the order added: what the server answers, for tools and for the test
  // that holds the OpenAPI document to the table.
  std::vector<const Route*> Routes() const;

 private:
  struct Entry {
    Route route;
    std::vector<std::string> segments;
  };
  std::vector<Entry> entries_;
};

// Splits "/a/b/" into {"a", "b", ""}; the leading slash is dropped.
std::vector<std::string> SplitPath(const std::string& path);

// The segments of a raw path, split on '/' and then each percent-decoded: "/v1/a%2Fb/"
// gives {"v1", "a/b", ""}. nullopt when the percent-encoding is broken.
std::optional<std::vector<std::string>> DecodedSegments(const std::string& raw_path);

}  // namespace sb::http
