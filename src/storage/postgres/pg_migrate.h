#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "storage/postgres/pg_conn.h"

namespace sb::storage::postgres {

// Applies the pending migrations of migrations/postgres over `conn`, in one transaction under an
// advisory lock, so that several processes starting together apply each one exactly once. The
// migrations run with switchboard.cross_tenant on, so that a data migration sees every
// tenant's rows under row-level security. Then, when `app_role` is not empty and is not the
// connection's own role, grants it what the server needs (switchboard_grant_app_role).
// Returns the versions applied, in order. REQUIRES: no transaction open on `conn`.
Result<std::vector<int>> Migrate(Conn& conn, const std::string& app_role);

// The role `conn` is logged in as.
Result<std::string> CurrentRole(Conn& conn);

}  // namespace sb::storage::postgres
