#pragma once

#include <vector>

#include "common/status.h"
#include "storage/sqlite/sqlite_conn.h"

namespace sb::storage::sqlite {

// Sets the pragmas of the writer connection: WAL, synchronous=FULL, foreign keys on, a 16 MiB
// page cache, and secure_delete, so that a destroyed data key's wrapped bytes (and any row
// deleted) are zeroed in the page rather than left in its free space.
Status ConfigureWriter(Conn& conn);

// Sets the pragmas of a reader connection (read-only at the connection level too).
Status ConfigureReader(Conn& conn);

// Applies the embedded "sqlite" migrations not yet recorded in schema_migrations, each in
// its own transaction, and returns the versions applied, in order.
Result<std::vector<int>> ApplyMigrations(Conn& conn);

}  // namespace sb::storage::sqlite
