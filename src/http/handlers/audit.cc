// The verifiable audit log: latest signed checkpoint, entries, inclusion and consistency
// proofs.

#include "http/handlers/audit.h"

#include "app/audit/audit_log.h"
#include "crypto/crypto.h"
#include "http/exchange.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::audit {

constexpr std::int64_t kMaxTreeSize = std::int64_t{1} << 50;

Response Checkpoint(Exchange& ex) {
  auto cp = ex.api().audit.LatestCheckpoint(ex.ctx().tenant_id);
  if (!cp.ok()) return ProblemResponse(cp.status());
  auto key = ex.api().audit.PublicKey();
  if (!key.ok()) return ProblemResponse(key.status());
  boost::json::object o = ToJson(*cp);
  o["public_key"] = crypto::Base64(key->public_key);
  return JsonResponse(200, o);
}

namespace {

// An optional RFC 3339 query parameter; 400 naming it when malformed.
Status OptionalTime(const Exchange& ex, const std::string& name, std::optional<Timestamp>* out) {
  std::optional<std::string> text = ex.Query(name);
  if (!text) return Status::Ok();
  *out = ParseRfc3339(*text);
  if (!*out) return Status::Invalid(name, "'" + name + "' must be an RFC 3339 time.", "invalid");
  return Status::Ok();
}

}  // namespace

// Lists the tenant's audit entries: by category, account, request, actor and creation time.
Response Entries(Exchange& ex) {
  domain::AuditFilter f;
  Status s = ex.ReadPaging(&f.limit, &f.starting_after);
  if (s.ok()) s = ex.QueryEnum("category", &f.category);
  if (!s.ok()) return ProblemResponse(s);
  f.account_id = ex.Query("account_id");
  f.request_id = ex.Query("request_id");
  f.actor_id = ex.Query("actor_id");
  if (Status t = OptionalTime(ex, "from", &f.created_from); !t.ok()) return ProblemResponse(t);
  if (Status t = OptionalTime(ex, "to", &f.created_to); !t.ok()) return ProblemResponse(t);
  if (f.created_from && f.created_to && *f.created_from >= *f.created_to) {
    return ProblemResponse(Status::Invalid("to", "'to' must be after 'from'.", "invalid_window"));
  }
  auto page = ex.api().audit.ListEntries(ex.ctx().tenant_id, f);
  if (!page.ok()) return ProblemResponse(page.status());
  return JsonResponse(200, ListJson(*page));
}

Response Proof(Exchange& ex) {
  std::optional<std::int64_t> size;
  if (Status s = ex.QueryInt("tree_size", 0, kMaxTreeSize, &size); !s.ok()) {
    return ProblemResponse(s);
  }
  auto p = ex.api().audit.Inclusion(ex.ctx().tenant_id, ex.Param("id"), size.value_or(0));
  if (!p.ok()) return ProblemResponse(p.status());
  return JsonResponse(200, ToJson(*p));
}

Response Consistency(Exchange& ex) {
  std::optional<std::int64_t> first, second;
  Status s = ex.QueryInt("first", 1, kMaxTreeSize, &first);
  if (s.ok()) s = ex.QueryInt("second", 1, kMaxTreeSize, &second);
  if (s.ok() && !first) s = Status::Invalid("first", "'first' is required.", "missing_field");
  if (s.ok() && !second) s = Status::Invalid("second", "'second' is required.", "missing_field");
  if (!s.ok()) return ProblemResponse(s);
  auto p = ex.api().audit.Consistency(ex.ctx().tenant_id, *first, *second);
  if (!p.ok()) return ProblemResponse(p.status());
  return JsonResponse(200, ToJson(*p));
}

}  // namespace sb::http::handlers::audit
