// Stored idempotent answers hold no personal data in clear (docs/SECURITY.md, "Stored
// answers"): after keyed writes that answer with a customer's profile, neither the SQLite
// database file nor its WAL, nor PostgreSQL's idempotency_keys rows, contain any of the
// customer's values; replays still answer what the first call did; and once the account's
// data key is destroyed a replay answers 409 personal_data_erased instead of the old data.

#include <libpq-fe.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <random>

#include "tests/support/tenant_fixture.h"
#include "tests/support/text.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

std::string RandomDigits(size_t n) {
  static std::mt19937_64 rng{std::random_device{}()};
  std::string out;
  for (size_t i = 0; i < n; ++i) out += static_cast<char>('0' + rng() % 10);
  return out;
}

// A customer's values, each unique to the test run so a find cannot be another test's.
struct SealedCustomer {
  std::string token = RandomLetters(12);
  std::string name = "Quintessa " + token;
  std::string email = "q." + token + "@mailhost.test";
  std::string digits = RandomDigits(8);
  std::string phone = "+4477" + digits;
  std::string street = token + " Wisteria Street";
  std::vector<std::string> Values() const { return {token, name, email, digits, phone, street}; }
};

class IdempotencySealing : public OwnTenant {
 protected:
  bool OnSqlite() { return server().database_url().rfind("sqlite:", 0) == 0; }
  std::string SqlitePath() { return server().database_url().substr(7); }

  // Every value of `c` found in the stored bytes (the SQLite file and its WAL, or the
  // PostgreSQL idempotency_keys rows of the tenant), as "where: value".
  std::vector<std::string> FoundInStore(const SealedCustomer& c) {
    std::vector<std::pair<std::string, std::string>> places;
    if (OnSqlite()) {
      places.push_back({"database file", ReadFile(SqlitePath())});
      places.push_back({"WAL file", ReadFile(SqlitePath() + "-wal")});
      EXPECT_FALSE(places[0].second.empty());
    } else {
      places.push_back({"idempotency_keys", PgRows()});
    }
    std::vector<std::string> found;
    for (const auto& [where, bytes] : places) {
      for (const std::string& v : c.Values()) {
        if (bytes.find(v) != std::string::npos) found.push_back(where + ": " + v);
      }
    }
    return found;
  }

  // A connection as the server's database role, scoped to the tenant for its whole session:
  // row-level security shows that role nothing of a tenant it has not named.
  PGconn* PgForTenant() {
    PGconn* conn = PQconnectdb(server().database_url().c_str());
    EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    const char* params[] = {tenant_.c_str()};
    PGresult* r = PQexecParams(conn, "SELECT set_config('switchboard.tenant_id', $1, false)", 1,
                               nullptr, params, nullptr, nullptr, 0);
    EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(conn);
    PQclear(r);
    return conn;
  }

  // The tenant's idempotency_keys rows on PostgreSQL, every column, concatenated.
  std::string PgRows() {
    PGconn* conn = PgForTenant();
    const char* params[] = {tenant_.c_str()};
    PGresult* r = PQexecParams(conn,
                               "SELECT key, fingerprint, response_headers_json, response_body "
                               "FROM idempotency_keys WHERE tenant_id = $1",
                               1, nullptr, params, nullptr, nullptr, /*binary=*/1);
    EXPECT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(conn);
    std::string out;
    EXPECT_GE(PQntuples(r), 3);
    for (int row = 0; row < PQntuples(r); ++row) {
      for (int col = 0; col < PQnfields(r); ++col) {
        out.append(PQgetvalue(r, row, col), PQgetlength(r, row, col));
        out += '\n';
      }
    }
    PQclear(r);
    PQfinish(conn);
    return out;
  }

  // Destroys the account's data key as an erasure does.
  void DestroyDataKey(const std::string& account) {
    const char* sql =
        "UPDATE subject_keys SET destroyed_at = 1, wrapped_key = X'00' WHERE tenant_id = ?1 "
        "AND subject_id = ?2";
    if (OnSqlite()) {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open(SqlitePath().c_str(), &db), SQLITE_OK);
      sqlite3_busy_timeout(db, 10000);
      sqlite3_stmt* st = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
      sqlite3_bind_text(st, 1, tenant_.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 2, account.c_str(), -1, SQLITE_TRANSIENT);
      EXPECT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db);
      EXPECT_EQ(sqlite3_changes(db), 1);
      sqlite3_finalize(st);
      sqlite3_close(db);
      return;
    }
    PGconn* conn = PgForTenant();
    const char* params[] = {tenant_.c_str(), account.c_str()};
    PGresult* r = PQexecParams(conn,
                               "UPDATE subject_keys SET destroyed_at = 1, wrapped_key = '\\x00' "
                               "WHERE tenant_id = $1 AND subject_id = $2",
                               2, nullptr, params, nullptr, nullptr, 0);
    EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(conn);
    EXPECT_STREQ(PQcmdTuples(r), "1");
    PQclear(r);
    PQfinish(conn);
  }

  // Sends a keyed write twice: the replay answers the same status and body.
  HttpResponse Keyed(const std::string& method, const std::string& target, const std::string& body,
                     const std::string& key, Headers headers = {}) {
    headers.push_back({"Idempotency-Key", key});
    HttpResponse first = Api(method, target, body, headers);
    HttpResponse again = Api(method, target, body, headers);
    EXPECT_EQ(again.status, first.status) << again.body;
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
    return first;
  }
};

TEST_P(IdempotencySealing, StoredAnswersHoldNoPersonalDataInClear) {
  SealedCustomer c, patched, filed;
  std::string k = "seal-" + NewRef();
  json::object create{{"external_ref", NewRef()},
                      {"name", c.name},
                      {"email", c.email},
                      {"phone", c.phone},
                      {"address", c.street},
                      {"kyc_level", 2},
                      {"plans", json::array{"mobile_basic"}}};
  HttpResponse created = Keyed("POST", "/v1/accounts", json::serialize(create), k + "-create");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_NE(created.body.find(c.email), std::string::npos) << "the answer itself shows the data";
  std::string id = Str(created.Json(), "id");
  if (created.Json().as_object().contains("account")) id = Str(created.Json().at("account"), "id");
  json::object identity{{"kind", "identity"}, {"method", "document_check"}, {"level", 2}};
  ASSERT_EQ(Api("POST", "/v1/accounts/" + id + "/verifications", json::serialize(identity)).status,
            201);

  json::object patch{{"name", patched.name},
                     {"email", patched.email},
                     {"phone", patched.phone},
                     {"address", patched.street}};
  HttpResponse changed = Keyed("PATCH", "/v1/accounts/" + id, json::serialize(patch), k + "-patch",
                               {{"X-Reason", "customer_request"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_NE(changed.body.find(patched.email), std::string::npos);

  json::object request{{"type", "personal_info_update"},
                       {"account_id", id},
                       {"payload",
                        {{"name", filed.name},
                         {"email", filed.email},
                         {"phone", filed.phone},
                         {"address", filed.street}}}};
  HttpResponse done = Keyed("POST", "/v1/requests", json::serialize(request), k + "-request",
                            {{"X-Reason", "customer_request"}});
  ASSERT_EQ(done.status, 201) << done.body;
  EXPECT_EQ(Str(done.Json(), "state"), "completed") << done.body;
  EXPECT_NE(done.body.find(filed.email), std::string::npos);

  for (const SealedCustomer* who : {&c, &patched, &filed}) {
    EXPECT_EQ(FoundInStore(*who), std::vector<std::string>{});
  }
}

TEST_P(IdempotencySealing, AReplayAfterErasureAnswersAClearErrorNotTheOldData) {
  SealedCustomer c;
  std::string key = "erase-" + NewRef();
  json::object create{{"external_ref", NewRef()}, {"name", c.name}, {"email", c.email}};
  HttpResponse created = Keyed("POST", "/v1/accounts", json::serialize(create), key);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = Str(created.Json(), "id");
  if (created.Json().as_object().contains("account")) id = Str(created.Json().at("account"), "id");
  DestroyDataKey(id);
  HttpResponse replay =
      Api("POST", "/v1/accounts", json::serialize(create), {{"Idempotency-Key", key}});
  ExpectProblem(replay, 409, "Idempotency-Key", "personal_data_erased");
  for (const std::string& v : c.Values()) EXPECT_EQ(replay.body.find(v), std::string::npos) << v;
  // Erasure leaves the account's view without the data, never the old answer.
  json::object after = Account(id);
  EXPECT_EQ(Str(after, "name"), "");
  EXPECT_TRUE(after.at("profile_erased").as_bool());
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencySealing, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace sb::testing
