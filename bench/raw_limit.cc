// The raw limit the HTTP figures are judged against: the same rows a "place hold" or
// "lift hold" writes (a request, the hold, three audit entries, the service and the account),
// written straight through the database library with the same durability.
//   SQLite:     WAL, synchronous=FULL, batches of 100 operations per transaction, 1 writer.
//   PostgreSQL: synchronous_commit=on, one transaction per operation, 8 client threads.
// Prints one JSON line per backend: operations/s and per-operation latency percentiles.
//
//   raw_limit sqlite /tmp/raw.db 30
//   raw_limit postgres postgresql://postgres@127.0.0.1:5432/raw 30

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

// The rows of one operation, as SQL with $n placeholders (rewritten to ?n for SQLite).
const char* kStatements[] = {
    "INSERT INTO requests (tenant_id, id, account_id, service_id, type, origin, channel, state, "
    "priority, actor_type, actor_id, actor_role, reason_code, comment, correlation_id, "
    "idempotency_key, policy_version, payload_json, checks_json, result_json, history_json, "
    "created_at, updated_at, completed_at) VALUES ('ten_bench', $1, 'acc_bench', NULL, "
    "'suspension', 'involuntary', 'api', 'completed', 'normal', 'api_key', 'key_bench', 'admin', "
    "'non_payment', '', 'corr', '', '', '{\"hold_id\":\"hld\",\"type\":\"non_payment\"}', '[]', "
    "'{\"account_status\":\"suspended\",\"services\":{\"svc_bench\":\"suspended\"}}', "
    "'[{\"state\":\"received\",\"at\":1},{\"state\":\"completed\",\"at\":1}]', $2, $2, $2)",
    "INSERT INTO holds (tenant_id, id, account_id, service_id, type, blocks_service, "
    "blocks_billing, blocks_changes, source, owner, reason_code, comment, state, placed_at, "
    "expires_at, released_at, released_reason_code, placed_by_request_id, "
    "released_by_request_id) VALUES ('ten_bench', $1, 'acc_bench', NULL, 'non_payment', TRUE, "
    "FALSE, FALSE, "
    "'agent', '', 'non_payment', '', 'active', $2, NULL, NULL, '', $1, '')",
    "INSERT INTO audit_entries (tenant_id, id, category, action, actor_type, actor_id, actor_role, "
    "channel, reason_code, comment, request_id, correlation_id, subject_type, subject_id, "
    "account_id, before_json, after_json, created_at, leaf_index, leaf_hash) VALUES ("
    "'ten_bench', $1 || 'a', 'account_status', 'hold.placed', 'api_key', 'key_bench', 'admin', "
    "'api', 'non_payment', '', $1, 'corr', 'hold', $1, 'acc_bench', '{}', "
    "'{\"type\":\"non_payment\",\"state\":\"active\"}', $2, NULL, '')",
    "UPDATE services SET status = 'suspended', version = version + 1, updated_at = $2 "
    "WHERE tenant_id = 'ten_bench' AND id = 'svc_bench' AND $1 <> ''",
    "INSERT INTO audit_entries (tenant_id, id, category, action, actor_type, actor_id, actor_role, "
    "channel, reason_code, comment, request_id, correlation_id, subject_type, subject_id, "
    "account_id, before_json, after_json, created_at, leaf_index, leaf_hash) VALUES ("
    "'ten_bench', $1 || 'b', 'subscription', 'service.suspended', 'api_key', 'key_bench', "
    "'admin', 'api', 'non_payment', '', $1, 'corr', 'service', 'svc_bench', 'acc_bench', "
    "'{\"status\":\"active\"}', '{\"status\":\"suspended\"}', $2, NULL, '')",
    "INSERT INTO audit_entries (tenant_id, id, category, action, actor_type, actor_id, actor_role, "
    "channel, reason_code, comment, request_id, correlation_id, subject_type, subject_id, "
    "account_id, before_json, after_json, created_at, leaf_index, leaf_hash) VALUES ("
    "'ten_bench', $1 || 'c', 'account_status', 'account.suspended', 'api_key', 'key_bench', "
    "'admin', 'api', 'non_payment', '', $1, 'corr', 'account', 'acc_bench', 'acc_bench', "
    "'{\"status\":\"active\"}', '{\"status\":\"suspended\"}', $2, NULL, '')",
    "UPDATE accounts SET status = 'suspended', version = version + 1, updated_at = $2 "
    "WHERE tenant_id = 'ten_bench' AND id = 'acc_bench' AND $1 <> ''",
};

const char* kSeed[] = {
    "INSERT INTO tenants (id, name, created_at) VALUES ('ten_bench', 'Bench', 0)",
    "INSERT INTO accounts (tenant_id, id, external_ref, profile_sealed, lifecycle, status, "
    "amount_due_minor, currency, last_payment_at, kyc_level, version, created_at, updated_at) "
    "VALUES ('ten_bench', 'acc_bench', 'BENCH', '', 'active', 'active', 0, 'EUR', NULL, 2, 1, "
    "0, 0)",
    "INSERT INTO services (tenant_id, id, account_id, plan_code, status, version, created_at, "
    "updated_at, terminated_at) VALUES ('ten_bench', 'svc_bench', 'acc_bench', 'mobile_basic', "
    "'active', 1, 0, 0, NULL)",
};

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

void Print(const char* backend, const char* shape, Result& r) {
  std::printf(
      "{\"backend\":\"%s\",\"shape\":\"%s\",\"ops\":%ld,\"ops_per_s\":%.1f,"
      "\"p50_ms\":%.3f,\"p99_ms\":%.3f}\n",
      backend, shape, r.ops, r.ops / r.seconds, Pct(r.latencies_ms, 0.5),
      Pct(r.latencies_ms, 0.99));
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
}

int RunSqlite(const std::string& path, int seconds) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  for (const char* p :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    Check(sqlite3_exec(db, p, nullptr, nullptr, nullptr), db, p);
  }
  for (const auto& m : sb::storage::Migrations("sqlite")) {
    Check(sqlite3_exec(db, std::string(m.sql).c_str(), nullptr, nullptr, nullptr), db, "schema");
  }
  for (const char* s : kSeed) Check(sqlite3_exec(db, s, nullptr, nullptr, nullptr), db, "seed");
  std::vector<sqlite3_stmt*> stmts;
  for (const char* s : kStatements) {
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
      for (sqlite3_stmt* st : stmts) {
        sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, r.ops);
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
  Print("sqlite", "batches of 100, synchronous=FULL", r);
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

int RunPostgres(const std::string& url, int seconds) {
  PGconn* setup = Connect(url);
  for (const auto& m : sb::storage::Migrations("postgres")) Exec(setup, std::string(m.sql));
  for (const char* s : kSeed) Exec(setup, s);
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
      for (size_t i = 0; i < std::size(kStatements); ++i) {
        PQclear(PQprepare(c, ("s" + std::to_string(i)).c_str(), kStatements[i], 2, nullptr));
      }
      std::vector<double> lat;
      while (Clock::now() < stop) {
        std::string id = "op_" + std::to_string(seq++), at = std::to_string(seq.load());
        const char* params[2] = {id.c_str(), at.c_str()};
        auto t0 = Clock::now();
        Exec(c, "BEGIN");
        for (size_t i = 0; i < std::size(kStatements); ++i) {
          PGresult* r =
              PQexecPrepared(c, ("s" + std::to_string(i)).c_str(), 2, params, nullptr, nullptr, 0);
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
  Print("postgres", "one transaction per operation, 8 clients, synchronous_commit=on", total);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: raw_limit sqlite PATH SECONDS | raw_limit postgres URL SECONDS\n";
    return 2;
  }
  std::string backend = argv[1];
  int seconds = std::stoi(argv[3]);
  if (backend == "sqlite") return RunSqlite(argv[2], seconds);
  if (backend == "postgres") return RunPostgres(argv[2], seconds);
  std::cerr << "unknown backend " << backend << "\n";
  return 2;
}
