#include "storage/sqlite/sqlite_store.h"

namespace sb::storage::sqlite {

Result<Opened> Open(std::string_view path, const OpenOptions& options) {
  return Status::Unavailable("the SQLite backend is not built yet");
}

}  // namespace sb::storage::sqlite
