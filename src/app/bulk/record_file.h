#pragma once

// Reading an uploaded file of records, streamed: a CSV file whose header names the columns, or
// JSON lines, one object per line. The one reader of tabular uploads: bulk jobs
// (app/bulk/bulk_input.h) and reconciliation files (app/reconciliation/reconciliation_input.h)
// each give the records their own meaning. The input is read in pieces and each record handed
// out as it completes, so a file is never held whole.

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::app {

enum class BulkFormat { kCsv, kNdjson };

struct BulkReadLimits {
  std::int64_t max_rows = 1'000'000;        // data rows (blank ones count)
  std::size_t max_field_bytes = 64 * 1024;  // one CSV field
  std::size_t max_line_bytes = 1 << 20;     // one CSV record or JSON line
};

// Something wrong with one row (or, for a problem of the whole file, where reading stopped).
// `column` names the CSV column or JSON field as the file wrote it, a card number in the name
// masked ("[card number removed]", domain/card_numbers.h), or gives a CSV column that has no
// name (or lies past the header's last) by its position, ColumnAt; "" when the row as a whole
// is wrong. `code` is stable.
struct BulkRowError {
  std::int64_t row = 0;
  std::string column;
  std::string code;
};

// How a BulkRowError names a CSV column by its position `n` (from 1): "column 5".
std::string ColumnAt(std::int64_t n);
// Where `e` is, in words for a message: "row 3, column reason_code", "row 1, column 257" (a
// position), "row 4" (the whole row).
std::string RowErrorPlace(const BulkRowError& e);

// Row errors as answers and reports list them: [{"row", "code", "column"?}].
boost::json::array RowErrorsJson(const std::vector<BulkRowError>& errors);

// One record as read. `row` is its number in the file: CSV records count from the header
// (row 1), JSON lines from 1. `fields`: a CSV record's cells by column name, each a JSON string
// (empty cells included); a JSON line's object as parsed.
struct FileRecord {
  std::int64_t row = 0;
  boost::json::object fields;
};

// Checks a CSV header's column names; an error (row 1, naming the column) stops reading.
using HeaderFn =
    std::function<std::optional<BulkRowError>(const std::vector<std::string_view>& columns)>;
// Called for each record; return false to stop.
using RecordFn = std::function<bool(FileRecord&&)>;
// Called for each row that is not a record: a blank row, a CSV record with another number of
// fields than the header, a JSON line that is not an object. Reading goes on.
using BulkErrorFn = std::function<void(BulkRowError&&)>;

// Reads every record of `in`. Returns nullopt when the file was read to its end (or `on_record`
// stopped it), or the error that stopped reading: the file itself cannot be read (a broken
// quote, invalid UTF-8, a CSV column with no name ("unnamed_column") or named twice, a header
// `on_header` refused, a field or line over the limits, more rows than max_rows, no header or
// no line at all). A card number in a column this returns, or gives `on_error`, is masked;
// `on_header` and `on_record` get the names as written.
std::optional<BulkRowError> ReadRecordFile(std::istream& in, BulkFormat format,
                                           const BulkReadLimits& limits, const HeaderFn& on_header,
                                           const RecordFn& on_record, const BulkErrorFn& on_error);

}  // namespace sb::app
