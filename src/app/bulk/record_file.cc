// Reading a CSV or JSON-lines upload into records (record_file.h).
#include "app/bulk/record_file.h"

#include <set>

#include "app/bulk/csv_reader.h"
#include "app/core/json_fields.h"
#include "domain/card_numbers.h"

namespace sb::app {
namespace {

namespace json = boost::json;

constexpr std::size_t kPiece = 64 * 1024;
constexpr std::string_view kColumnAt = "column ";

// Whether `column` is a position as ColumnAt writes it.
bool IsColumnPosition(std::string_view column) {
  if (column.size() <= kColumnAt.size() || column.substr(0, kColumnAt.size()) != kColumnAt) {
    return false;
  }
  column.remove_prefix(kColumnAt.size());
  return column.find_first_not_of("0123456789") == std::string_view::npos;
}

// Feeds `in` to `feed` a piece at a time until the input ends or `feed` returns false.
template <typename Feed>
void ReadPieces(std::istream& in, Feed&& feed) {
  std::string piece(kPiece, '\0');
  while (in) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    std::streamsize got = in.gcount();
    if (got <= 0) return;
    if (!feed(std::string_view(piece.data(), static_cast<std::size_t>(got)))) return;
  }
}

bool AllEmpty(const std::vector<std::string_view>& fields) {
  for (std::string_view f : fields) {
    if (!f.empty()) return false;
  }
  return true;
}

// --- CSV ----------------------------------------------------------------------------------

std::optional<BulkRowError> ReadCsv(std::istream& in, const BulkReadLimits& limits,
                                    const HeaderFn& on_header, const RecordFn& on_record,
                                    const BulkErrorFn& on_error) {
  CsvLimits csv;
  csv.max_field_bytes = limits.max_field_bytes;
  csv.max_record_bytes = limits.max_line_bytes;
  CsvReader reader(csv);
  std::vector<std::string> columns;
  std::optional<BulkRowError> fatal;
  bool stopped_by_caller = false;
  auto on_csv = [&](std::int64_t row, const std::vector<std::string_view>& fields) {
    if (row == 1) {
      std::set<std::string_view> seen;
      for (std::string_view f : fields) {
        // Spreadsheets write empty names for trailing columns: named by where they are.
        if (f.empty()) {
          fatal = BulkRowError{1, ColumnAt(std::ssize(columns) + 1), "unnamed_column"};
          return false;
        }
        if (!seen.insert(f).second) {
          fatal = BulkRowError{1, std::string(f), "duplicate_column"};
          return false;
        }
        columns.emplace_back(f);
      }
      fatal = on_header(fields);
      return !fatal;
    }
    if (row - 1 > limits.max_rows) {
      fatal = BulkRowError{row, "", "too_many_rows"};
      return false;
    }
    if (AllEmpty(fields)) {
      on_error({row, "", "empty_row"});
      return true;
    }
    if (fields.size() != columns.size()) {
      on_error({row, "", "wrong_field_count"});
      return true;
    }
    FileRecord r;
    r.row = row;
    for (std::size_t i = 0; i < fields.size(); ++i) r.fields[columns[i]] = fields[i];
    if (!on_record(std::move(r))) {
      stopped_by_caller = true;
      return false;
    }
    return true;
  };
  bool ok = true;
  ReadPieces(in, [&](std::string_view bytes) { return ok = reader.Feed(bytes, on_csv); });
  if (ok) ok = reader.Finish(on_csv);
  if (fatal) return fatal;
  if (stopped_by_caller) return std::nullopt;
  if (!ok) {
    const CsvError& e = reader.error();
    bool named = e.column >= 1 && static_cast<std::size_t>(e.column) <= columns.size();
    return BulkRowError{e.row, named ? columns[e.column - 1] : ColumnAt(e.column), e.code};
  }
  if (reader.rows() == 0) return BulkRowError{1, "", "missing_header"};
  return std::nullopt;
}

// --- JSON lines ---------------------------------------------------------------------------

std::optional<BulkRowError> ReadNdjson(std::istream& in, const BulkReadLimits& limits,
                                       const RecordFn& on_record, const BulkErrorFn& on_error) {
  std::string line;
  std::int64_t row = 0;
  bool bom_checked = false;
  std::optional<BulkRowError> fatal;
  bool stopped = false;
  // One line: false to stop reading.
  auto finish_line = [&]() {
    ++row;
    if (row > limits.max_rows) {
      fatal = BulkRowError{row, "", "too_many_rows"};
      return false;
    }
    std::string text = std::exchange(line, {});
    if (text.find_first_not_of(" \t\r") == std::string::npos) {
      on_error({row, "", "empty_row"});
      return true;
    }
    Result<json::object> parsed = ParseJsonObject(text);
    if (!parsed.ok()) {
      on_error({row, parsed.status().param(), std::string(parsed.status().reason())});
      return true;
    }
    if (!on_record(FileRecord{row, std::move(*parsed)})) {
      stopped = true;
      return false;
    }
    return true;
  };
  ReadPieces(in, [&](std::string_view bytes) {
    if (!bom_checked) {
      bom_checked = true;
      if (bytes.rfind("\xEF\xBB\xBF", 0) == 0) bytes.remove_prefix(3);
    }
    while (!bytes.empty()) {
      std::size_t nl = bytes.find('\n');
      std::string_view part = bytes.substr(0, nl);
      if (line.size() + part.size() > limits.max_line_bytes) {
        fatal = BulkRowError{row + 1, "", "line_too_large"};
        return false;
      }
      line.append(part);
      if (nl == std::string_view::npos) break;
      bytes.remove_prefix(nl + 1);
      if (!finish_line()) return false;
    }
    return true;
  });
  if (fatal) return fatal;
  if (stopped) return std::nullopt;
  if (!line.empty() && !finish_line()) return fatal;
  if (row == 0) return BulkRowError{1, "", "no_rows"};
  return std::nullopt;
}

}  // namespace

std::string ColumnAt(std::int64_t n) { return std::string(kColumnAt) + std::to_string(n); }

std::string RowErrorPlace(const BulkRowError& e) {
  std::string place = "row " + std::to_string(e.row);
  if (e.column.empty()) return place;
  // A position already reads "column 5".
  return place + ", " + (IsColumnPosition(e.column) ? e.column : std::string(kColumnAt) + e.column);
}

json::array RowErrorsJson(const std::vector<BulkRowError>& errors) {
  json::array a;
  for (const auto& e : errors) {
    json::object o{{"row", e.row}, {"code", e.code}};
    if (!e.column.empty()) o["column"] = e.column;
    a.push_back(std::move(o));
  }
  return a;
}

std::optional<BulkRowError> ReadRecordFile(std::istream& in, BulkFormat format,
                                           const BulkReadLimits& limits, const HeaderFn& on_header,
                                           const RecordFn& on_record, const BulkErrorFn& on_error) {
  // Column names come from the file: a card number used as one is never carried back.
  auto masked = [&](BulkRowError&& e) {
    e.column = domain::MaskCardNumbers(e.column);
    on_error(std::move(e));
  };
  std::optional<BulkRowError> fatal = format == BulkFormat::kCsv
                                          ? ReadCsv(in, limits, on_header, on_record, masked)
                                          : ReadNdjson(in, limits, on_record, masked);
  if (fatal) fatal->column = domain::MaskCardNumbers(fatal->column);
  return fatal;
}

}  // namespace sb::app
