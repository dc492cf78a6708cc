#include "tests/support/pg_test_roles.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

namespace sb::testing {
namespace {

// Idempotent, and safe when several test processes run it at once (the loser of a race on
// the same name gets duplicate_object or unique_violation, both ignored).
std::string EnsureRoleSql(const char* role) {
  return std::string("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '") + role +
         "') THEN CREATE ROLE " + role +
         " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; "
         "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$";
}

bool Run(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
  PQclear(r);
  return ok;
}

}  // namespace

std::string PgUrlFor(const std::string& url, const std::string& db, const std::string& user) {
  size_t scheme = url.find("://");
  size_t query = url.find('?', scheme == std::string::npos ? 0 : scheme);
  std::string head = url.substr(0, query);
  std::string tail = query == std::string::npos ? "" : url.substr(query);
  size_t slash = head.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string out = (slash == std::string::npos ? head : head.substr(0, slash)) + "/" + db + tail;
  // libpq lets a query parameter override the user of the URL's authority part.
  if (!user.empty()) out += (tail.empty() ? "?user=" : "&user=") + user;
  return out;
}

PgTestUrls CreatePgTestDatabase(const std::string& admin_url, const std::string& db) {
  PGconn* conn = PQconnectdb(admin_url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot connect to SB_TEST_PG_URL (" << admin_url
                  << "): " << PQerrorMessage(conn);
    PQfinish(conn);
    return {};
  }
  // The names are constants and generated identifiers, never user input.
  bool ok = Run(conn, EnsureRoleSql(kPgTestOwnerRole)) &&
            Run(conn, EnsureRoleSql(kPgTestAppRole)) &&
            Run(conn, "CREATE DATABASE " + db + " OWNER " + kPgTestOwnerRole);
  PQfinish(conn);
  if (!ok) return {};
  return {PgUrlFor(admin_url, db, kPgTestAppRole), PgUrlFor(admin_url, db, kPgTestOwnerRole)};
}

}  // namespace sb::testing
