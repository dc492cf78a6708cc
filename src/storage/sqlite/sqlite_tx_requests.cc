// Requests, and the queries over them that checks, KPIs and the work queue need. The state
// history is stored as JSON text: [{"state":"received","at":1700000000000},...]; decisions
// and comments as storage/request_json.h describes.

#include <cstdlib>

#include "storage/request_json.h"
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
  "updated_at, completed_at, due_at, at_risk_at, sla_paused_at, sla_status, assignee, "       \
  "decisions_json, comments_json, sla_clock, sla_target_minutes, sla_calendar, sla_left_ms"
// The states a request can still leave (not domain::IsTerminal), as a list for reads, and as
// the condition of the partial index requests_open (migrations/sqlite/0037), word for word, for
// the writer's queries that read that index. Lists of more than two constants cost the writer a
// temporary b-tree at every execution (0037 says why); comparisons do not.
#define SB_OPEN_STATES                                                   \
  "('received', 'verifying', 'awaiting_customer', 'awaiting_approval', " \
  "'awaiting_payment', 'approved', 'provisioning')"
#define SB_OPEN_STATES_COND                                                             \
  "(state = 'received' OR state = 'verifying' OR state = 'awaiting_customer' "          \
  "OR state = 'awaiting_approval' OR state = 'awaiting_payment' OR state = 'approved' " \
  "OR state = 'provisioning')"
// The states that do not count towards cooling_off, excluded.
#define SB_COUNTED_STATES_COND "state <> 'rejected' AND state <> 'cancelled' AND state <> 'failed'"
constexpr const char* kInsertRequest =
    "INSERT INTO requests (" SB_REQUEST_COLS
    ", check_inputs) VALUES "
    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kUpdateRequest =
    // account_id (?1), type (?3) and created_at (?20) never change: see
    // sqlite_tx_accounts.cc on why they are left out of SET.
    "UPDATE requests SET service_id = ?2, origin = ?4, channel = ?5, state = ?6, "
    "priority = ?7, actor_type = ?8, actor_id = ?9, actor_role = ?10, reason_code = ?11, "
    "comment = ?12, correlation_id = ?13, idempotency_key = ?14, policy_version = ?15, "
    "payload_json = ?16, checks_json = ?17, result_json = ?18, history_json = ?19, "
    "updated_at = ?21, completed_at = ?22, due_at = ?23, at_risk_at = ?24, "
    "sla_paused_at = ?25, sla_status = ?26, assignee = ?27, decisions_json = ?28, "
    "comments_json = ?29, sla_clock = ?30, sla_target_minutes = ?31, sla_calendar = ?32, "
    "sla_left_ms = ?33, check_inputs = CASE WHEN ?34 = '' THEN check_inputs ELSE ?34 END "
    "WHERE tenant_id = ?35 AND id = ?36";
constexpr const char* kGetRequest =
    "SELECT " SB_REQUEST_COLS " FROM requests WHERE tenant_id = ? AND id = ?";
constexpr const char* kRequestDueAt = "SELECT due_at FROM requests WHERE tenant_id = ? AND id = ?";
constexpr const char* kListOpenRequests =
    "SELECT " SB_REQUEST_COLS
    " FROM requests WHERE tenant_id = ? AND account_id = ? AND " SB_OPEN_STATES_COND
    " ORDER BY created_at, id";
constexpr const char* kCountRequestsSince =
    "SELECT COUNT(*) FROM requests WHERE tenant_id = ? AND account_id = ? AND type = ? "
    "AND created_at >= ? AND " SB_COUNTED_STATES_COND;
constexpr const char* kListForReplay =
    "SELECT " SB_REQUEST_COLS
    ", check_inputs FROM requests WHERE tenant_id = ? AND created_at >= ? AND created_at < ? "
    "AND id > ? ORDER BY id LIMIT ?";
constexpr const char* kListRequestStats =
    "SELECT type, state, created_at, completed_at, due_at FROM requests "
    "WHERE tenant_id = ? AND created_at >= ? AND created_at < ?";
// Grouped by state first so that the planner reads the few open rows through
// requests_state rather than the whole tenant through requests_type.
constexpr const char* kCountBacklog =
    "SELECT type, state, COUNT(*) FROM requests WHERE tenant_id = ? AND state IN " SB_OPEN_STATES
    " GROUP BY state, type";

// The filters of RequestFilter, in bit order (see FilterMask), then the cursor condition.
std::vector<std::string> FilterConds(const char* cursor) {
  return {" AND account_id = ?",
          " AND state = ?",
          " AND type = ?",
          " AND sla_status = ?",
          " AND assignee = ?",
          " AND priority = ?",
          " AND assignee IN (SELECT id FROM staff_users WHERE tenant_id = ? AND team = ?)",
          cursor};
}
constexpr unsigned kCursorBit = 1u << 7;
// Newest first.
const ListQuery& RequestList() {
  static const ListQuery q("SELECT " SB_REQUEST_COLS " FROM requests WHERE tenant_id = ?",
                           FilterConds(" AND id < ?"));
  return q;
}
// The work queue, first part: requests with a deadline, by (due_at, id).
const ListQuery& DatedQueue() {
  static const ListQuery q(
      "SELECT " SB_REQUEST_COLS " FROM requests WHERE tenant_id = ? AND due_at IS NOT NULL",
      FilterConds(" AND (due_at, id) > (?, ?)"), " ORDER BY due_at, id LIMIT ?");
  return q;
}
// The work queue, second part: requests without a deadline, by id.
const ListQuery& UndatedQueue() {
  static const ListQuery q("SELECT " SB_REQUEST_COLS
                           " FROM requests WHERE tenant_id = ? AND due_at IS NULL",
                           FilterConds(" AND id > ?"), " ORDER BY id LIMIT ?");
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
  r.at_risk_at = s.ColOptInt(25);
  r.sla_paused_at = s.ColOptInt(26);
  r.sla_status = ParseOr(s.ColText(27), domain::SlaStatus::kOnTrack);
  r.assignee = s.ColText(28);
  r.decisions = DecodeDecisions(s.ColText(29));
  r.comments = DecodeComments(s.ColText(30));
  if (auto clock = s.ColOptText(31)) {
    r.sla_terms = domain::SlaTerms{ParseOr(*clock, domain::SlaClock::kBusinessHours), s.ColInt(32),
                                   s.ColText(33)};
  }
  r.sla_left_ms = s.ColOptInt(34);
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
  s.OptInt(r.completed_at).OptInt(r.due_at).OptInt(r.at_risk_at).OptInt(r.sla_paused_at);
  s.Text(domain::Name(r.sla_status)).Text(r.assignee);
  s.Text(EncodeDecisions(r.decisions)).Text(EncodeComments(r.comments));
  if (r.sla_terms) {
    s.Text(domain::Name(r.sla_terms->clock)).Int(r.sla_terms->target_minutes);
    s.Text(r.sla_terms->calendar);
  } else {
    s.OptText(std::nullopt).OptInt(std::nullopt).OptText(std::nullopt);
  }
  s.OptInt(r.sla_left_ms);
  s.Text(r.check_inputs_json);
}

// Which filters of `f` are set, as bits of FilterConds.
unsigned FilterMask(const domain::RequestFilter& f) {
  return (f.account_id ? 1u : 0u) | (f.state ? 2u : 0u) | (f.type ? 4u : 0u) |
         (f.sla_status ? 8u : 0u) | (f.assignee ? 16u : 0u) | (f.priority ? 32u : 0u) |
         (f.team ? 64u : 0u);
}

// Binds the set filters of `f`, in FilterConds order.
void BindFilters(Stmt& s, std::string_view tenant_id, const domain::RequestFilter& f) {
  if (f.account_id) s.Text(*f.account_id);
  if (f.state) s.Text(domain::Name(*f.state));
  if (f.type) s.Text(domain::Name(*f.type));
  if (f.sla_status) s.Text(domain::Name(*f.sla_status));
  if (f.assignee) s.Text(*f.assignee);
  if (f.priority) s.Text(*f.priority);
  if (f.team) s.Text(tenant_id).Text(*f.team);
}

// One part of the work queue: at most `want` rows of `q` after the cursor, if any. For the
// dated part the cursor is (*after_due, after_id); for the undated part, after_id alone.
Status AppendQueuePart(Conn& conn, const ListQuery& q, std::string_view tenant_id,
                       const domain::RequestFilter& f, const std::optional<Timestamp>& after_due,
                       std::string_view after_id, int want, std::vector<Request>* out) {
  unsigned mask = FilterMask(f) | (after_id.empty() ? 0u : kCursorBit);
  Stmt s(conn, q.Sql(mask));
  s.Text(tenant_id);
  BindFilters(s, tenant_id, f);
  if (after_due) s.Int(*after_due);
  if (!after_id.empty()) s.Text(after_id);
  s.Int(want);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<Request>(s, ReadRequest));
  for (Request& r : rows) out->push_back(std::move(r));
  return Status::Ok();
}

// The work queue order (RequestFilter::by_due): dated requests by (due_at, id), then the
// undated ones by id. The cursor's own due_at tells which part to continue.
Result<domain::Page<Request>> ListByDue(Conn& conn, std::string_view tenant_id,
                                        const domain::RequestFilter& f) {
  int limit = PageLimit(f.limit);
  std::optional<Timestamp> cursor_due;
  if (!f.starting_after.empty()) {
    Stmt c(conn, kRequestDueAt);
    SB_ASSIGN_OR_RETURN(bool found, c.Text(tenant_id).Text(f.starting_after).Next());
    if (!found) {
      return Status::Invalid("starting_after", "starting_after names no request of the tenant");
    }
    cursor_due = c.ColOptInt(0);
  }
  std::vector<Request> rows;
  bool in_dated = f.starting_after.empty() || cursor_due.has_value();
  if (in_dated) {
    SB_RETURN_IF_ERROR(AppendQueuePart(conn, DatedQueue(), tenant_id, f, cursor_due,
                                       f.starting_after, limit + 1, &rows));
  }
  if (static_cast<int>(rows.size()) <= limit) {
    std::string_view after = in_dated ? std::string_view() : f.starting_after;
    SB_RETURN_IF_ERROR(AppendQueuePart(conn, UndatedQueue(), tenant_id, f, std::nullopt, after,
                                       limit + 1 - static_cast<int>(rows.size()), &rows));
  }
  return MakePage(std::move(rows), limit);
}

domain::RequestStat ReadStat(const Stmt& s) {
  domain::RequestStat st;
  st.type = ParseOr(s.ColText(0), domain::RequestType::kStatusSync);
  st.state = ParseOr(s.ColText(1), RequestState::kReceived);
  st.created_at = s.ColInt(2);
  st.completed_at = s.ColOptInt(3);
  st.due_at = s.ColOptInt(4);
  return st;
}

domain::BacklogCount ReadBacklog(const Stmt& s) {
  return {ParseOr(s.ColText(0), domain::RequestType::kStatusSync),
          ParseOr(s.ColText(1), RequestState::kReceived), s.ColInt(2)};
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
  if (f.by_due) return ListByDue(conn_, tenant_id, f);
  unsigned mask = FilterMask(f) | (f.starting_after.empty() ? 0u : kCursorBit);
  int limit = PageLimit(f.limit);
  Stmt s(conn_, RequestList().Sql(mask));
  s.Text(tenant_id);
  BindFilters(s, tenant_id, f);
  if (!f.starting_after.empty()) s.Text(f.starting_after);
  s.Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<Request>(s, ReadRequest));
  return MakePage(std::move(rows), limit);
}

Result<std::vector<Request>> SqliteTx::ListOpenRequests(std::string_view tenant_id,
                                                        std::string_view account_id) {
  Stmt s(conn_, kListOpenRequests);
  s.Text(tenant_id).Text(account_id);
  return CollectRows<Request>(s, ReadRequest);
}

Result<std::int64_t> SqliteTx::CountRequestsSince(std::string_view tenant_id,
                                                  std::string_view account_id,
                                                  domain::RequestType type, Timestamp since) {
  Stmt s(conn_, kCountRequestsSince);
  s.Text(tenant_id).Text(account_id).Text(domain::Name(type)).Int(since);
  return OneRow<std::int64_t>(s, "count", [](const Stmt& row) { return row.ColInt(0); });
}

Result<std::vector<domain::RequestStat>> SqliteTx::ListRequestStats(std::string_view tenant_id,
                                                                    Timestamp from, Timestamp to) {
  Stmt s(conn_, kListRequestStats);
  s.Text(tenant_id).Int(from).Int(to);
  return CollectRows<domain::RequestStat>(s, ReadStat);
}

Result<std::vector<Request>> SqliteTx::ListRequestsForReplay(std::string_view tenant_id,
                                                             Timestamp from, Timestamp to,
                                                             std::string_view after_id, int limit) {
  Stmt s(conn_, kListForReplay);
  s.Text(tenant_id).Int(from).Int(to).Text(after_id).Int(limit);
  return CollectRows<Request>(s, [](const Stmt& row) {
    Request r = ReadRequest(row);
    r.check_inputs_json = row.ColText(35);
    return r;
  });
}

Result<std::vector<domain::BacklogCount>> SqliteTx::CountBacklog(std::string_view tenant_id) {
  Stmt s(conn_, kCountBacklog);
  s.Text(tenant_id);
  return CollectRows<domain::BacklogCount>(s, ReadBacklog);
}

}  // namespace sb::storage::sqlite
