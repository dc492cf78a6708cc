#pragma once

#include <string_view>

#include "storage/open.h"

namespace sb::storage::sqlite {

// Opens (creating if needed) the SQLite database at `path`: WAL, synchronous=FULL, foreign
// keys on, one writer thread that group-commits, a pool of readers.
Result<Opened> Open(std::string_view path, const OpenOptions& options);

}  // namespace sb::storage::sqlite
