// Reading bulk uploads (bulk_input.h): the CSV header's columns, the JSON lines' keys, and
// the checks one row can take on its own.
#include "app/bulk/bulk_input.h"

#include <array>
#include <map>
#include <string_view>
#include <vector>

#include "app/bulk/csv_reader.h"
#include "app/core/card_fields.h"
#include "app/core/json_fields.h"

namespace sb::app {
namespace {

namespace json = boost::json;

constexpr std::size_t kPiece = 64 * 1024;
constexpr std::size_t kMaxToken = 255;

// The fixed columns, in the order BulkRowInput has them.
enum class Column { kExternalRef, kAccountId, kType, kReasonCode, kServiceId, kIdempotencyKey };

// Puts the value of a fixed column where the row keeps it (the request type apart, in `type`,
// until CheckRow reads it), for CSV and JSON lines alike.
void SetColumn(Column c, std::string_view v, BulkRowInput& r, std::string& type) {
  switch (c) {
    case Column::kExternalRef:
      r.external_ref = v;
      break;
    case Column::kAccountId:
      r.account_id = v;
      break;
    case Column::kType:
      type = v;
      break;
    case Column::kReasonCode:
      r.reason_code = v;
      break;
    case Column::kServiceId:
      r.service_id = v;
      break;
    case Column::kIdempotencyKey:
      r.idempotency_key = v;
      break;
  }
}
constexpr std::array<std::pair<std::string_view, Column>, 6> kColumns{{
    {"external_ref", Column::kExternalRef},
    {"account_id", Column::kAccountId},
    {"type", Column::kType},
    {"reason_code", Column::kReasonCode},
    {"service_id", Column::kServiceId},
    {"idempotency_key", Column::kIdempotencyKey},
}};

bool ValidToken(std::string_view s) {
  if (s.empty() || s.size() > kMaxToken) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':' || c == '@' || c == '/';
    if (!ok) return false;
  }
  return true;
}

bool ValidFieldName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// The fixed fields' checks, the same for both formats. Returns false after reporting.
bool CheckRow(BulkRowInput& r, std::string_view type, const BulkErrorFn& on_error) {
  auto fail = [&](const char* column, const char* code) {
    on_error({r.row, column, code});
    return false;
  };
  if (r.external_ref.empty() && r.account_id.empty())
    return fail("external_ref", "account_required");
  if (!r.external_ref.empty() && !r.account_id.empty())
    return fail("account_id", "account_ambiguous");
  if (!r.external_ref.empty() && r.external_ref.size() > kMaxToken) {
    return fail("external_ref", "invalid_value");
  }
  if (!r.account_id.empty() && !ValidToken(r.account_id))
    return fail("account_id", "invalid_value");
  if (type.empty()) return fail("type", "type_required");
  std::optional<domain::RequestType> t = domain::Parse<domain::RequestType>(type);
  if (!t) return fail("type", "unknown_type");
  r.type = *t;
  if (r.reason_code.empty()) return fail("reason_code", "reason_required");
  if (!ValidToken(r.reason_code)) return fail("reason_code", "invalid_value");
  if (!r.service_id.empty() && !ValidToken(r.service_id))
    return fail("service_id", "invalid_value");
  if (!r.idempotency_key.empty() && !ValidToken(r.idempotency_key)) {
    return fail("idempotency_key", "invalid_value");
  }
  return true;
}

// Card numbers anywhere in the row, named by the column (or JSON field) they were in.
bool CheckCards(const BulkRowInput& r, const json::object& whole, const BulkErrorFn& on_error) {
  if (std::optional<std::string> where = CardNumberPath(whole)) {
    on_error({r.row, *where, "card_number_refused"});
    return false;
  }
  return true;
}

// --- CSV ----------------------------------------------------------------------------------

struct CsvColumn {
  std::string name;
  std::optional<Column> fixed;
  std::string payload_field;  // set for payload columns
  bool json_value = false;
};

std::optional<BulkRowError> ReadHeader(const std::vector<std::string_view>& fields,
                                       std::vector<CsvColumn>* columns) {
  std::map<std::string, bool> seen;
  for (std::string_view f : fields) {
    CsvColumn c;
    c.name = std::string(f);
    for (const auto& [name, col] : kColumns) {
      if (f == name) c.fixed = col;
    }
    if (!c.fixed) {
      std::string_view rest = f;
      if (rest.rfind("payload.", 0) != 0) return BulkRowError{1, c.name, "unknown_column"};
      rest.remove_prefix(8);
      if (rest.size() > 5 && rest.substr(rest.size() - 5) == ":json") {
        c.json_value = true;
        rest.remove_suffix(5);
      }
      if (!ValidFieldName(rest)) return BulkRowError{1, c.name, "unknown_column"};
      c.payload_field = std::string(rest);
    }
    std::string key = c.fixed ? c.name : "payload." + c.payload_field;
    if (seen[key]) return BulkRowError{1, c.name, "duplicate_column"};
    seen[key] = true;
    columns->push_back(std::move(c));
  }
  if (!seen["external_ref"] && !seen["account_id"]) {
    return BulkRowError{1, "external_ref", "missing_column"};
  }
  if (!seen["type"]) return BulkRowError{1, "type", "missing_column"};
  if (!seen["reason_code"]) return BulkRowError{1, "reason_code", "missing_column"};
  return std::nullopt;
}

bool AllEmpty(const std::vector<std::string_view>& fields) {
  for (std::string_view f : fields) {
    if (!f.empty()) return false;
  }
  return true;
}

// One data record into a row; false (after reporting) when it does not read.
bool CsvRow(std::int64_t row, const std::vector<std::string_view>& fields,
            const std::vector<CsvColumn>& columns, BulkRowInput* out, const BulkErrorFn& on_error) {
  if (AllEmpty(fields)) {
    on_error({row, "", "empty_row"});
    return false;
  }
  if (fields.size() != columns.size()) {
    on_error({row, "", "wrong_field_count"});
    return false;
  }
  BulkRowInput r;
  r.row = row;
  std::string type;
  json::object whole;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const CsvColumn& c = columns[i];
    std::string_view v = fields[i];
    whole[c.name] = v;
    if (c.fixed) {
      SetColumn(*c.fixed, v, r, type);
      continue;
    }
    if (v.empty()) continue;  // an empty cell sends no field
    if (!c.json_value) {
      r.payload[c.payload_field] = v;
      continue;
    }
    boost::system::error_code ec;
    json::value parsed = json::parse(v, ec);
    if (ec) {
      on_error({row, c.name, "invalid_json"});
      return false;
    }
    r.payload[c.payload_field] = std::move(parsed);
  }
  if (!CheckCards(r, whole, on_error)) return false;
  if (!CheckRow(r, type, on_error)) return false;
  *out = std::move(r);
  return true;
}

std::optional<BulkRowError> ReadCsv(std::istream& in, const BulkReadLimits& limits,
                                    const BulkRowFn& on_row, const BulkErrorFn& on_error) {
  CsvLimits csv;
  csv.max_field_bytes = limits.max_field_bytes;
  csv.max_record_bytes = limits.max_line_bytes;
  CsvReader reader(csv);
  std::vector<CsvColumn> columns;
  std::optional<BulkRowError> fatal;
  bool stopped_by_caller = false;
  auto on_record = [&](std::int64_t row, const std::vector<std::string_view>& fields) {
    if (row == 1) {
      fatal = ReadHeader(fields, &columns);
      return !fatal;
    }
    if (row - 1 > limits.max_rows) {
      fatal = BulkRowError{row, "", "too_many_rows"};
      return false;
    }
    BulkRowInput r;
    if (!CsvRow(row, fields, columns, &r, on_error)) return true;
    if (!on_row(std::move(r))) {
      stopped_by_caller = true;
      return false;
    }
    return true;
  };
  std::string piece(kPiece, '\0');
  bool ok = true;
  while (ok && in) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    std::streamsize got = in.gcount();
    if (got <= 0) break;
    ok = reader.Feed(std::string_view(piece.data(), static_cast<std::size_t>(got)), on_record);
  }
  if (ok) ok = reader.Finish(on_record);
  if (fatal) return fatal;
  if (stopped_by_caller) return std::nullopt;
  if (!ok) {
    const CsvError& e = reader.error();
    std::string column;
    if (e.column >= 1 && static_cast<std::size_t>(e.column) <= columns.size()) {
      column = columns[e.column - 1].name;
    } else {
      column = "column " + std::to_string(e.column);
    }
    return BulkRowError{e.row, column, e.code};
  }
  if (reader.rows() == 0) return BulkRowError{1, "", "missing_header"};
  return std::nullopt;
}

// --- JSON lines ---------------------------------------------------------------------------

bool JsonRow(std::int64_t row, std::string_view line, BulkRowInput* out,
             const BulkErrorFn& on_error) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
    on_error({row, "", "empty_row"});
    return false;
  }
  Result<json::object> parsed = ParseJsonObject(line);
  if (!parsed.ok()) {
    on_error({row, parsed.status().param(), std::string(parsed.status().reason())});
    return false;
  }
  BulkRowInput r;
  r.row = row;
  std::string type;
  for (const auto& [key, value] : *parsed) {
    if (key == "payload") {
      if (!value.is_object()) {
        on_error({row, "payload", "not_an_object"});
        return false;
      }
      r.payload = value.as_object();
      continue;
    }
    std::optional<Column> col;
    for (const auto& [name, c] : kColumns) {
      if (key == name) col = c;
    }
    if (!col) {
      on_error({row, std::string(key), "unknown_field"});
      return false;
    }
    if (!value.is_string()) {
      on_error({row, std::string(key), "not_a_string"});
      return false;
    }
    SetColumn(*col, value.as_string(), r, type);
  }
  if (!CheckCards(r, *parsed, on_error)) return false;
  if (!CheckRow(r, type, on_error)) return false;
  *out = std::move(r);
  return true;
}

std::optional<BulkRowError> ReadNdjson(std::istream& in, const BulkReadLimits& limits,
                                       const BulkRowFn& on_row, const BulkErrorFn& on_error) {
  std::string line;
  std::int64_t row = 0;
  std::string piece(kPiece, '\0');
  bool bom_checked = false;
  // One line: false to stop reading.
  auto finish_line = [&](std::optional<BulkRowError>* fatal) {
    ++row;
    if (row > limits.max_rows) {
      *fatal = BulkRowError{row, "", "too_many_rows"};
      return false;
    }
    BulkRowInput r;
    bool ok = JsonRow(row, line, &r, on_error);
    line.clear();
    return !ok || on_row(std::move(r));
  };
  std::optional<BulkRowError> fatal;
  while (in) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    std::streamsize got = in.gcount();
    if (got <= 0) break;
    std::string_view bytes(piece.data(), static_cast<std::size_t>(got));
    if (!bom_checked) {
      bom_checked = true;
      if (bytes.rfind("\xEF\xBB\xBF", 0) == 0) bytes.remove_prefix(3);
    }
    while (!bytes.empty()) {
      std::size_t nl = bytes.find('\n');
      std::string_view part = bytes.substr(0, nl);
      if (line.size() + part.size() > limits.max_line_bytes) {
        return BulkRowError{row + 1, "", "line_too_large"};
      }
      line.append(part);
      if (nl == std::string_view::npos) break;
      bytes.remove_prefix(nl + 1);
      if (!finish_line(&fatal)) return fatal;
    }
  }
  if (!line.empty() && !finish_line(&fatal)) return fatal;
  if (row == 0) return BulkRowError{1, "", "no_rows"};
  return std::nullopt;
}

}  // namespace

std::optional<BulkRowError> ReadBulkFile(std::istream& in, BulkFormat format,
                                         const BulkReadLimits& limits, const BulkRowFn& on_row,
                                         const BulkErrorFn& on_error) {
  if (format == BulkFormat::kCsv) return ReadCsv(in, limits, on_row, on_error);
  return ReadNdjson(in, limits, on_row, on_error);
}

}  // namespace sb::app
