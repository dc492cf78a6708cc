#pragma once

// Fresh, migrated stores for tests. Each call gives an empty database of its own.

#include <memory>
#include <string>

#include "domain/ports/store.h"

namespace sb::testing {

// A new SQLite database in a new temporary directory, migrated; the directory is removed
// when the store is destroyed. Aborts the test binary if the database cannot be opened.
std::unique_ptr<sb::domain::Store> NewSqliteTestStore();

// A new, empty PostgreSQL database on the cluster of SB_TEST_PG_URL, migrated by the owner role
// and opened as the app role (tests/support/pg_test_roles.h), so that row-level security holds
// every statement to its tenant. Fails the calling test (and throws) when SB_TEST_PG_URL is
// unset or the cluster is down.
std::unique_ptr<sb::domain::Store> NewPostgresTestStore();

// The same, with the URLs of both roles on that database, for tests that query it directly.
struct PostgresTestDatabase {
  std::unique_ptr<sb::domain::Store> store;
  std::string app_url;
  std::string owner_url;
  std::string name;  // the database's name on the cluster of SB_TEST_PG_URL
};
PostgresTestDatabase NewPostgresTestDatabase();

}  // namespace sb::testing
