// Requests, and the queries over them that checks, KPIs and the work queue need. Decisions
// and comments are stored as storage/request_json.h describes.
#include <cstdlib>

#include "storage/postgres/pg_tx.h"
#include "storage/request_json.h"

namespace sb::storage::postgres {
namespace {

using domain::Page;
using domain::Request;

#define SB_REQUEST_COLS                                                                         \
  "tenant_id, id, account_id, service_id, type, origin, channel, state, priority, actor_type, " \
  "actor_id, actor_role, reason_code, comment, correlation_id, idempotency_key, "               \
  "policy_version, payload_json, checks_json, result_json, history_json, created_at, "          \
  "updated_at, completed_at, due_at, at_risk_at, sla_paused_at, sla_status, assignee, "         \
  "decisions_json, comments_json, sla_clock, sla_target_minutes, sla_calendar, sla_left_ms"
// The states a request can still leave (not domain::IsTerminal), and the ones that do not
// count towards cooling_off.
#define SB_OPEN_STATES                                                   \
  "('received', 'verifying', 'awaiting_customer', 'awaiting_approval', " \
  "'awaiting_payment', 'approved', 'provisioning')"
#define SB_UNCOUNTED_STATES "('rejected', 'cancelled', 'failed')"
// The RequestFilter conditions on $2..$8 (NULL: no filter); a team is its members' requests.
#define SB_REQUEST_FILTERS                                                           \
  "AND ($2::text IS NULL OR account_id = $2) AND ($3::text IS NULL OR state = $3) "  \
  "AND ($4::text IS NULL OR type = $4) AND ($5::text IS NULL OR sla_status = $5) "   \
  "AND ($6::text IS NULL OR assignee = $6) AND ($7::text IS NULL OR priority = $7) " \
  "AND ($8::text IS NULL OR assignee IN (SELECT id FROM staff_users "                \
  "WHERE tenant_id = $1 AND team = $8)) "
const Stmt kInsertRequest{"request_insert",
                          "INSERT INTO requests (" SB_REQUEST_COLS
                          ", check_inputs) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                          "$12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, "
                          "$26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36) "
                          "ON CONFLICT DO NOTHING"};
const Stmt kUpdateRequest{
    "request_update",
    "UPDATE requests SET account_id = $3, service_id = $4, type = $5, origin = $6, "
    "channel = $7, state = $8, priority = $9, actor_type = $10, actor_id = $11, "
    "actor_role = $12, reason_code = $13, comment = $14, correlation_id = $15, "
    "idempotency_key = $16, policy_version = $17, payload_json = $18, checks_json = $19, "
    "result_json = $20, history_json = $21, created_at = $22, updated_at = $23, "
    "completed_at = $24, due_at = $25, at_risk_at = $26, sla_paused_at = $27, "
    "sla_status = $28, assignee = $29, decisions_json = $30, comments_json = $31, "
    "sla_clock = $32, sla_target_minutes = $33, sla_calendar = $34, sla_left_ms = $35, "
    "check_inputs = CASE WHEN $36 = '' THEN check_inputs ELSE $36 END "
    "WHERE tenant_id = $1 AND id = $2"};
const Stmt kGetRequest{"request_get",
                       "SELECT " SB_REQUEST_COLS " FROM requests WHERE tenant_id = $1 AND id = $2"};
const Stmt kListRequests{"request_list", "SELECT " SB_REQUEST_COLS
                                         " FROM requests WHERE tenant_id = $1 " SB_REQUEST_FILTERS
                                         "AND ($9::text = '' OR id < $9) "
                                         "ORDER BY id DESC LIMIT $10"};
const Stmt kRequestDueAt{"request_due_at",
                         "SELECT due_at FROM requests WHERE tenant_id = $1 AND id = $2"};
// The work queue, first part: requests with a deadline by (due_at, id), after ($9, $10).
const Stmt kQueueDated{
    "request_queue_dated",
    "SELECT " SB_REQUEST_COLS
    " FROM requests WHERE tenant_id = $1 AND due_at IS NOT NULL " SB_REQUEST_FILTERS
    "AND ($9::bigint IS NULL OR (due_at, id) > ($9, $10)) "
    "ORDER BY due_at, id LIMIT $11"};
// The work queue, second part: requests without a deadline by id, after $9.
const Stmt kQueueUndated{
    "request_queue_undated",
    "SELECT " SB_REQUEST_COLS
    " FROM requests WHERE tenant_id = $1 AND due_at IS NULL " SB_REQUEST_FILTERS
    "AND ($9::text = '' OR id > $9) "
    "ORDER BY id LIMIT $10"};
const Stmt kListOpenRequests{"request_list_open",
                             "SELECT " SB_REQUEST_COLS
                             " FROM requests WHERE tenant_id = $1 AND account_id = $2 "
                             "AND state IN " SB_OPEN_STATES " ORDER BY created_at, id"};
const Stmt kCountRequestsSince{
    "request_count_since",
    "SELECT COUNT(*) FROM requests WHERE tenant_id = $1 AND account_id = $2 AND type = $3 "
    "AND created_at >= $4 AND state NOT IN " SB_UNCOUNTED_STATES};
const Stmt kListForReplay{"request_list_for_replay",
                          "SELECT " SB_REQUEST_COLS
                          ", check_inputs FROM requests WHERE tenant_id = $1 AND created_at >= $2 "
                          "AND created_at < $3 AND id > $4 ORDER BY id LIMIT $5"};
const Stmt kListRequestStats{"request_stats",
                             "SELECT type, state, created_at, completed_at, due_at FROM requests "
                             "WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3"};
const Stmt kCountBacklog{"request_backlog",
                         "SELECT type, state, COUNT(*) FROM requests WHERE tenant_id = $1 "
                         "AND state IN " SB_OPEN_STATES " GROUP BY state, type"};

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
  q.at_risk_at = r.OptInt();
  q.sla_paused_at = r.OptInt();
  q.sla_status = EnumOr<domain::SlaStatus>(r.Str());
  q.assignee = r.Str();
  q.decisions = DecodeDecisions(r.Str());
  q.comments = DecodeComments(r.Str());
  std::optional<std::string> clock = r.OptStr();
  std::optional<std::int64_t> target = r.OptInt();
  std::optional<std::string> calendar = r.OptStr();
  if (clock) {
    q.sla_terms = domain::SlaTerms{EnumOr<domain::SlaClock>(*clock), target.value_or(0),
                                   calendar.value_or("")};
  }
  q.sla_left_ms = r.OptInt();
  return q;
}

// A request and what its checks read (kListForReplay).
Request ReadReplayRequest(RowReader& row) {
  Request r = ReadRequest(row);
  r.check_inputs_json = row.Str();
  return r;
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
  p.OptInt(q.at_risk_at).OptInt(q.sla_paused_at).Text(domain::Name(q.sla_status));
  p.Text(q.assignee).Text(EncodeDecisions(q.decisions)).Text(EncodeComments(q.comments));
  if (q.sla_terms) {
    p.Text(domain::Name(q.sla_terms->clock)).Int(q.sla_terms->target_minutes);
    p.Text(q.sla_terms->calendar);
  } else {
    p.Null().Null().Null();
  }
  p.OptInt(q.sla_left_ms);
  p.Text(q.check_inputs_json);
  return p;
}

// The wire name of an optional enum, or NULL.
template <typename E>
void OptName(Params& p, const std::optional<E>& v) {
  if (v) {
    p.Text(domain::Name(*v));
  } else {
    p.Null();
  }
}

// $1 and the filters $2..$8 of SB_REQUEST_FILTERS.
Params FilterParams(std::string_view tenant_id, const domain::RequestFilter& f) {
  Params p;
  p.Text(tenant_id).OptText(f.account_id);
  OptName(p, f.state);
  OptName(p, f.type);
  OptName(p, f.sla_status);
  p.OptText(f.assignee).OptText(f.priority).OptText(f.team);
  return p;
}

domain::RequestStat ReadStat(RowReader& r) {
  domain::RequestStat st;
  st.type = EnumOr<domain::RequestType>(r.Str());
  st.state = EnumOr<domain::RequestState>(r.Str());
  st.created_at = r.Int();
  st.completed_at = r.OptInt();
  st.due_at = r.OptInt();
  return st;
}

domain::BacklogCount ReadBacklog(RowReader& r) {
  domain::BacklogCount c;
  c.type = EnumOr<domain::RequestType>(r.Str());
  c.state = EnumOr<domain::RequestState>(r.Str());
  c.count = r.Int();
  return c;
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
  if (f.by_due) return ListRequestsByDue(tenant_id, f);
  int limit = PageLimit(f.limit);
  Params p = FilterParams(tenant_id, f);
  p.Text(f.starting_after).Int(limit + 1);
  return PageOf(kListRequests, p, limit, &ReadRequest, &Request::id);
}

// Dated requests by (due_at, id), then the undated ones by id; the cursor's own due_at tells
// which part to continue.
Result<Page<Request>> PgTx::ListRequestsByDue(std::string_view tenant_id,
                                              const domain::RequestFilter& f) {
  int limit = PageLimit(f.limit);
  std::optional<Timestamp> cursor_due;
  if (!f.starting_after.empty()) {
    SB_ASSIGN_OR_RETURN(PgResult c,
                        Query(kRequestDueAt, Params().Text(tenant_id).Text(f.starting_after)));
    if (c.rows() == 0) {
      return Status::Invalid("starting_after", "starting_after names no request of the tenant");
    }
    RowReader row(c, 0);
    cursor_due = row.OptInt();
  }
  std::vector<Request> rows;
  bool in_dated = f.starting_after.empty() || cursor_due.has_value();
  if (in_dated) {
    Params p = FilterParams(tenant_id, f);
    p.OptInt(cursor_due).Text(f.starting_after).Int(limit + 1);
    SB_ASSIGN_OR_RETURN(rows, Many(kQueueDated, p, &ReadRequest));
  }
  if (static_cast<int>(rows.size()) <= limit) {
    Params p = FilterParams(tenant_id, f);
    p.Text(in_dated ? std::string_view() : std::string_view(f.starting_after));
    p.Int(limit + 1 - static_cast<int>(rows.size()));
    SB_ASSIGN_OR_RETURN(auto undated, Many(kQueueUndated, p, &ReadRequest));
    for (Request& r : undated) rows.push_back(std::move(r));
  }
  return ToPage(std::move(rows), limit, &Request::id);
}

Result<std::vector<Request>> PgTx::ListOpenRequests(std::string_view tenant_id,
                                                    std::string_view account_id) {
  return Many(kListOpenRequests, Params().Text(tenant_id).Text(account_id), &ReadRequest);
}

Result<std::int64_t> PgTx::CountRequestsSince(std::string_view tenant_id,
                                              std::string_view account_id, domain::RequestType type,
                                              Timestamp since) {
  Params p;
  p.Text(tenant_id).Text(account_id).Text(domain::Name(type)).Int(since);
  return One(kCountRequestsSince, p, "count", &ReadCount);
}

Result<std::vector<domain::RequestStat>> PgTx::ListRequestStats(std::string_view tenant_id,
                                                                Timestamp from, Timestamp to) {
  return Many(kListRequestStats, Params().Text(tenant_id).Int(from).Int(to), &ReadStat);
}

Result<std::vector<Request>> PgTx::ListRequestsForReplay(std::string_view tenant_id, Timestamp from,
                                                         Timestamp to, std::string_view after_id,
                                                         int limit) {
  return Many(kListForReplay, Params().Text(tenant_id).Int(from).Int(to).Text(after_id).Int(limit),
              &ReadReplayRequest);
}

Result<std::vector<domain::BacklogCount>> PgTx::CountBacklog(std::string_view tenant_id) {
  return Many(kCountBacklog, Params().Text(tenant_id), &ReadBacklog);
}

}  // namespace sb::storage::postgres
