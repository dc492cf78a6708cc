#include "storage/open.h"

#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace sb::storage {

Result<Opened> OpenStore(std::string_view url, const OpenOptions& options) {
  if (url.starts_with("sqlite:")) return sqlite::Open(url.substr(7), options);
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return postgres::Open(url, options);
  }
  return Status::Invalid("database_url", "database URL must start with sqlite: or postgresql://");
}

}  // namespace sb::storage
