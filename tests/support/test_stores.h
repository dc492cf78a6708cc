#pragma once

// Fresh, migrated stores for tests. Each call gives an empty database of its own.

#include <memory>

#include "domain/ports/store.h"

namespace sb::testing {

// A new SQLite database in a new temporary directory, migrated; the directory is removed
// when the store is destroyed. Aborts the test binary if the database cannot be opened.
std::unique_ptr<sb::domain::Store> NewSqliteTestStore();

// A new, empty PostgreSQL schema, migrated (tests/support/pg_test_store.cc). Returns null
// when no test server is configured.
std::unique_ptr<sb::domain::Store> NewPostgresTestStore();

}  // namespace sb::testing
