// The raw limit the HTTP figures are judged against: the same rows the server writes for one
// operation (see Shapes()), written straight through the database library with the same
// durability.
//   SQLite:     WAL, synchronous=FULL, batches of 100 operations per transaction, 1 writer.
//   PostgreSQL: synchronous_commit=on, one transaction per operation, 8 client threads.
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
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "crypto/crypto.h"
#include "letters.h"
#include "storage/migrations.h"

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
#define SB_AUDIT_INSERT(suffix, category, action, actor, subject_type, subject_id, before, after)  \
  "INSERT INTO audit_entries (tenant_id, id, category, action, actor_type, actor_id, "             \
  "actor_role, channel, reason_code, comment, request_id, correlation_id, subject_type, "          \
  "subject_id, account_id, before_json, after_json, created_at, leaf_index, leaf_hash) "           \
  "VALUES ('{TENANT}', $1 || '" suffix "', '" category "', '" action "', " actor ", " subject_type \
  ", " subject_id ", $5, '" before "', '" after "', $2, NULL, '')"
#define SB_REQUEST_INSERT(suffix, type, origin, actor, payload, result)                            \
  "INSERT INTO requests (tenant_id, id, account_id, service_id, type, origin, channel, "           \
  "state, priority, actor_type, actor_id, actor_role, reason_code, comment, correlation_id, "      \
  "idempotency_key, policy_version, payload_json, checks_json, result_json, history_json, "        \
  "created_at, updated_at, completed_at) VALUES ('{TENANT}', $1 || '" suffix "', $5, NULL, '" type \
  "', '" origin "', " actor ", '', '2026.1', '" payload "', '[]', '" result                        \
  "', '{HISTORY}', $2, $2, $2)"
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
// The audit log sequencer's rows for the k-th audit entry of an operation: its leaf index
// and hash, the leaf and (on average) one interior node of the Merkle tree.
#define SB_SEQUENCE(suffix, k)                                                                  \
  "UPDATE audit_entries SET leaf_index = $3 + " k                                               \
  ", leaf_hash = $4 "                                                                           \
  "WHERE tenant_id = '{TENANT}' AND id = $1 || '" suffix "'",                                   \
      "INSERT INTO audit_tree_nodes (tenant_id, level, idx, hash) VALUES ('{TENANT}', 0, "      \
      "$3 + " k ", $4) ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hash = excluded.hash", \
      "INSERT INTO audit_tree_nodes (tenant_id, level, idx, hash) VALUES ('{TENANT}', 1, "      \
      "$3 + " k ", $4) ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hash = excluded.hash"
#define SB_LOG_SIZE(n)                        \
  "UPDATE audit_log_state SET size = $3 + " n \
  " WHERE tenant_id = '{TENANT}' AND "        \
  "$1 <> ''"

// What one "place hold" call writes (a "lift hold" writes the same number of rows): a
// request, the hold, three audit entries, the service and the account.
#define SB_PLACE_HOLD                                                                              \
  SB_REQUEST_INSERT("", "suspension", "involuntary", SB_API_REQUEST_ACTOR, "{HOLD_ACTIVE}",        \
                    "{SUSPENDED_RESULT}"),                                                         \
      "INSERT INTO holds (tenant_id, id, account_id, service_id, type, blocks_service, "           \
      "blocks_billing, blocks_changes, source, owner, reason_code, comment, state, "               \
      "placed_at, expires_at, released_at, released_reason_code, placed_by_request_id, "           \
      "released_by_request_id) VALUES ('{TENANT}', $1, $5, NULL, 'non_payment', TRUE, FALSE, "     \
      "FALSE, 'agent', '', 'non_payment', '', 'active', $2, NULL, NULL, '', $1, '')",              \
      SB_AUDIT_INSERT("a", "account_status", "hold.placed", SB_API_AUDIT_ACTOR, "'hold'", "$1",    \
                      "{}", "{HOLD_ACTIVE}"),                                                      \
      "UPDATE services SET status = 'suspended', version = version + 1, updated_at = $2 "          \
      "WHERE tenant_id = '{TENANT}' AND id = $6 AND $1 <> ''",                                     \
      SB_AUDIT_INSERT("b", "subscription", "service.suspended", SB_API_AUDIT_ACTOR, "'service'",   \
                      "$6", "{\"status\":\"active\"}", "{\"status\":\"suspended\"}"),              \
      SB_AUDIT_INSERT("c", "account_status", "account.suspended", SB_API_AUDIT_ACTOR, "'account'", \
                      "$5", "{\"status\":\"active\"}", "{\"status\":\"suspended\"}"),              \
      "UPDATE accounts SET status = 'suspended', version = version + 1, updated_at = $2 "          \
      "WHERE tenant_id = '{TENANT}' AND id = $5 AND $1 <> ''"

// What a payment.received event that reconnects writes: the event, a billing adjustment
// request with its payment audit entry and the account's new balance, then the automated
// reconnection: its request, the lifted hold, three audit entries, service and account.
#define SB_PAYMENT_EVENT                                                                           \
  "INSERT INTO inbound_events (tenant_id, event_id, type, received_at, request_id, outcome) "      \
  "VALUES ('{TENANT}', $7, 'payment.received', $2, $1 || 'p', 'reconnected')",                     \
      SB_REQUEST_INSERT("p", "billing_adjustment", "automated", SB_EVENT_REQUEST_ACTOR,            \
                        "{PAYMENT_PAYLOAD}", "{PAYMENT_AFTER}"),                                   \
      SB_AUDIT_INSERT("d", "payment", "payment.received", SB_EVENT_AUDIT_ACTOR, "'account'", "$5", \
                      "{\"amount_due_minor\":0}", "{PAYMENT_AFTER}"),                              \
      "UPDATE accounts SET amount_due_minor = 0, last_payment_at = $2, version = version + "       \
      "1, updated_at = $2 WHERE tenant_id = '{TENANT}' AND id = $5 AND $1 <> ''",                  \
      SB_REQUEST_INSERT("r", "reconnection", "automated", SB_EVENT_REQUEST_ACTOR, "{HOLD_REF}",    \
                        "{ACTIVE_RESULT}"),                                                        \
      "UPDATE holds SET state = 'lifted', released_at = $2, released_reason_code = "               \
      "'payment_received', released_by_request_id = $1 || 'r' WHERE tenant_id = '{TENANT}' "       \
      "AND id = $1",                                                                               \
      SB_AUDIT_INSERT("e", "account_status", "hold.lifted", SB_EVENT_AUDIT_ACTOR, "'hold'", "$1",  \
                      "{HOLD_ACTIVE}", "{HOLD_LIFTED}"),                                           \
      "UPDATE services SET status = 'active', version = version + 1, updated_at = $2 "             \
      "WHERE tenant_id = '{TENANT}' AND id = $6 AND $1 <> ''",                                     \
      SB_AUDIT_INSERT("f", "subscription", "service.reconnected", SB_EVENT_AUDIT_ACTOR,            \
                      "'service'", "$6", "{\"status\":\"suspended\"}", "{\"status\":\"active\"}"), \
      SB_AUDIT_INSERT("g", "account_status", "account.active", SB_EVENT_AUDIT_ACTOR, "'account'",  \
                      "$5", "{\"status\":\"suspended\"}", "{\"status\":\"active\"}"),              \
      "UPDATE accounts SET status = 'active', version = version + 1, updated_at = $2 "             \
      "WHERE tenant_id = '{TENANT}' AND id = $5 AND $1 <> ''"

struct Shape {
  std::string name;
  std::vector<std::string> statements;  // one operation, values filled in
  int leaves;                           // audit entries per operation ($3 advances by this)
  // PostgreSQL: where the operation's second request, and so its second transaction,
  // starts (0: one request). The server runs one transaction per request.
  size_t second_request = 0;
  bool short_values = false;  // the short ids and JSON of earlier reports
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
      {"{HOLD_ACTIVE}",
       R"({"hold_id":"hld_01m8rkrt8230vv689g9xt6ksn1","type":"non_payment","state":"active",)"
       R"("blocks_service":true,"blocks_billing":false,"blocks_changes":false})"},
      {"{HOLD_LIFTED}",
       R"({"hold_id":"hld_01m8rkrt8230vv689g9xt6ksn1","type":"non_payment","state":"lifted",)"
       R"("blocks_service":true,"blocks_billing":false,"blocks_changes":false})"},
      {"{HOLD_REF}", R"({"hold_id":"hld_01m8rkrt8230vv689g9xt6ksn1"})"},
      {"{SUSPENDED_RESULT}",
       R"({"account_status":"suspended","services":{"svc_01m8rkrst5xdnjgsdvx9jp92pt":"suspended"}})"},
      {"{ACTIVE_RESULT}",
       R"({"account_status":"active","services":{"svc_01m8rkrt7yy1sw2xebv37w6s7z":"active"}})"},
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
      {"{HOLD_ACTIVE}", R"({"type":"non_payment","state":"active"})"},
      {"{HOLD_LIFTED}", R"({"state":"lifted"})"},
      {"{HOLD_REF}", R"({"hold_id":"hld"})"},
      {"{SUSPENDED_RESULT}",
       R"({"account_status":"suspended","services":{"svc_bench":"suspended"}})"},
      {"{ACTIVE_RESULT}", R"({"account_status":"active"})"},
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
                size_t second_request, bool short_values) {
  Shape shape{std::move(name), {}, leaves, second_request, short_values};
  const Values& values = short_values ? ShortValues() : ServerValues();
  for (const char* s : statements) shape.statements.push_back(Fill(s, values));
  return shape;
}

// holds:    one place-hold call, the rows of the change only (the figure earlier reports
//           were judged against);
// holds+log: the same with the audit log's sequencing rows, i.e. every row the server
//           writes for the call;
// payments: one cycle of the payments workload (place a hold, then the payment event that
//           reconnects), with the sequencing rows of its seven audit entries: two requests,
//           so two transactions on PostgreSQL.
// Each with the server's values, and with "/short" the short values of earlier reports.
const std::vector<Shape>& Shapes() {
  static const std::vector<Shape> shapes = [] {
    const std::vector<const char*> holds = {SB_PLACE_HOLD};
    const std::vector<const char*> holds_log = {SB_PLACE_HOLD, SB_SEQUENCE("a", "0"),
                                                SB_SEQUENCE("b", "1"), SB_SEQUENCE("c", "2"),
                                                SB_LOG_SIZE("3")};
    const std::vector<const char*> payments = {
        SB_PLACE_HOLD,         SB_SEQUENCE("a", "0"), SB_SEQUENCE("b", "1"), SB_SEQUENCE("c", "2"),
        SB_PAYMENT_EVENT,      SB_SEQUENCE("d", "3"), SB_SEQUENCE("e", "4"), SB_SEQUENCE("f", "5"),
        SB_SEQUENCE("g", "6"), SB_LOG_SIZE("7")};
    const size_t payment_starts = 7 + 3 * 3;
    std::vector<Shape> out;
    for (bool short_values : {false, true}) {
      const std::string suffix = short_values ? "/short" : "";
      out.push_back(MakeShape("holds" + suffix, holds, 3, 0, short_values));
      out.push_back(MakeShape("holds+log" + suffix, holds_log, 3, 0, short_values));
      out.push_back(MakeShape("payments" + suffix, payments, 7, payment_starts, short_values));
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
  // The library configured as the server configures it (storage/sqlite/sqlite_conn.cc).
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  for (const char* p :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    Check(sqlite3_exec(db, p, nullptr, nullptr, nullptr), db, p);
  }
  for (const auto& m : sb::storage::Migrations("sqlite")) {
    Check(sqlite3_exec(db, std::string(m.sql).c_str(), nullptr, nullptr, nullptr), db, "schema");
  }
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
  sqlite3_close(db);
  Print("sqlite", shape, "batches of 100, synchronous=FULL", r);
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

int RunPostgres(const std::string& url, const Shape& shape, int seconds) {
  PGconn* setup = Connect(url);
  for (const auto& m : sb::storage::Migrations("postgres")) Exec(setup, std::string(m.sql));
  for (const auto& s : Seed(shape)) Exec(setup, s);
  PQfinish(setup);
  std::atomic<long> seq{0};
  std::mutex mu;
  Result total;
  auto start = Clock::now(), stop = start + std::chrono::seconds(seconds);
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
      while (Clock::now() < stop) {
        long op = seq++;
        const OpIds v = ids.For(op);
        std::string at = std::to_string(v.at), leaf = std::to_string(op * shape.leaves);
        const char* params[7] = {v.op.c_str(),     at.c_str(),        leaf.c_str(),
                                 kHashHex.c_str(), v.account.c_str(), v.service.c_str(),
                                 v.event.c_str()};
        auto t0 = Clock::now();
        Exec(c, "BEGIN");
        for (size_t i = 0; i < shape.statements.size(); ++i) {
          if (shape.second_request != 0 && i == shape.second_request) {
            Exec(c, "COMMIT");
            Exec(c, "BEGIN");
          }
          PGresult* r =
              PQexecPrepared(c, ("s" + std::to_string(i)).c_str(), 7, params, nullptr, nullptr, 0);
          if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            std::cerr << "statement " << i << ": " << PQerrorMessage(c);
            std::exit(1);
          }
          PQclear(r);
        }
        Exec(c, "COMMIT");
        lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      PQfinish(c);
      std::lock_guard lock(mu);
      total.ops += static_cast<long>(lat.size());
      total.latencies_ms.insert(total.latencies_ms.end(), lat.begin(), lat.end());
    });
  }
  for (auto& t : threads) t.join();
  total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  Print("postgres", shape, "one transaction per operation, 8 clients, synchronous_commit=on",
        total);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 || !FindShape(argv[2])) {
    std::cerr << "usage: raw_limit sqlite|postgres holds|holds+log|payments[/short] PATH|URL "
                 "SECONDS\n";
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
