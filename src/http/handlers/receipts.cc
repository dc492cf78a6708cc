// Customer receipts: issued to whoever may read the request, checked by anyone holding one.

#include "http/handlers/receipts.h"

#include "app/receipts/receipts.h"
#include "app/requests/request_queries.h"
#include "crypto/crypto.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::receipts {

namespace json = boost::json;

namespace {

constexpr size_t kMaxToken = 256;

json::object ToJson(const app::Receipt& r) {
  json::object o{{"object", "receipt"},
                 {"tenant_id", r.tenant_id},
                 {"reference", r.request_id},
                 {"request_type", domain::Name(r.type)},
                 {"channel", domain::Name(r.channel)},
                 {"filed_at", FormatRfc3339(r.filed_at)},
                 {"audit_entry_id", r.audit_entry_id},
                 {"leaf_hash", crypto::Base64(r.leaf_hash)}};
  if (!r.token.empty()) o["token"] = r.token;
  if (!r.token.empty()) o["url"] = r.url.empty() ? json::value(nullptr) : json::value(r.url);
  return o;
}

Response Answer(Exchange& ex, const std::string& request_id) {
  auto receipt = ex.api().receipts->ForRequest(ex.ctx().tenant_id, request_id);
  if (!receipt.ok()) return ProblemResponse(receipt.status());
  Response r = JsonResponse(200, ToJson(*receipt));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Response Unwired() {
  return ProblemResponse(Status::Unavailable("receipts are not wired in this server"));
}

}  // namespace

Response ForRequest(Exchange& ex) {
  if (ex.api().receipts == nullptr) return Unwired();
  return Answer(ex, ex.Param("id"));
}

Response ForPortalRequest(Exchange& ex) {
  if (ex.api().receipts == nullptr) return Unwired();
  // Another account's request is answered as one that does not exist (as every portal route).
  auto request = ex.api().requests.GetRequest(ex.ctx(), ex.Param("id"));
  if (!request.ok() && request.status().code() != Code::kNotFound) {
    return ProblemResponse(request.status());
  }
  if (!request.ok() || request->account_id != ex.ctx().actor.id) {
    return ProblemResponse(Status::NotFound("request"));
  }
  return Answer(ex, request->id);
}

Response Check(Exchange& ex) {
  if (ex.api().receipts == nullptr) return Unwired();
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string token = body->RequiredString("token", kMaxToken);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  auto check = ex.api().receipts->Check(token);
  if (!check.ok()) return ProblemResponse(check.status());
  json::object o{{"object", "receipt_check"},
                 {"receipt", ToJson(check->receipt)},
                 {"proof", nullptr},
                 {"checkpoint", nullptr}};
  if (check->proof && check->checkpoint) {
    o["proof"] = http::ToJson(*check->proof);
    json::object cp = http::ToJson(*check->checkpoint);
    cp["public_key"] = crypto::Base64(check->public_key);
    o["checkpoint"] = std::move(cp);
  }
  Response r = JsonResponse(200, o);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace sb::http::handlers::receipts
