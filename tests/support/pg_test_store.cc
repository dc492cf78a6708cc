#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "storage/open.h"
#include "tests/support/pg_test_roles.h"
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

[[noreturn]] void Fail(const std::string& message) {
  ADD_FAILURE() << message;
  throw std::runtime_error(message);
}

}  // namespace

PostgresTestDatabase NewPostgresTestDatabase() {
  const char* url = std::getenv("SB_TEST_PG_URL");
  if (url == nullptr || *url == '\0') {
    Fail(
        "SB_TEST_PG_URL is not set: start a cluster with "
        "`scripts/pg_test_cluster.sh start DIR` and export the URL it prints");
  }
  PostgresTestDatabase db;
  db.name = RandomDatabaseName();
  PgTestUrls urls = CreatePgTestDatabase(url, db.name);
  if (urls.app.empty()) Fail("creating the PostgreSQL test database failed");
  storage::OpenOptions options;
  options.pg_pool_size = 4;
  options.owner_url = urls.owner;
  auto opened = storage::OpenStore(urls.app, options);
  if (!opened.ok()) Fail("opening the PostgreSQL test store failed: " + opened.status().ToString());
  db.store = std::move(opened->store);
  db.app_url = std::move(urls.app);
  db.owner_url = std::move(urls.owner);
  return db;
}

std::unique_ptr<domain::Store> NewPostgresTestStore() {
  return std::move(NewPostgresTestDatabase().store);
}

}  // namespace sb::testing
