// The raw limit the HTTP figures are judged against: the same rows the server writes for one
// operation (see Shapes()), written straight through the database library with the same
// durability.
//   SQLite:     WAL, synchronous=FULL, batches of 100 operations per transaction, 1 writer.
//   PostgreSQL: synchronous_commit=on, one transaction per operation, 8 client threads (and
//               for the "+seq" shapes a sequencer that puts the entries into the log in
//               batches, as the server's does). RAW_PG_OPS_PER_TX=K puts K operations in
//               each transaction, a savepoint each (what group commit would make of them;
//               docs/PERFORMANCE.md, "Group commit on PostgreSQL, measured raw").
// Prints one JSON line per backend: operations/s and per-operation latency percentiles.
//
//   raw_limit sqlite holds+log /tmp/raw.db 30
//   raw_limit postgres payments postgresql://postgres@127.0.0.1:5432/raw 30

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "crypto/crypto.h"
#include "letters.h"
#include "storage/migrations.h"
#include "storage/open.h"
#include "storage/sqlite/sqlite_checkpointer.h"
#include "storage/sqlite/sqlite_conn.h"
#include "storage/sqlite/sqlite_migrate.h"

using Clock = std::chrono::steady_clock;

namespace {

// Parameters of every statement: $1 the operation's id, $2 its counter (the timestamp
// columns), $3 the first leaf index the operation's audit entries take, $4 a 32-byte hash,
// $5 and $6 the account and service it works on, $7 the payment event's id. Rewritten to
// ?n for SQLite. Operations take the accounts in turn, one per connection of the HTTP load,
// so that the raw loop touches the same spread of index pages the server does.
//
// {NAME} marks a value whose size matters (see Values()): an id, or a JSON column. The
// statements are written once and filled in with either the server's values or the short
// ones earlier reports used.
// LEAF is the entry's leaf index and hash: SB_LEAF(k) where the entry is sequenced in the
// write that makes it (SQLite's single writer), SB_UNSEQUENCED where the sequencer gives it
// its leaf later (PostgreSQL).
#define SB_LEAF(k) "$3 + " k ", $4"
#define SB_UNSEQUENCED "NULL, ''"
#define SB_AUDIT_INSERT(suffix, category, action, actor, subject_type, subject_id, before, after,  \
                        leaf)                                                                      \
  "INSERT INTO audit_entries (tenant_id, id, category, action, actor_type, actor_id, "             \
  "actor_role, channel, reason_code, comment, request_id, correlation_id, subject_type, "          \
  "subject_id, account_id, before_json, after_json, created_at, leaf_index, leaf_hash) "           \
  "VALUES ('{TENANT}', $1 || '" suffix "', '" category "', '" action "', " actor ", " subject_type \
  ", " subject_id ", $5, '" before "', '" after "', $2, " leaf ")"
// SLA is the request's clock: SB_SLA for a request with a due time, SB_NO_SLA without one.
#define SB_SLA "$2 + 108000000, $2 + 101700000, 'business_hours', 540, 'paris_business'"
#define SB_NO_SLA "NULL, NULL, NULL, NULL, NULL"
#define SB_REQUEST_INSERT(suffix, type, origin, actor, payload, checks, result, inputs, sla)   \
  "INSERT INTO requests (tenant_id, id, account_id, service_id, type, origin, channel, "       \
  "state, priority, actor_type, actor_id, actor_role, reason_code, comment, correlation_id, "  \
  "idempotency_key, policy_version, payload_json, checks_json, result_json, history_json, "    \
  "created_at, updated_at, completed_at, check_inputs, due_at, at_risk_at, sla_clock, "        \
  "sla_target_minutes, sla_calendar) VALUES ('{TENANT}', $1 || '" suffix "', $5, NULL, '" type \
  "', '" origin "', " actor ", '', '2026.1', '" payload "', '" checks "', '" result            \
  "', '{HISTORY}', $2, $2, $2, '" inputs "', " sla ")"
// An event of the outbox, written pending (`SUBJECT` names the request it tells of).
#define SB_OUTBOX_INSERT(suffix, event_type, subject, payload)                                   \
  "INSERT INTO outbox (tenant_id, id, channel, event_type, account_id, request_id, "             \
  "payload_json, state, attempts, next_attempt_at, last_error, created_at) VALUES ('{TENANT}', " \
  "$1 || '" suffix "', 'webhook', '" event_type "', $5, $1 || '" subject "', '" payload          \
  "', 'pending', 0, $2, '', $2)"
// Who acts and why: a request's columns from `channel` to `correlation_id`, an audit
// entry's from `actor_type` to `correlation_id`. An agent's API key places the hold; the
// system applies the client's event.
#define SB_API_REQUEST_ACTOR                                                          \
  "'api', 'completed', 'normal', 'api_key', '{KEY_ID}', 'admin', 'non_payment', '', " \
  "'{API_CORRELATION}'"
#define SB_EVENT_REQUEST_ACTOR                                                          \
  "'system', 'completed', 'normal', 'system', 'system', NULL, 'payment_received', '', " \
  "'{EVENT_CORRELATION}'"
#define SB_API_AUDIT_ACTOR \
  "'api_key', '{KEY_ID}', 'admin', 'api', 'non_payment', '', $1, '{API_CORRELATION}'"
#define SB_EVENT_AUDIT_ACTOR \
  "'system', 'system', NULL, 'system', 'payment_received', '', $1, '{EVENT_CORRELATION}'"
// The Merkle nodes the k-th audit entry of an operation completes: its leaf and (on
// average) one interior node.
#define SB_NODES(k)                                                                         \
  "INSERT INTO audit_tree_nodes (tenant_id, level, idx, hash) VALUES ('{TENANT}', 0, "      \
  "$3 + " k ", $4) ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hash = excluded.hash", \
      "INSERT INTO audit_tree_nodes (tenant_id, level, idx, hash) VALUES ('{TENANT}', 1, "  \
      "$3 + " k ", $4) ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hash = excluded.hash"
#define SB_LOG_SIZE(n)                        \
  "UPDATE audit_log_state SET size = $3 + " n \
  " WHERE tenant_id = '{TENANT}' AND "        \
  "$1 <> ''"

// What one "place hold" call writes (a "lift hold" writes as many rows): a request (and, by
// the trigger of migration 0035, its lifecycle step), the hold, four audit entries (hold,
// service, account, the request's completion), three events in the outbox, the service and
// the account. L0..L3 are the entries' leaves.
#define SB_PLACE_HOLD(L0, L1, L2, L3)                                                              \
  SB_REQUEST_INSERT("", "suspension", "involuntary", SB_API_REQUEST_ACTOR, "{HOLD_TYPE}", "[]",    \
                    "{SUSPENDED_RESULT}", "{SUSPENSION_INPUTS}", SB_SLA),                          \
      "INSERT INTO holds (tenant_id, id, account_id, service_id, type, blocks_service, "           \
      "blocks_billing, blocks_changes, source, owner, reason_code, comment, state, "               \
      "placed_at, expires_at, released_at, released_reason_code, placed_by_request_id, "           \
      "released_by_request_id) VALUES ('{TENANT}', $1, $5, NULL, 'non_payment', TRUE, FALSE, "     \
      "FALSE, 'agent', '', 'non_payment', '', 'active', $2, NULL, NULL, '', $1, '')",              \
      SB_AUDIT_INSERT("a", "account_status", "hold.placed", SB_API_AUDIT_ACTOR, "'hold'", "$1",    \
                      "{}", "{HOLD_ACTIVE}", L0),                                                  \
      "UPDATE services SET status = 'suspended', version = version + 1, updated_at = $2 "          \
      "WHERE tenant_id = '{TENANT}' AND id = $6 AND $1 <> ''",                                     \
      SB_AUDIT_INSERT("b", "subscription", "service.suspended", SB_API_AUDIT_ACTOR, "'service'",   \
                      "$6", "{\"status\":\"active\"}", "{\"status\":\"suspended\"}", L1),          \
      SB_AUDIT_INSERT("c", "account_status", "account.suspended", SB_API_AUDIT_ACTOR, "'account'", \
                      "$5", "{\"status\":\"active\"}", "{\"status\":\"suspended\"}", L2),          \
      "UPDATE accounts SET status = 'suspended', version = version + 1, updated_at = $2 "          \
      "WHERE tenant_id = '{TENANT}' AND id = $5 AND $1 <> ''",                                     \
      SB_AUDIT_INSERT("h", "account_status", "request.completed", SB_API_AUDIT_ACTOR, "'request'", \
                      "$1", "{\"state\":\"received\"}", "{\"state\":\"completed\",\"checks\":[]}", \
                      L3),                                                                         \
      SB_OUTBOX_INSERT("m", "service.suspended", "", "{EVENT_SERVICE}"),                           \
      SB_OUTBOX_INSERT("n", "account.status_changed", "", "{EVENT_ACCOUNT}"),                      \
      SB_OUTBOX_INSERT("o", "request.completed", "", "{EVENT_REQUEST}")

// What a payment.received event that reconnects writes: the event, a billing adjustment
// request with its payment audit entry and the account's new balance, then the automated
// reconnection: its request (and lifecycle step), the lifted hold, four audit entries, three
// events, the service and the account. L4..L8 are the entries' leaves.
#define SB_PAYMENT_EVENT(L4, L5, L6, L7, L8)                                                       \
  "INSERT INTO inbound_events (tenant_id, event_id, type, received_at, request_id, outcome) "      \
  "VALUES ('{TENANT}', $7, 'payment.received', $2, $1 || 'p', 'reconnected')",                     \
      SB_REQUEST_INSERT("p", "billing_adjustment", "automated", SB_EVENT_REQUEST_ACTOR,            \
                        "{PAYMENT_PAYLOAD}", "[]", "{PAYMENT_AFTER}", "", SB_NO_SLA),              \
      SB_AUDIT_INSERT("d", "payment", "payment.received", SB_EVENT_AUDIT_ACTOR, "'account'", "$5", \
                      "{\"amount_due_minor\":0}", "{PAYMENT_AFTER}", L4),                          \
      "UPDATE accounts SET amount_due_minor = 0, last_payment_at = $2, version = version + "       \
      "1, updated_at = $2 WHERE tenant_id = '{TENANT}' AND id = $5 AND $1 <> ''",                  \
      SB_REQUEST_INSERT("r", "reconnection", "automated", SB_EVENT_REQUEST_ACTOR, "{HOLD_REF}",    \
                        "{RECONNECTION_CHECKS}", "{ACTIVE_RESULT}", "{RECONNECTION_INPUTS}",       \
                        SB_SLA),                                                                   \
      "UPDATE holds SET state = 'lifted', released_at = $2, released_reason_code = "               \
      "'payment_received', released_by_request_id = $1 || 'r' WHERE tenant_id = '{TENANT}' "       \
      "AND id = $1",                                                                               \
      SB_AUDIT_INSERT("e", "account_status", "hold.lifted", SB_EVENT_AUDIT_ACTOR, "'hold'", "$1",  \
                      "{HOLD_ACTIVE}", "{HOLD_LIFTED}", L5),                                       \
      "UPDATE services SET status = 'active', version = version + 1, updated_at = $2 "             \
      "WHERE tenant_id = '{TENANT}' AND id = $6 AND $1 <> ''",                                     \
      SB_AUDIT_INSERT("f", "subscription", "service.reconnected", SB_EVENT_AUDIT_ACTOR,            \
                      "'service'", "$6", "{\"status\":\"suspended\"}", "{\"status\":\"active\"}",  \
                      L6),                                                                         \
      SB_AUDIT_INSERT("g", "account_status", "account.active", SB_EVENT_AUDIT_ACTOR, "'account'",  \
                      "$5", "{\"status\":\"suspended\"}", "{\"status\":\"active\"}", L7),          \
      "UPDATE accounts SET status = 'active', version = version + 1, updated_at = $2 "             \
      "WHERE tenant_id = '{TENANT}' AND id = $5 AND $1 <> ''",                                     \
      SB_AUDIT_INSERT("i", "account_status", "request.completed", SB_EVENT_AUDIT_ACTOR,            \
                      "'request'", "$1 || 'r'", "{\"state\":\"received\"}",                        \
                      "{RECONNECTION_COMPLETED}", L8),                                             \
      SB_OUTBOX_INSERT("q", "service.reconnected", "r", "{EVENT_SERVICE}"),                        \
      SB_OUTBOX_INSERT("s", "account.status_changed", "r", "{EVENT_ACCOUNT}"),                     \
      SB_OUTBOX_INSERT("t", "request.completed", "r", "{EVENT_REQUEST}")

struct Shape {
  std::string name;
  std::vector<std::string> statements;  // one operation, values filled in
  int leaves;                           // audit entries per operation ($3 advances by this)
  // PostgreSQL: where the operation's second request, and so its second transaction,
  // starts (0: one request). The server runs one transaction per request.
  size_t second_request = 0;
  bool short_values = false;  // the short ids and JSON of earlier reports
  // The entries are written unsequenced and a sequencer thread gives them their leaves in
  // batches, as the server's audit sequencer does on PostgreSQL (RunSequencer).
  bool sequencer = false;
};

// The values the statements are filled in with. The server's are the sizes its own rows
// have under the load (ids of 30 characters; JSON columns as the server writes them, taken
// from a server database after a run); the short ones are what earlier reports wrote.
struct Values {
  std::vector<std::pair<std::string, std::string>> tokens;
};

const Values& ServerValues() {
  static const Values v{{
      {"{TENANT}", "ten_01m8rkrssy62h8z3pcv561e8p2"},
      {"{KEY_ID}", "key_01m8rkrssz4b3d2hx7e0m2n9qa"},
      {"{API_CORRELATION}", "rid_937db58a65d55fba8926e3ea"},
      {"{EVENT_CORRELATION}", "event:evt_BENCH-fkicuctjvb-0_0"},
      {"{HISTORY}",
       R"([{"state":"received","at":1796122372370},{"state":"verifying","at":1796122372370},)"
       R"({"state":"approved","at":1796122372370},{"state":"completed","at":1796122372370}])"},
      {"{HOLD_TYPE}", R"({"hold_type":"non_payment"})"},
      {"{HOLD_ACTIVE}",
       R"({"hold_id":"hld_01m8rkrt8230vv689g9xt6ksn1","hold_type":"non_payment","state":"active",)"
       R"("blocks_service":true,"blocks_billing":false,"blocks_changes":false})"},
      {"{HOLD_LIFTED}",
       R"({"hold_id":"hld_01m8rkrt8230vv689g9xt6ksn1","hold_type":"non_payment","state":"lifted",)"
       R"("blocks_service":true,"blocks_billing":false,"blocks_changes":false})"},
      {"{HOLD_REF}", R"({"hold_ids":["hld_01m8rkrt8230vv689g9xt6ksn1"]})"},
      {"{SUSPENDED_RESULT}",
       R"({"account_status":"suspended","services":{"svc_01m8rkrst5xdnjgsdvx9jp92pt":"suspended"},)"
       R"("hold_id":"hld_01m8rkrt8230vv689g9xt6ksn1"})"},
      {"{ACTIVE_RESULT}",
       R"({"account_status":"active","services":{"svc_01m8rkrt7yy1sw2xebv37w6s7z":"active"},)"
       R"("lifted_holds":["hld_01m8rkrt8230vv689g9xt6ksn1"]})"},
      {"{SUSPENSION_INPUTS}",
       R"({"at":1796554403951,"account":{"amount_due_minor":0,"currency":"EUR","kyc_level":0,)"
       R"("created_at":1796554395937},"holds":[],"verifications":[],"decisions":[],"maker":)"
       R"({"type":"api_key","id":"key_01m95fs43e0tr4gn1c54hgt5x6","role":"admin"},)"
       R"("cooling_off":{},"offer_answered":false,"verdict":"approved"})"},
      {"{RECONNECTION_INPUTS}",
       R"({"at":1796554620315,"account":{"amount_due_minor":0,"currency":"EUR","kyc_level":0,)"
       R"("created_at":1796554620262},"holds":[],"verifications":[],"decisions":[],"maker":)"
       R"({"type":"system","id":"system"},"cooling_off":{},"offer_answered":false,)"
       R"("verdict":"approved"})"},
      {"{RECONNECTION_CHECKS}",
       R"([{"kind":"no_fraud_hold","passed":true,"detail":"no fraud review hold"}])"},
      {"{RECONNECTION_COMPLETED}",
       R"({"state":"completed","checks":[{"kind":"no_fraud_hold","passed":true,)"
       R"("detail":"no fraud review hold"}]})"},
      {"{EVENT_SERVICE}",
       R"({"id":"msg_01m95fsc3f0j2c3sg2cpcc0rxq","type":"service.suspended",)"
       R"("created_at":"2026-12-06T10:53:23.951Z","tenant_id":"ten_01m95fs42v0ewpayp9q3h5r981",)"
       R"("data":{"id":"svc_01m95fs4910a9kays89wctfwdt","object":"service",)"
       R"("account_id":"acc_01m95fs4910a9gwjyntsm5hk5x","plan":"mobile_basic",)"
       R"("status":"suspended","version":198,"updated_at":"2026-12-06T10:53:23.951Z",)"
       R"("terminated_at":null,"request_id":"req_01m95fsc3f0j0rgd2t6116n0r8"},)"
       R"("request":{"id":"req_01m95fsc3f0j0rgd2t6116n0r8","idempotency_key":"",)"
       R"("type":"suspension","filed_at":"2026-12-06T10:53:23.951Z"},)"
       R"("previous":{"status":"active"}})"},
      {"{EVENT_ACCOUNT}",
       R"({"id":"msg_01m95fsc3f0j2rgd1tmpt7cxkw","type":"account.status_changed",)"
       R"("created_at":"2026-12-06T10:53:23.951Z","tenant_id":"ten_01m95fs42v0ewpayp9q3h5r981",)"
       R"("data":{"id":"acc_01m95fs4910a9gwjyntsm5hk5x","object":"account",)"
       R"("external_ref":"BENCH-jmlbwjofil-18","status":"suspended","lifecycle":"active",)"
       R"("version":198,"updated_at":"2026-12-06T10:53:23.951Z",)"
       R"("request_id":"req_01m95fsc3f0j0rgd2t6116n0r8",)"
       R"("account_id":"acc_01m95fs4910a9gwjyntsm5hk5x"},"request":)"
       R"({"id":"req_01m95fsc3f0j0rgd2t6116n0r8","idempotency_key":"","type":"suspension",)"
       R"("filed_at":"2026-12-06T10:53:23.951Z"},"previous":{"status":"active"}})"},
      {"{EVENT_REQUEST}",
       R"({"id":"msg_01m95fsc3f0j3n2y84q5bzg0ag","type":"request.completed",)"
       R"("created_at":"2026-12-06T10:53:23.951Z","tenant_id":"ten_01m95fs42v0ewpayp9q3h5r981",)"
       R"("data":{"state":"completed","request_id":"req_01m95fsc3f0j0rgd2t6116n0r8",)"
       R"("account_id":"acc_01m95fs4910a9gwjyntsm5hk5x"},"request":)"
       R"({"id":"req_01m95fsc3f0j0rgd2t6116n0r8","idempotency_key":"","type":"suspension",)"
       R"("filed_at":"2026-12-06T10:53:23.951Z"}})"},
      {"{PAYMENT_PAYLOAD}",
       R"({"event_id":"evt_BENCH-fkicuctjvb-0_0","amount_minor":100,"currency":"EUR"})"},
      {"{PAYMENT_AFTER}", R"({"amount_due_minor":0,"last_payment_at":"2026-12-01T10:52:52.370Z"})"},
  }};
  return v;
}

const Values& ShortValues() {
  static const Values v{{
      {"{TENANT}", "ten_bench"},
      {"{KEY_ID}", "key_bench"},
      {"{API_CORRELATION}", "corr"},
      {"{EVENT_CORRELATION}", "corr"},
      {"{HISTORY}", R"([{"state":"received","at":1},{"state":"completed","at":1}])"},
      {"{HOLD_TYPE}", R"({"hold_type":"non_payment"})"},
      {"{HOLD_ACTIVE}", R"({"type":"non_payment","state":"active"})"},
      {"{HOLD_LIFTED}", R"({"state":"lifted"})"},
      {"{HOLD_REF}", R"({"hold_id":"hld"})"},
      {"{SUSPENDED_RESULT}",
       R"({"account_status":"suspended","services":{"svc_bench":"suspended"}})"},
      {"{ACTIVE_RESULT}", R"({"account_status":"active"})"},
      {"{SUSPENSION_INPUTS}", R"({"account":{"amount_due_minor":0}})"},
      {"{RECONNECTION_INPUTS}", R"({"account":{"amount_due_minor":0}})"},
      {"{RECONNECTION_CHECKS}", "[]"},
      {"{RECONNECTION_COMPLETED}", R"({"state":"completed"})"},
      {"{EVENT_SERVICE}", R"({"type":"service.suspended"})"},
      {"{EVENT_ACCOUNT}", R"({"type":"account.status_changed"})"},
      {"{EVENT_REQUEST}", R"({"type":"request.completed"})"},
      {"{PAYMENT_PAYLOAD}", R"({"event_id":"evt","amount_minor":100,"currency":"EUR"})"},
      {"{PAYMENT_AFTER}", R"({"amount_due_minor":0})"},
  }};
  return v;
}

std::string Fill(std::string sql, const Values& values) {
  for (const auto& [token, value] : values.tokens) {
    for (size_t p = sql.find(token); p != std::string::npos; p = sql.find(token, p)) {
      sql.replace(p, token.size(), value);
      p += value.size();
    }
  }
  return sql;
}

Shape MakeShape(std::string name, std::vector<const char*> statements, int leaves,
                size_t second_request, bool short_values, bool sequencer) {
  Shape shape{std::move(name), {}, leaves, second_request, short_values, sequencer};
  const Values& values = short_values ? ShortValues() : ServerValues();
  for (const char* s : statements) shape.statements.push_back(Fill(s, values));
  return shape;
}

// holds:       one place-hold call, the rows of the change only, its entries unsequenced;
// holds+log:   the same with every entry sequenced in the operation's own write (its leaf
//              index and hash, the Merkle nodes it completes, the log size): how the server
//              writes them on SQLite, whose single writer sequences each entry in its write;
// holds+seq:   the change rows one transaction per operation, and a sequencer thread that
//              gives the entries their leaves in batches: how the server writes them on
//              PostgreSQL (PostgreSQL only);
// payments, payments+seq: one cycle of the payments workload (place a hold, then the
//              payment event that reconnects), sequenced in the write or by the sequencer:
//              two requests, so two transactions on PostgreSQL.
// Each with the server's values, and with "/short" the short values of earlier reports.
// The workloads are judged against the shape of their backend's design: holds+log and
// payments on SQLite, holds+seq and payments+seq on PostgreSQL.
const std::vector<Shape>& Shapes() {
  static const std::vector<Shape> shapes = [] {
    const std::vector<const char*> holds = {
        SB_PLACE_HOLD(SB_UNSEQUENCED, SB_UNSEQUENCED, SB_UNSEQUENCED, SB_UNSEQUENCED)};
    const std::vector<const char*> holds_log = {
        SB_PLACE_HOLD(SB_LEAF("0"), SB_LEAF("1"), SB_LEAF("2"), SB_LEAF("3")),
        SB_NODES("0"),
        SB_NODES("1"),
        SB_NODES("2"),
        SB_NODES("3"),
        SB_LOG_SIZE("4")};
    const std::vector<const char*> payments = {
        SB_PLACE_HOLD(SB_LEAF("0"), SB_LEAF("1"), SB_LEAF("2"), SB_LEAF("3")),
        SB_NODES("0"),
        SB_NODES("1"),
        SB_NODES("2"),
        SB_NODES("3"),
        SB_PAYMENT_EVENT(SB_LEAF("4"), SB_LEAF("5"), SB_LEAF("6"), SB_LEAF("7"), SB_LEAF("8")),
        SB_NODES("4"),
        SB_NODES("5"),
        SB_NODES("6"),
        SB_NODES("7"),
        SB_NODES("8"),
        SB_LOG_SIZE("9")};
    const std::vector<const char*> payments_seq = {
        SB_PLACE_HOLD(SB_UNSEQUENCED, SB_UNSEQUENCED, SB_UNSEQUENCED, SB_UNSEQUENCED),
        SB_PAYMENT_EVENT(SB_UNSEQUENCED, SB_UNSEQUENCED, SB_UNSEQUENCED, SB_UNSEQUENCED,
                         SB_UNSEQUENCED)};
    // The statements of one place-hold call, with its four entries' nodes after it.
    const size_t place_hold = 11, payment_starts = place_hold + 4 * 2;
    std::vector<Shape> out;
    for (bool short_values : {false, true}) {
      const std::string suffix = short_values ? "/short" : "";
      out.push_back(MakeShape("holds" + suffix, holds, 4, 0, short_values, false));
      out.push_back(MakeShape("holds+log" + suffix, holds_log, 4, 0, short_values, false));
      out.push_back(MakeShape("holds+seq" + suffix, holds, 4, 0, short_values, true));
      out.push_back(
          MakeShape("payments" + suffix, payments, 9, payment_starts, short_values, false));
      out.push_back(
          MakeShape("payments+seq" + suffix, payments_seq, 9, place_hold, short_values, true));
    }
    return out;
  }();
  return shapes;
}

const Shape* FindShape(const std::string& name) {
  for (const Shape& s : Shapes()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

// As many accounts as the HTTP load has connections (64 by default).
constexpr int kAccounts = 64;

// The per-operation values: $1, $2, $5, $6, $7.
struct OpIds {
  std::string op, account, service, event;
  std::int64_t at = 0;  // the timestamp columns: the server's are milliseconds since 1970
};

// Server-shaped ids are the server's own (crypto::NewId: a prefix, 10 characters of
// millisecond time, 16 random ones); the event's is the load generator's
// ("evt_BENCH-<letters>-<connection>_<cycle>"), so it lands in one of 64 places of the index,
// as the HTTP load's do.
class IdMaker {
 public:
  explicit IdMaker(bool short_values) : short_(short_values) {}

  OpIds For(long op) const {
    const int k = static_cast<int>(op % kAccounts);
    const long cycle = op / kAccounts;
    if (short_) {
      std::string id = "op_" + std::to_string(op);
      return {id, "acc_bench_" + std::to_string(k), "svc_bench_" + std::to_string(k), id, op};
    }
    const std::int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
    return {sb::crypto::NewId("req", ms), Account(k), Service(k),
            "evt_BENCH-" + sb::bench::Letters(k * 7919 + 100003) + "-" + std::to_string(k) + "_" +
                std::to_string(cycle),
            ms};
  }

  static std::string Account(int k) { return Fixed("acc_01m8rkrt7y5nnqhem9cr5g", k); }
  static std::string Service(int k) { return Fixed("svc_01m8rkrt7yy1sw2xebv37w", k); }

 private:
  // 30 characters: a fixed 26 and k in 4 digits.
  static std::string Fixed(const char* head, int k) {
    char tail[8];
    std::snprintf(tail, sizeof tail, "%04d", k);
    return std::string(head) + tail;
  }

  bool short_;
};

std::vector<std::string> Seed(const Shape& shape) {
  const Values& values = shape.short_values ? ShortValues() : ServerValues();
  // Sealed profiles as long as the server's (about 230 bytes).
  const std::string profile = shape.short_values ? "" : std::string(230, 'x');
  std::vector<std::string> out = {
      Fill("INSERT INTO tenants (id, name, created_at) VALUES ('{TENANT}', 'Bench', 0)", values),
      Fill("INSERT INTO audit_log_state (tenant_id, size) VALUES ('{TENANT}', 0)", values)};
  IdMaker ids(shape.short_values);
  for (int k = 0; k < kAccounts; ++k) {
    OpIds op = ids.For(k);
    out.push_back(Fill(
        "INSERT INTO accounts (tenant_id, id, external_ref, profile_sealed, lifecycle, status, "
        "amount_due_minor, currency, last_payment_at, kyc_level, version, created_at, "
        "updated_at) VALUES ('{TENANT}', '" +
            op.account + "', 'BENCH-" + std::to_string(k) + "', '" + profile +
            "', 'active', 'active', 0, 'EUR', NULL, 2, 1, 0, 0)",
        values));
    out.push_back(
        Fill("INSERT INTO services (tenant_id, id, account_id, plan_code, status, version, "
             "created_at, updated_at, terminated_at) VALUES ('{TENANT}', '" +
                 op.service + "', '" + op.account + "', 'mobile_basic', 'active', 1, 0, 0, NULL)",
             values));
  }
  return out;
}

// 32 bytes, as a leaf or node hash.
const std::string kHash(32, '\x5a');
const std::string kHashHex = "\\x" + std::string(64, 'a');

std::string ForSqlite(std::string sql) {
  for (size_t p = sql.find('$'); p != std::string::npos; p = sql.find('$', p)) sql[p] = '?';
  return sql;
}

// As bench/load_holds warms up before it measures.
constexpr int kWarmUpSeconds = 3;

struct Result {
  long ops = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;
};

double Pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + i, v.end());
  return v[i];
}

void Print(const char* backend, const Shape& shape, const char* how, Result& r) {
  std::printf(
      "{\"backend\":\"%s\",\"shape\":\"%s\",\"how\":\"%s\",\"rows\":%zu,\"ops\":%ld,"
      "\"ops_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
      backend, shape.name.c_str(), how, shape.statements.size(), r.ops, r.ops / r.seconds,
      Pct(r.latencies_ms, 0.5), Pct(r.latencies_ms, 0.99));
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
}

int RunSqlite(const std::string& path, const Shape& shape, int seconds) {
  if (shape.sequencer) {
    std::cerr << shape.name
              << ": on SQLite the server sequences each entry in its write (holds+log)\n";
    return 2;
  }
  // The connection configured, migrated and checkpointed as the server's writer is
  // (storage/sqlite/sqlite_store.cc): its pragmas and page cache, and the checkpointer that
  // copies the log back beside it.
  namespace sq = sb::storage::sqlite;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  auto opened = sq::Conn::Open(path, flags);
  if (!opened.ok() || !sq::ConfigureWriter(**opened).ok() || !sq::ApplyMigrations(**opened).ok()) {
    std::cerr << "cannot open and migrate " << path << "\n";
    return 1;
  }
  opened->reset();  // reopened, as the server does, to plan with the migrations' statistics
  opened = sq::Conn::Open(path, flags);
  auto checkpoint_conn = sq::Conn::Open(path, SQLITE_OPEN_READWRITE);
  if (!opened.ok() || !sq::ConfigureWriter(**opened).ok() || !checkpoint_conn.ok() ||
      !(*checkpoint_conn)->Exec("PRAGMA synchronous=FULL").ok()) {
    std::cerr << "cannot open " << path << "\n";
    return 1;
  }
  std::unique_ptr<sq::Conn> writer = std::move(*opened);
  sb::storage::OpenOptions defaults;
  auto checkpointer = std::make_unique<sq::Checkpointer>(std::move(*checkpoint_conn),
                                                         defaults.wal_checkpoint_pages);
  checkpointer->Attach(*writer);
  sqlite3* db = writer->db();
  for (const auto& s : Seed(shape))
    Check(sqlite3_exec(db, s.c_str(), nullptr, nullptr, nullptr), db, "seed");
  std::vector<sqlite3_stmt*> stmts;
  for (const std::string& s : shape.statements) {
    sqlite3_stmt* st = nullptr;
    Check(sqlite3_prepare_v2(db, ForSqlite(s).c_str(), -1, &st, nullptr), db, s.c_str());
    stmts.push_back(st);
  }
  IdMaker ids(shape.short_values);
  Result r;
  auto start = Clock::now(), stop = start + std::chrono::seconds(seconds);
  while (Clock::now() < stop) {
    auto t0 = Clock::now();
    Check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    for (int i = 0; i < 100; ++i, ++r.ops) {
      const OpIds op = ids.For(r.ops);
      for (sqlite3_stmt* st : stmts) {
        // A statement that does not name a parameter refuses its binding (SQLITE_RANGE),
        // which is harmless here.
        sqlite3_bind_text(st, 1, op.op.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, op.at);
        sqlite3_bind_int64(st, 3, r.ops * shape.leaves);
        sqlite3_bind_blob(st, 4, kHash.data(), 32, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, op.account.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, op.service.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 7, op.event.c_str(), -1, SQLITE_TRANSIENT);
        Check(sqlite3_step(st), db, "step");
        sqlite3_reset(st);
      }
    }
    Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    // Every operation of the batch waits for the batch's commit.
    for (int i = 0; i < 100; ++i) r.latencies_ms.push_back(ms);
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto* st : stmts) sqlite3_finalize(st);
  checkpointer.reset();
  writer.reset();
  Print("sqlite", shape, "batches of 100, synchronous=FULL, the server's writer settings", r);
  return 0;
}

PGconn* Connect(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::cerr << "connect: " << PQerrorMessage(c);
    std::exit(1);
  }
  return c;
}

void Exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    std::cerr << "exec: " << PQerrorMessage(c);
    std::exit(1);
  }
  PQclear(r);
}

PGresult* Prepared(PGconn* c, const char* name, std::vector<std::string> params) {
  std::vector<const char*> values;
  for (const std::string& p : params) values.push_back(p.c_str());
  PGresult* r =
      PQexecPrepared(c, name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0);
  auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    std::cerr << name << ": " << PQerrorMessage(c);
    std::exit(1);
  }
  return r;
}

void Prepare(PGconn* c, const char* name, const char* sql) {
  PGresult* r = PQprepare(c, name, sql, 0, nullptr);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    std::cerr << "prepare " << name << ": " << PQerrorMessage(c);
    std::exit(1);
  }
  PQclear(r);
}

// The audit sequencer's passes, as the server's (app/audit/audit_log.cc, SequenceBatch): in one
// transaction, lock the log's size, read up to 1,000 unsequenced entries in order, give them
// their leaf indexes and hashes (one statement) and store their leaves and as many interior
// nodes (one statement), write the new size and the signed checkpoint. A pass starts at most
// every 25 ms, the server's pace under load. Returns once `clients_done` is set and no entry
// is left unsequenced.
void RunSequencer(const std::string& url, const std::string& tenant,
                  const std::atomic<bool>& clients_done) {
  PGconn* c = Connect(url);
  Exec(c, "SET synchronous_commit = on");
  Prepare(c, "size", "SELECT size FROM audit_log_state WHERE tenant_id = $1 FOR UPDATE");
  Prepare(c, "pending",
          "SELECT * FROM audit_entries WHERE tenant_id = $1 AND leaf_index IS NULL "
          "ORDER BY created_at, id LIMIT 1000");
  Prepare(c, "leaves",
          "UPDATE audit_entries a SET leaf_index = x.leaf_index, "
          "leaf_hash = decode(x.leaf_hash, 'hex') FROM json_to_recordset($2::json) "
          "AS x(id text, leaf_index bigint, leaf_hash text) "
          "WHERE a.tenant_id = $1 AND a.id = x.id");
  Prepare(c, "nodes",
          "INSERT INTO audit_tree_nodes (tenant_id, level, idx, hash) "
          "SELECT $1, x.level, x.idx, decode(x.hash, 'hex') "
          "FROM json_to_recordset($2::json) AS x(level integer, idx bigint, hash text) "
          "ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hash = EXCLUDED.hash");
  Prepare(c, "set_size", "UPDATE audit_log_state SET size = $2 WHERE tenant_id = $1");
  Prepare(c, "checkpoint",
          "WITH signed AS (UPDATE audit_log_state SET signed_size = GREATEST(signed_size, $2) "
          "WHERE tenant_id = $1) INSERT INTO audit_checkpoints (tenant_id, tree_size, "
          "created_at, root_hash, key_id, signature) VALUES ($1, $2, $3, $4, 'key_bench', $5) "
          "ON CONFLICT DO NOTHING");
  const std::string hash(64, 'a'), signature = "\\x" + std::string(128, 'b');
  for (;;) {
    const auto pass = Clock::now();
    const bool last = clients_done.load();
    Exec(c, "BEGIN");
    PGresult* r = Prepared(c, "size", {tenant});
    std::int64_t size = std::stoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    r = Prepared(c, "pending", {tenant});
    const int id_column = PQfnumber(r, "id");
    const int n = PQntuples(r);
    std::string leaves = "[", nodes = "[";
    for (int i = 0; i < n; ++i, ++size) {
      const std::string index = std::to_string(size), sep = i ? "," : "";
      leaves += sep + "{\"id\":\"" + PQgetvalue(r, i, id_column) + "\",\"leaf_index\":" + index +
                ",\"leaf_hash\":\"" + hash + "\"}";
      nodes += sep + "{\"level\":0,\"idx\":" + index + ",\"hash\":\"" + hash + "\"}," +
               "{\"level\":1,\"idx\":" + index + ",\"hash\":\"" + hash + "\"}";
    }
    PQclear(r);
    if (n > 0) {
      const std::string at = std::to_string(
          std::chrono::duration_cast<std::chrono::microseconds>(pass.time_since_epoch()).count());
      PQclear(Prepared(c, "leaves", {tenant, leaves + "]"}));
      PQclear(Prepared(c, "nodes", {tenant, nodes + "]"}));
      PQclear(Prepared(c, "set_size", {tenant, std::to_string(size)}));
      PQclear(Prepared(c, "checkpoint", {tenant, std::to_string(size), at, kHashHex, signature}));
    }
    Exec(c, "COMMIT");
    if (last && n == 0) break;
    std::this_thread::sleep_until(pass + std::chrono::milliseconds(25));
  }
  PQfinish(c);
}

// Operations per PostgreSQL transaction: RAW_PG_OPS_PER_TX, 1 when unset.
int OpsPerTransaction() {
  const char* v = std::getenv("RAW_PG_OPS_PER_TX");
  return v != nullptr && std::atoi(v) > 1 ? std::atoi(v) : 1;
}

// The shape's operations on 8 clients for `seconds` (and the sequencer until it has caught
// up); `seq` numbers the operations across runs.
Result RunClients(const std::string& url, const Shape& shape, int seconds, std::atomic<long>& seq) {
  std::mutex mu;
  Result total;
  auto start = Clock::now(), stop = start + std::chrono::seconds(seconds);
  std::atomic<bool> clients_done{false};
  std::thread sequencer;
  if (shape.sequencer) {
    const Values& values = shape.short_values ? ShortValues() : ServerValues();
    sequencer = std::thread(RunSequencer, url, Fill("{TENANT}", values), std::cref(clients_done));
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      IdMaker ids(shape.short_values);
      PGconn* c = Connect(url);
      Exec(c, "SET synchronous_commit = on");
      // Parameter types, so that statements naming only some of them still prepare.
      const Oid types[7] = {25 /*text*/, 20 /*int8*/, 20 /*int8*/, 17 /*bytea*/, 25, 25, 25};
      for (size_t i = 0; i < shape.statements.size(); ++i) {
        PGresult* r =
            PQprepare(c, ("s" + std::to_string(i)).c_str(), shape.statements[i].c_str(), 7, types);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
          std::cerr << "prepare " << i << ": " << PQerrorMessage(c);
          std::exit(1);
        }
        PQclear(r);
      }
      std::vector<double> lat;
      const int per_tx = OpsPerTransaction();
      while (Clock::now() < stop) {
        auto t0 = Clock::now();
        Exec(c, "BEGIN");
        for (int k = 0; k < per_tx; ++k) {
          long op = seq++;
          const OpIds v = ids.For(op);
          std::string at = std::to_string(v.at), leaf = std::to_string(op * shape.leaves);
          const char* params[7] = {v.op.c_str(),     at.c_str(),        leaf.c_str(),
                                   kHashHex.c_str(), v.account.c_str(), v.service.c_str(),
                                   v.event.c_str()};
          if (per_tx > 1) Exec(c, "SAVEPOINT one");
          for (size_t i = 0; i < shape.statements.size(); ++i) {
            if (shape.second_request != 0 && i == shape.second_request) {
              Exec(c, "COMMIT");
              Exec(c, "BEGIN");
            }
            PGresult* r = PQexecPrepared(c, ("s" + std::to_string(i)).c_str(), 7, params, nullptr,
                                         nullptr, 0);
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
              std::cerr << "statement " << i << ": " << PQerrorMessage(c);
              std::exit(1);
            }
            PQclear(r);
          }
          if (per_tx > 1) Exec(c, "RELEASE SAVEPOINT one");
        }
        Exec(c, "COMMIT");
        for (int k = 0; k < per_tx; ++k)
          lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      PQfinish(c);
      std::lock_guard lock(mu);
      total.ops += static_cast<long>(lat.size());
      total.latencies_ms.insert(total.latencies_ms.end(), lat.begin(), lat.end());
    });
  }
  for (auto& t : threads) t.join();
  // An operation counts once its entries are in the log: the run ends when the sequencer has
  // caught up.
  clients_done = true;
  if (sequencer.joinable()) sequencer.join();
  total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return total;
}

int RunPostgres(const std::string& url, const Shape& shape, int seconds) {
  PGconn* setup = Connect(url);
  for (const auto& m : sb::storage::Migrations("postgres")) Exec(setup, std::string(m.sql));
  for (const auto& s : Seed(shape)) Exec(setup, s);
  // Measured on tables with statistics, as in a database in service: a warm-up, then ANALYZE
  // (bench/run.sh does the same for the server; docs/PERFORMANCE.md, "Plans made on empty
  // tables").
  std::atomic<long> seq{0};
  RunClients(url, shape, kWarmUpSeconds, seq);
  Exec(setup, "ANALYZE");
  PQfinish(setup);
  Result total = RunClients(url, shape, seconds, seq);
  const std::string per_tx =
      OpsPerTransaction() == 1
          ? "one transaction per operation"
          : std::to_string(OpsPerTransaction()) + " operations per transaction, a savepoint each";
  Print("postgres", shape,
        (per_tx + (shape.sequencer ? ", 8 clients, synchronous_commit=on, entries sequenced in "
                                     "batches by a ninth connection"
                                   : ", 8 clients, synchronous_commit=on"))
            .c_str(),
        total);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 || !FindShape(argv[2])) {
    std::cerr << "usage: raw_limit sqlite|postgres "
                 "holds|holds+log|holds+seq|payments|payments+seq[/short] PATH|URL SECONDS\n";
    return 2;
  }
  std::string backend = argv[1];
  const Shape& shape = *FindShape(argv[2]);
  int seconds = std::stoi(argv[4]);
  if (backend == "sqlite") return RunSqlite(argv[3], shape, seconds);
  if (backend == "postgres") return RunPostgres(argv[3], shape, seconds);
  std::cerr << "unknown backend " << backend << "\n";
  return 2;
}
