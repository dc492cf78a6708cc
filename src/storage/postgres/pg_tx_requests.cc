// Requests.
#include <cstdlib>

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::Page;
using domain::Request;

#define SB_REQUEST_COLS                                                                         \
  "tenant_id, id, account_id, service_id, type, origin, channel, state, priority, actor_type, " \
  "actor_id, actor_role, reason_code, comment, correlation_id, idempotency_key, "               \
  "policy_version, payload_json, checks_json, result_json, history_json, created_at, "          \
  "updated_at, completed_at, due_at"
const Stmt kInsertRequest{"request_insert",
                          "INSERT INTO requests (" SB_REQUEST_COLS
                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                          "$15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) "
                          "ON CONFLICT DO NOTHING"};
const Stmt kUpdateRequest{
    "request_update",
    "UPDATE requests SET account_id = $3, service_id = $4, type = $5, origin = $6, "
    "channel = $7, state = $8, priority = $9, actor_type = $10, actor_id = $11, "
    "actor_role = $12, reason_code = $13, comment = $14, correlation_id = $15, "
    "idempotency_key = $16, policy_version = $17, payload_json = $18, checks_json = $19, "
    "result_json = $20, history_json = $21, created_at = $22, updated_at = $23, "
    "completed_at = $24, due_at = $25 WHERE tenant_id = $1 AND id = $2"};
const Stmt kGetRequest{"request_get",
                       "SELECT " SB_REQUEST_COLS " FROM requests WHERE tenant_id = $1 AND id = $2"};
const Stmt kListRequests{"request_list",
                         "SELECT " SB_REQUEST_COLS
                         " FROM requests WHERE tenant_id = $1 "
                         "AND ($2::text IS NULL OR account_id = $2) "
                         "AND ($3::text IS NULL OR state = $3) "
                         "AND ($4::text IS NULL OR type = $4) "
                         "AND ($5::text = '' OR id < $5) ORDER BY id DESC LIMIT $6"};

// History as a JSON array: [{"state":"received","at":1700000000000},...].
std::string EncodeHistory(const std::vector<domain::StateChange>& history) {
  std::string out = "[";
  for (const auto& c : history) {
    if (out.size() > 1) out += ',';
    out += "{\"state\":\"";
    out += domain::Name(c.state);
    out += "\",\"at\":" + std::to_string(c.at) + "}";
  }
  return out + "]";
}

// Reads what EncodeHistory writes, tolerating whitespace and key order.
std::vector<domain::StateChange> DecodeHistory(const std::string& json) {
  std::vector<domain::StateChange> out;
  size_t pos = 0;
  while ((pos = json.find('{', pos)) != std::string::npos) {
    size_t end = json.find('}', pos);
    if (end == std::string::npos) break;
    std::string obj = json.substr(pos, end - pos);
    domain::StateChange c{domain::RequestState::kReceived, 0};
    if (size_t k = obj.find("\"state\""); k != std::string::npos) {
      size_t q1 = obj.find('"', obj.find(':', k) + 1);
      size_t q2 = obj.find('"', q1 + 1);
      c.state = EnumOr<domain::RequestState>(obj.substr(q1 + 1, q2 - q1 - 1));
    }
    if (size_t k = obj.find("\"at\""); k != std::string::npos) {
      c.at = std::strtoll(obj.c_str() + obj.find(':', k) + 1, nullptr, 10);
    }
    out.push_back(c);
    pos = end + 1;
  }
  return out;
}

std::optional<std::string> RoleName(const std::optional<domain::Role>& role) {
  if (!role) return std::nullopt;
  return std::string(domain::Name(*role));
}

Request ReadRequest(RowReader& r) {
  Request q;
  q.tenant_id = r.Str();
  q.id = r.Str();
  q.account_id = r.Str();
  q.service_id = r.OptStr();
  q.type = EnumOr<domain::RequestType>(r.Str());
  q.origin = EnumOr<domain::Origin>(r.Str());
  q.channel = EnumOr<domain::Channel>(r.Str());
  q.state = EnumOr<domain::RequestState>(r.Str());
  q.priority = r.Str();
  q.actor.type = EnumOr<domain::ActorType>(r.Str());
  q.actor.id = r.Str();
  if (auto role = r.OptStr()) q.actor.role = domain::Parse<domain::Role>(*role);
  q.reason_code = r.Str();
  q.comment = r.Str();
  q.correlation_id = r.Str();
  q.idempotency_key = r.Str();
  q.policy_version = r.Str();
  q.payload_json = r.Str();
  q.checks_json = r.Str();
  q.result_json = r.Str();
  q.history = DecodeHistory(r.Str());
  q.created_at = r.Int();
  q.updated_at = r.Int();
  q.completed_at = r.OptInt();
  q.due_at = r.OptInt();
  return q;
}

Params RequestParams(const Request& q) {
  Params p;
  p.Text(q.tenant_id).Text(q.id).Text(q.account_id).OptText(q.service_id);
  p.Text(domain::Name(q.type)).Text(domain::Name(q.origin)).Text(domain::Name(q.channel));
  p.Text(domain::Name(q.state)).Text(q.priority).Text(domain::Name(q.actor.type));
  p.Text(q.actor.id).OptText(RoleName(q.actor.role)).Text(q.reason_code).Text(q.comment);
  p.Text(q.correlation_id).Text(q.idempotency_key).Text(q.policy_version).Text(q.payload_json);
  p.Text(q.checks_json).Text(q.result_json).Text(EncodeHistory(q.history));
  p.Int(q.created_at).Int(q.updated_at).OptInt(q.completed_at).OptInt(q.due_at);
  return p;
}

}  // namespace

Status PgTx::InsertRequest(const Request& r) { return Insert(kInsertRequest, RequestParams(r)); }

Status PgTx::UpdateRequest(const Request& r) {
  return UpdateOne(kUpdateRequest, RequestParams(r), "request");
}

Result<Request> PgTx::GetRequest(std::string_view tenant_id, std::string_view id) {
  return One(kGetRequest, Params().Text(tenant_id).Text(id), "request", &ReadRequest);
}

Result<Page<Request>> PgTx::ListRequests(std::string_view tenant_id,
                                         const domain::RequestFilter& f) {
  int limit = PageLimit(f.limit);
  Params p;
  p.Text(tenant_id).OptText(f.account_id);
  if (f.state) {
    p.Text(domain::Name(*f.state));
  } else {
    p.Null();
  }
  if (f.type) {
    p.Text(domain::Name(*f.type));
  } else {
    p.Null();
  }
  p.Text(f.starting_after).Int(limit + 1);
  return PageOf(kListRequests, p, limit, &ReadRequest, &Request::id);
}

}  // namespace sb::storage::postgres
