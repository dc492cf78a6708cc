#include "storage/postgres/pg_store.h"

namespace sb::storage::postgres {

Result<Opened> Open(std::string_view uri, const OpenOptions& options) {
  return Status::Unavailable("the PostgreSQL backend is not built yet");
}

}  // namespace sb::storage::postgres
