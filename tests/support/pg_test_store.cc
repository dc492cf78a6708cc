#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "libpq-fe.h"
#include "storage/open.h"
#include "tests/support/test_stores.h"

namespace sb::testing {
namespace {

// A database name nobody else uses: sb_test_ and 16 random hex digits.
std::string RandomDatabaseName() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char kHex[] = "0123456789abcdef";
  std::string name = "sb_test_";
  std::uint64_t v = rng();
  for (int i = 0; i < 16; ++i, v >>= 4) name += kHex[v & 15];
  return name;
}

// `url` with its database path replaced by `db`.
std::string WithDatabase(const std::string& url, const std::string& db) {
  size_t scheme = url.find("://");
  size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  size_t query = url.find('?');
  std::string base = url.substr(0, slash == std::string::npos ? query : slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return base + "/" + db + rest;
}

[[noreturn]] void Fail(const std::string& message) {
  ADD_FAILURE() << message;
  throw std::runtime_error(message);
}

void CreateDatabase(const std::string& url, const std::string& db) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    Fail("cannot connect to SB_TEST_PG_URL (" + url + "): " + msg);
  }
  // The name is generated above (letters, digits, underscore), never user input.
  PGresult* r = PQexec(conn, ("CREATE DATABASE " + db).c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string msg = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(conn);
  if (!ok) Fail("CREATE DATABASE " + db + " failed: " + msg);
}

}  // namespace

// A PostgreSQL store on a fresh database of the cluster named by SB_TEST_PG_URL, migrated.
// Fails the calling test (and throws) when SB_TEST_PG_URL is unset or the cluster is down.
std::unique_ptr<domain::Store> NewPostgresTestStore() {
  const char* url = std::getenv("SB_TEST_PG_URL");
  if (url == nullptr || *url == '\0') {
    Fail(
        "SB_TEST_PG_URL is not set: start a cluster with "
        "`scripts/pg_test_cluster.sh start DIR` and export the URL it prints");
  }
  std::string db = RandomDatabaseName();
  CreateDatabase(url, db);
  storage::OpenOptions options;
  options.pg_pool_size = 4;
  auto opened = storage::OpenStore(WithDatabase(url, db), options);
  if (!opened.ok()) Fail("opening the PostgreSQL test store failed: " + opened.status().ToString());
  return std::move(opened->store);
}

}  // namespace sb::testing
