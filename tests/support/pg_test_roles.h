#pragma once

// The PostgreSQL roles every test runs under, as a production server does (docs/SECURITY.md):
// the tables belong to an owner role that migrates, and the server connects as an app role
// that is not the owner, not a superuser and cannot bypass row-level security.

#include <string>

namespace sb::testing {

inline constexpr const char* kPgTestOwnerRole = "switchboard_owner";
inline constexpr const char* kPgTestAppRole = "switchboard_app";

// URLs of one test database, for each role.
struct PgTestUrls {
  std::string app;    // the server's role (database_url)
  std::string owner;  // the owner, for migrations (database_owner_url)
};

// Creates the two roles on the cluster of `admin_url` (a superuser's URL, SB_TEST_PG_URL) when
// they are missing, then a new database `db` owned by the owner role, not migrated. `db` must
// be letters, digits and underscores. Adds a test failure and returns empty URLs on error.
PgTestUrls CreatePgTestDatabase(const std::string& admin_url, const std::string& db);

// `url` (a postgresql:// URL) with its database replaced by `db` and, when `user` is not
// empty, logging in as `user`.
std::string PgUrlFor(const std::string& url, const std::string& db, const std::string& user = "");

}  // namespace sb::testing
