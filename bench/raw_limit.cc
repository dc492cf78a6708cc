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
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/migrations.h"

using Clock = std::chrono::steady_clock;

namespace {

// Parameters of every statement: $1 the operation's id, $2 its counter (the timestamp
// columns), $3 the first leaf index the operation's audit entries take, $4 a 32-byte hash,
// $5 and $6 the account and service it works on. Rewritten to ?n for SQLite. Operations
// take the accounts in turn, one per connection of the HTTP load, so that the raw loop
// touches the same spread of index pages the server does.
#define SB_AUDIT_INSERT(suffix, category, action, subject_type, subject_id, before, after)      \
  "INSERT INTO audit_entries (tenant_id, id, category, action, actor_type, actor_id, "          \
  "actor_role, channel, reason_code, comment, request_id, correlation_id, subject_type, "       \
  "subject_id, account_id, before_json, after_json, created_at, leaf_index, leaf_hash) VALUES " \
  "('ten_bench', $1 || '" suffix "', '" category "', '" action                                  \
  "', 'api_key', 'key_bench', "                                                                 \
  "'admin', 'api', 'non_payment', '', $1, 'corr', '" subject_type "', " subject_id              \
  ", $5, '" before "', '" after "', $2, NULL, '')"
#define SB_REQUEST_INSERT(suffix, type, origin, payload, result)                                 \
  "INSERT INTO requests (tenant_id, id, account_id, service_id, type, origin, channel, state, "  \
  "priority, actor_type, actor_id, actor_role, reason_code, comment, correlation_id, "           \
  "idempotency_key, policy_version, payload_json, checks_json, result_json, history_json, "      \
  "created_at, updated_at, completed_at) VALUES ('ten_bench', $1 || '" suffix                    \
  "', $5, NULL, '" type "', '" origin                                                            \
  "', 'api', 'completed', 'normal', 'api_key', "                                                 \
  "'key_bench', 'admin', 'non_payment', '', 'corr', '', '2026.1', '" payload "', '[]', '" result \
  "', '[{\"state\":\"received\",\"at\":1},{\"state\":\"completed\",\"at\":1}]', $2, "            \
  "$2, $2)"
// The audit log sequencer's rows for the k-th audit entry of an operation: its leaf index
// and hash, the leaf and (on average) one interior node of the Merkle tree.
#define SB_SEQUENCE(suffix, k)                                                                  \
  "UPDATE audit_entries SET leaf_index = $3 + " k                                               \
  ", leaf_hash = $4 "                                                                           \
  "WHERE tenant_id = 'ten_bench' AND id = $1 || '" suffix "'",                                  \
      "INSERT INTO audit_tree_nodes (tenant_id, level, idx, hash) VALUES ('ten_bench', 0, "     \
      "$3 + " k ", $4) ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hash = excluded.hash", \
      "INSERT INTO audit_tree_nodes (tenant_id, level, idx, hash) VALUES ('ten_bench', 1, "     \
      "$3 + " k ", $4) ON CONFLICT (tenant_id, level, idx) DO UPDATE SET hash = excluded.hash"
#define SB_LOG_SIZE(n)                        \
  "UPDATE audit_log_state SET size = $3 + " n \
  " WHERE tenant_id = 'ten_bench' AND "       \
  "$1 <> ''"

// What one "place hold" call writes (a "lift hold" writes the same number of rows): a
// request, the hold, three audit entries, the service and the account.
#define SB_PLACE_HOLD                                                                           \
  SB_REQUEST_INSERT(                                                                            \
      "", "suspension", "involuntary", "{\"hold_id\":\"hld\",\"type\":\"non_payment\"}",        \
      "{\"account_status\":\"suspended\",\"services\":{\"svc_bench\":\"suspended\"}}"),         \
      "INSERT INTO holds (tenant_id, id, account_id, service_id, type, blocks_service, "        \
      "blocks_billing, blocks_changes, source, owner, reason_code, comment, state, placed_at, " \
      "expires_at, released_at, released_reason_code, placed_by_request_id, "                   \
      "released_by_request_id) VALUES ('ten_bench', $1, $5, NULL, 'non_payment', "              \
      "TRUE, FALSE, FALSE, 'agent', '', 'non_payment', '', 'active', $2, NULL, NULL, '', $1, "  \
      "'')",                                                                                    \
      SB_AUDIT_INSERT("a", "account_status", "hold.placed", "hold", "$1", "{}",                 \
                      "{\"type\":\"non_payment\",\"state\":\"active\"}"),                       \
      "UPDATE services SET status = 'suspended', version = version + 1, updated_at = $2 "       \
      "WHERE tenant_id = 'ten_bench' AND id = $6 AND $1 <> ''",                                 \
      SB_AUDIT_INSERT("b", "subscription", "service.suspended", "service", "$6",                \
                      "{\"status\":\"active\"}", "{\"status\":\"suspended\"}"),                 \
      SB_AUDIT_INSERT("c", "account_status", "account.suspended", "account", "$5",              \
                      "{\"status\":\"active\"}", "{\"status\":\"suspended\"}"),                 \
      "UPDATE accounts SET status = 'suspended', version = version + 1, updated_at = $2 "       \
      "WHERE tenant_id = 'ten_bench' AND id = $5 AND $1 <> ''"

// What a payment.received event that reconnects writes: the event, a billing adjustment
// request with its payment audit entry and the account's new balance, then the automated
// reconnection: its request, the lifted hold, three audit entries, service and account.
#define SB_PAYMENT_EVENT                                                                        \
  "INSERT INTO inbound_events (tenant_id, event_id, type, received_at, request_id, outcome) "   \
  "VALUES ('ten_bench', $1, 'payment.received', $2, $1 || 'p', 'reconnected')",                 \
      SB_REQUEST_INSERT("p", "billing_adjustment", "automated",                                 \
                        "{\"event_id\":\"evt\",\"amount_minor\":100,\"currency\":\"EUR\"}",     \
                        "{\"amount_due_minor\":0}"),                                            \
      SB_AUDIT_INSERT("d", "payment", "payment.received", "account", "$5",                      \
                      "{\"amount_due_minor\":0}", "{\"amount_due_minor\":0}"),                  \
      "UPDATE accounts SET amount_due_minor = 0, last_payment_at = $2, version = version + 1, " \
      "updated_at = $2 WHERE tenant_id = 'ten_bench' AND id = $5 AND $1 <> ''",                 \
      SB_REQUEST_INSERT("r", "reconnection", "automated", "{\"hold_id\":\"hld\"}",              \
                        "{\"account_status\":\"active\"}"),                                     \
      "UPDATE holds SET state = 'lifted', released_at = $2, released_reason_code = "            \
      "'payment_received', released_by_request_id = $1 || 'r' WHERE tenant_id = 'ten_bench' "   \
      "AND id = $1",                                                                            \
      SB_AUDIT_INSERT("e", "account_status", "hold.lifted", "hold", "$1",                       \
                      "{\"state\":\"active\"}", "{\"state\":\"lifted\"}"),                      \
      "UPDATE services SET status = 'active', version = version + 1, updated_at = $2 "          \
      "WHERE tenant_id = 'ten_bench' AND id = $6 AND $1 <> ''",                                 \
      SB_AUDIT_INSERT("f", "subscription", "service.reconnected", "service", "$6",              \
                      "{\"status\":\"suspended\"}", "{\"status\":\"active\"}"),                 \
      SB_AUDIT_INSERT("g", "account_status", "account.active", "account", "$5",                 \
                      "{\"status\":\"suspended\"}", "{\"status\":\"active\"}"),                 \
      "UPDATE accounts SET status = 'active', version = version + 1, updated_at = $2 "          \
      "WHERE tenant_id = 'ten_bench' AND id = $5 AND $1 <> ''"

struct Shape {
  const char* name;
  std::vector<const char*> statements;  // one operation
  int leaves;                           // audit entries per operation ($3 advances by this)
  // PostgreSQL: where the operation's second request, and so its second transaction,
  // starts (0: one request). The server runs one transaction per request.
  size_t second_request = 0;
};

// holds:    one place-hold call, the rows of the change only (the figure earlier reports
//           were judged against);
// holds+log: the same with the audit log's sequencing rows, i.e. every row the server
//           writes for the call;
// payments: one cycle of the payments workload (place a hold, then the payment event that
//           reconnects), with the sequencing rows of its seven audit entries: two requests,
//           so two transactions on PostgreSQL.
const std::vector<Shape>& Shapes() {
  static const std::vector<Shape> shapes = {
      {"holds", {SB_PLACE_HOLD}, 3},
      {"holds+log",
       {SB_PLACE_HOLD, SB_SEQUENCE("a", "0"), SB_SEQUENCE("b", "1"), SB_SEQUENCE("c", "2"),
        SB_LOG_SIZE("3")},
       3},
      {"payments",
       {SB_PLACE_HOLD, SB_SEQUENCE("a", "0"), SB_SEQUENCE("b", "1"), SB_SEQUENCE("c", "2"),
        SB_PAYMENT_EVENT, SB_SEQUENCE("d", "3"), SB_SEQUENCE("e", "4"), SB_SEQUENCE("f", "5"),
        SB_SEQUENCE("g", "6"), SB_LOG_SIZE("7")},
       7,
       /*second_request=*/7 + 3 * 3},
  };
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

std::string AccountId(long k) { return "acc_bench_" + std::to_string(k % kAccounts); }
std::string ServiceId(long k) { return "svc_bench_" + std::to_string(k % kAccounts); }

std::vector<std::string> Seed() {
  std::vector<std::string> out = {
      "INSERT INTO tenants (id, name, created_at) VALUES ('ten_bench', 'Bench', 0)",
      "INSERT INTO audit_log_state (tenant_id, size) VALUES ('ten_bench', 0)"};
  for (int k = 0; k < kAccounts; ++k) {
    std::string a = AccountId(k), s = ServiceId(k);
    out.push_back(
        "INSERT INTO accounts (tenant_id, id, external_ref, profile_sealed, lifecycle, status, "
        "amount_due_minor, currency, last_payment_at, kyc_level, version, created_at, "
        "updated_at) VALUES ('ten_bench', '" +
        a + "', 'BENCH-" + a + "', '', 'active', 'active', 0, 'EUR', NULL, 2, 1, 0, 0)");
    out.push_back(
        "INSERT INTO services (tenant_id, id, account_id, plan_code, status, version, "
        "created_at, updated_at, terminated_at) VALUES ('ten_bench', '" +
        s + "', '" + a + "', 'mobile_basic', 'active', 1, 0, 0, NULL)");
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
      backend, shape.name, how, shape.statements.size(), r.ops, r.ops / r.seconds,
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
  for (const auto& s : Seed())
    Check(sqlite3_exec(db, s.c_str(), nullptr, nullptr, nullptr), db, "seed");
  std::vector<sqlite3_stmt*> stmts;
  for (const char* s : shape.statements) {
    sqlite3_stmt* st = nullptr;
    Check(sqlite3_prepare_v2(db, ForSqlite(s).c_str(), -1, &st, nullptr), db, s);
    stmts.push_back(st);
  }
  Result r;
  auto start = Clock::now(), stop = start + std::chrono::seconds(seconds);
  while (Clock::now() < stop) {
    auto t0 = Clock::now();
    Check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    for (int i = 0; i < 100; ++i, ++r.ops) {
      std::string id = "op_" + std::to_string(r.ops);
      std::string account = AccountId(r.ops), service = ServiceId(r.ops);
      for (sqlite3_stmt* st : stmts) {
        // A statement that does not name a parameter refuses its binding (SQLITE_RANGE),
        // which is harmless here.
        sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, r.ops);
        sqlite3_bind_int64(st, 3, r.ops * shape.leaves);
        sqlite3_bind_blob(st, 4, kHash.data(), 32, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, account.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, service.c_str(), -1, SQLITE_TRANSIENT);
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
  for (const auto& s : Seed()) Exec(setup, s);
  PQfinish(setup);
  std::atomic<long> seq{0};
  std::mutex mu;
  Result total;
  auto start = Clock::now(), stop = start + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      PGconn* c = Connect(url);
      Exec(c, "SET synchronous_commit = on");
      // Parameter types, so that statements naming only some of them still prepare.
      const Oid types[6] = {25 /*text*/, 20 /*int8*/, 20 /*int8*/, 17 /*bytea*/, 25, 25};
      for (size_t i = 0; i < shape.statements.size(); ++i) {
        PGresult* r =
            PQprepare(c, ("s" + std::to_string(i)).c_str(), shape.statements[i], 6, types);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
          std::cerr << "prepare " << i << ": " << PQerrorMessage(c);
          std::exit(1);
        }
        PQclear(r);
      }
      std::vector<double> lat;
      while (Clock::now() < stop) {
        long op = seq++;
        std::string id = "op_" + std::to_string(op), at = std::to_string(op),
                    leaf = std::to_string(op * shape.leaves);
        std::string account = AccountId(op), service = ServiceId(op);
        const char* params[6] = {id.c_str(),       at.c_str(),      leaf.c_str(),
                                 kHashHex.c_str(), account.c_str(), service.c_str()};
        auto t0 = Clock::now();
        Exec(c, "BEGIN");
        for (size_t i = 0; i < shape.statements.size(); ++i) {
          if (shape.second_request != 0 && i == shape.second_request) {
            Exec(c, "COMMIT");
            Exec(c, "BEGIN");
          }
          PGresult* r =
              PQexecPrepared(c, ("s" + std::to_string(i)).c_str(), 6, params, nullptr, nullptr, 0);
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
    std::cerr << "usage: raw_limit sqlite|postgres holds|holds+log|payments PATH|URL SECONDS\n";
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
