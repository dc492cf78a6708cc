#pragma once

#include <string_view>
#include <vector>

namespace sb::storage {

// One versioned schema file from migrations/<backend>/NNNN_name.sql, embedded at build time.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// The migrations of "sqlite" or "postgres", in version order (empty for anything else).
const std::vector<Migration>& Migrations(std::string_view backend);

}  // namespace sb::storage
