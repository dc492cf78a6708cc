#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/ports/store.h"

namespace sb::storage {

struct OpenOptions {
  bool migrate = true;       // apply pending migrations before returning
  int read_connections = 4;  // SQLite readers / PostgreSQL pool size is this + writers
  int pg_pool_size = 8;      // PostgreSQL connections shared by reads and writes
  int max_batch = 128;       // SQLite group commit: most callers committed in one transaction
  // SQLite: the write-ahead log's size in pages at which it is copied into the database.
  int wal_checkpoint_pages = 16000;
  // SQLite: how often the page caches a scan grew are emptied and the freed memory goes back
  // to the system (0: never).
  int cache_trim_ms = 5000;
  // PostgreSQL: the URL of the role that owns the tables. Migrations run over it and grant the
  // role of the store's own URL what the server needs (migrations/postgres/0013), so that the
  // server itself connects as a role that row-level security holds to one tenant per
  // transaction. Empty: the store's URL migrates too (its role must then own the tables).
  std::string owner_url;
};

struct Opened {
  std::unique_ptr<domain::Store> store;
  std::vector<int> applied_migrations;  // versions applied by this open, in order
};

// Opens the database named by `url`: "sqlite:PATH" (file created if missing, parent directory
// must exist) or "postgresql://..." / "postgres://..." (a libpq URI). kInvalidArgument for
// any other scheme; kUnavailable when the database cannot be reached.
Result<Opened> OpenStore(std::string_view url, const OpenOptions& options = {});

}  // namespace sb::storage
