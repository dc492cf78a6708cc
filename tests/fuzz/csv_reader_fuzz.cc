// libFuzzer target: a bulk job's upload (app/bulk/). The first byte picks how the rest is cut
// into pieces (the streaming CSV reader must read a record split anywhere the same way) and
// the bytes go through the CSV reader alone, then through the whole row reader as CSV and as
// JSON lines, under small limits so that limits are hit too. Any input must end in records or
// an error naming a row and column, never a crash, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "app/bulk/bulk_input.h"
#include "app/bulk/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t piece = 1 + data[0] % 17;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  sb::app::CsvLimits limits;
  limits.max_field_bytes = 256;
  limits.max_fields = 16;
  limits.max_record_bytes = 1024;
  sb::app::CsvReader reader(limits);
  std::size_t fields = 0;
  auto on_record = [&](std::int64_t, const std::vector<std::string_view>& f) {
    fields += f.size();
    return true;
  };
  bool ok = true;
  for (std::size_t i = 0; ok && i < input.size(); i += piece) {
    ok = reader.Feed(input.substr(i, piece), on_record);
  }
  if (ok) ok = reader.Finish(on_record);
  if (!ok && (reader.error().row < 1 || reader.error().column < 1)) __builtin_trap();

  sb::app::BulkReadLimits rows;
  rows.max_rows = 64;
  rows.max_field_bytes = 256;
  rows.max_line_bytes = 1024;
  for (auto format : {sb::app::BulkFormat::kCsv, sb::app::BulkFormat::kNdjson}) {
    std::istringstream in{std::string(input)};
    (void)sb::app::ReadBulkFile(
        in, format, rows, [](sb::app::BulkRowInput&&) { return true; },
        [](sb::app::BulkRowError&&) {});
  }
  return 0;
}
