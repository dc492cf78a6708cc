#pragma once

#include <string_view>

#include "storage/open.h"

namespace sb::storage::postgres {

// Connects to PostgreSQL at `uri` (libpq URI) with a pool of connections,
// synchronous_commit=on, one transaction per Write; migrates over options.owner_url when set
// (see OpenOptions). Every transaction is held to the tenant of its statements by row-level
// security (pg_tx.h).
Result<Opened> Open(std::string_view uri, const OpenOptions& options);

}  // namespace sb::storage::postgres
