// Requests. The state history is stored as JSON text:
// [{"state":"received","at":1700000000000},...].

#include <cstdlib>

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::Request;
using domain::RequestState;
using domain::StateChange;

std::string HistoryJson(const std::vector<StateChange>& history) {
  std::string out = "[";
  for (const StateChange& c : history) {
    if (out.size() > 1) out += ',';
    out += "{\"state\":\"";
    out += domain::Name(c.state);
    out += "\",\"at\":";
    out += std::to_string(c.at);
    out += '}';
  }
  return out + "]";
}

// Reads what HistoryJson wrote (state names are plain snake_case, never escaped).
std::vector<StateChange> ParseHistory(const std::string& json) {
  std::vector<StateChange> out;
  constexpr std::string_view kState = "\"state\":\"";
  constexpr std::string_view kAt = "\"at\":";
  size_t pos = 0;
  while ((pos = json.find(kState, pos)) != std::string::npos) {
    size_t start = pos + kState.size();
    size_t end = json.find('"', start);
    size_t at = json.find(kAt, start);
    if (end == std::string::npos || at == std::string::npos) break;
    StateChange c{
        ParseOr(std::string_view(json).substr(start, end - start), RequestState::kReceived),
        std::strtoll(json.c_str() + at + kAt.size(), nullptr, 10)};
    out.push_back(c);
    pos = at;
  }
  return out;
}

#define SB_REQUEST_COLS                                                                       \
  "tenant_id, id, account_id, service_id, type, origin, channel, state, priority, "           \
  "actor_type, actor_id, actor_role, reason_code, comment, correlation_id, idempotency_key, " \
  "policy_version, payload_json, checks_json, result_json, history_json, created_at, "        \
  "updated_at, completed_at, due_at"
constexpr const char* kInsertRequest =
    "INSERT INTO requests (" SB_REQUEST_COLS
    ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kUpdateRequest =
    "UPDATE requests SET account_id = ?, service_id = ?, type = ?, origin = ?, channel = ?, "
    "state = ?, priority = ?, actor_type = ?, actor_id = ?, actor_role = ?, reason_code = ?, "
    "comment = ?, correlation_id = ?, idempotency_key = ?, policy_version = ?, "
    "payload_json = ?, checks_json = ?, result_json = ?, history_json = ?, created_at = ?, "
    "updated_at = ?, completed_at = ?, due_at = ? WHERE tenant_id = ? AND id = ?";
constexpr const char* kGetRequest =
    "SELECT " SB_REQUEST_COLS " FROM requests WHERE tenant_id = ? AND id = ?";
const ListQuery& RequestList() {
  static const ListQuery q(
      "SELECT " SB_REQUEST_COLS " FROM requests WHERE tenant_id = ?",
      {" AND account_id = ?", " AND state = ?", " AND type = ?", " AND id < ?"});
  return q;
}

Request ReadRequest(const Stmt& s) {
  Request r;
  r.tenant_id = s.ColText(0);
  r.id = s.ColText(1);
  r.account_id = s.ColText(2);
  r.service_id = s.ColOptText(3);
  r.type = ParseOr(s.ColText(4), domain::RequestType::kStatusSync);
  r.origin = ParseOr(s.ColText(5), domain::Origin::kVoluntary);
  r.channel = ParseOr(s.ColText(6), domain::Channel::kApi);
  r.state = ParseOr(s.ColText(7), RequestState::kReceived);
  r.priority = s.ColText(8);
  r.actor.type = ParseOr(s.ColText(9), domain::ActorType::kSystem);
  r.actor.id = s.ColText(10);
  if (auto role = s.ColOptText(11)) r.actor.role = domain::Parse<domain::Role>(*role);
  r.reason_code = s.ColText(12);
  r.comment = s.ColText(13);
  r.correlation_id = s.ColText(14);
  r.idempotency_key = s.ColText(15);
  r.policy_version = s.ColText(16);
  r.payload_json = s.ColText(17);
  r.checks_json = s.ColText(18);
  r.result_json = s.ColText(19);
  r.history = ParseHistory(s.ColText(20));
  r.created_at = s.ColInt(21);
  r.updated_at = s.ColInt(22);
  r.completed_at = s.ColOptInt(23);
  r.due_at = s.ColOptInt(24);
  return r;
}

// Binds every request column but the key, in kUpdateRequest order.
void BindRequestBody(Stmt& s, const Request& r) {
  s.Text(r.account_id).OptText(r.service_id).Text(domain::Name(r.type));
  s.Text(domain::Name(r.origin)).Text(domain::Name(r.channel)).Text(domain::Name(r.state));
  s.Text(r.priority).Text(domain::Name(r.actor.type)).Text(r.actor.id);
  if (r.actor.role) {
    s.Text(domain::Name(*r.actor.role));
  } else {
    s.OptText(std::nullopt);
  }
  s.Text(r.reason_code).Text(r.comment).Text(r.correlation_id).Text(r.idempotency_key);
  s.Text(r.policy_version).Text(r.payload_json).Text(r.checks_json).Text(r.result_json);
  s.Text(HistoryJson(r.history)).Int(r.created_at).Int(r.updated_at);
  s.OptInt(r.completed_at).OptInt(r.due_at);
}

}  // namespace

Status SqliteTx::InsertRequest(const Request& r) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertRequest);
  s.Text(r.tenant_id).Text(r.id);
  BindRequestBody(s, r);
  return s.Run();
}

Status SqliteTx::UpdateRequest(const Request& r) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpdateRequest);
  BindRequestBody(s, r);
  SB_RETURN_IF_ERROR(s.Text(r.tenant_id).Text(r.id).Run());
  return RequireChanged(s, "request");
}

Result<Request> SqliteTx::GetRequest(std::string_view tenant_id, std::string_view id) {
  Stmt s(conn_, kGetRequest);
  s.Text(tenant_id).Text(id);
  return OneRow<Request>(s, "request", ReadRequest);
}

Result<domain::Page<Request>> SqliteTx::ListRequests(std::string_view tenant_id,
                                                     const domain::RequestFilter& f) {
  unsigned mask = (f.account_id ? 1u : 0u) | (f.state ? 2u : 0u) | (f.type ? 4u : 0u) |
                  (f.starting_after.empty() ? 0u : 8u);
  int limit = PageLimit(f.limit);
  Stmt s(conn_, RequestList().Sql(mask));
  s.Text(tenant_id);
  if (f.account_id) s.Text(*f.account_id);
  if (f.state) s.Text(domain::Name(*f.state));
  if (f.type) s.Text(domain::Name(*f.type));
  if (!f.starting_after.empty()) s.Text(f.starting_after);
  s.Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<Request>(s, ReadRequest));
  return MakePage(std::move(rows), limit);
}

}  // namespace sb::storage::sqlite
