// Reading bulk uploads (bulk_input.h): the CSV header's columns, the JSON lines' keys, and
// the checks one row can take on its own.
#include "app/bulk/bulk_input.h"

#include <array>
#include <map>
#include <string_view>
#include <vector>

#include "app/core/card_fields.h"
#include "app/core/json_fields.h"

namespace sb::app {
namespace {

namespace json = boost::json;

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

// Card numbers anywhere in the record, named by the column (or JSON field) they were in, a
// name that is one masked. Checked first, so that no other error names such a column.
bool CheckCards(const FileRecord& rec, const BulkErrorFn& on_error) {
  if (std::optional<std::string> where = CardNumberPath(rec.fields)) {
    on_error({rec.row, *where, "card_number_refused"});
    return false;
  }
  return true;
}

// --- CSV ----------------------------------------------------------------------------------

std::optional<Column> FixedColumn(std::string_view name) {
  for (const auto& [n, col] : kColumns) {
    if (name == n) return col;
  }
  return std::nullopt;
}

// A payload column's field name and whether its cells hold JSON ("payload.<field>[:json]");
// nullopt for any other name.
std::optional<std::pair<std::string_view, bool>> PayloadColumn(std::string_view name) {
  if (name.rfind("payload.", 0) != 0) return std::nullopt;
  name.remove_prefix(8);
  bool json_value = name.size() > 5 && name.substr(name.size() - 5) == ":json";
  if (json_value) name.remove_suffix(5);
  if (!ValidFieldName(name)) return std::nullopt;
  return std::make_pair(name, json_value);
}

std::optional<BulkRowError> CheckHeader(const std::vector<std::string_view>& fields) {
  std::map<std::string, bool> seen;
  for (std::string_view f : fields) {
    std::string key(f);
    if (!FixedColumn(f)) {
      auto payload = PayloadColumn(f);
      if (!payload) return BulkRowError{1, key, "unknown_column"};
      key = "payload." + std::string(payload->first);
    }
    if (seen[key]) return BulkRowError{1, std::string(f), "duplicate_column"};
    seen[key] = true;
  }
  if (!seen["external_ref"] && !seen["account_id"]) {
    return BulkRowError{1, "external_ref", "missing_column"};
  }
  if (!seen["type"]) return BulkRowError{1, "type", "missing_column"};
  if (!seen["reason_code"]) return BulkRowError{1, "reason_code", "missing_column"};
  return std::nullopt;
}

// One CSV record (its cells by column, as CheckHeader allowed them) into a row; false (after
// reporting) when it does not read.
bool CsvRow(const FileRecord& rec, BulkRowInput* out, const BulkErrorFn& on_error) {
  if (!CheckCards(rec, on_error)) return false;
  BulkRowInput r;
  r.row = rec.row;
  std::string type;
  for (const auto& [name, cell] : rec.fields) {
    std::string_view v = cell.as_string();
    if (auto fixed = FixedColumn(name)) {
      SetColumn(*fixed, v, r, type);
      continue;
    }
    if (v.empty()) continue;  // an empty cell sends no field
    auto [field, json_value] = *PayloadColumn(name);
    if (!json_value) {
      r.payload[field] = v;
      continue;
    }
    boost::system::error_code ec;
    json::value parsed = json::parse(v, ec);
    if (ec) {
      on_error({rec.row, std::string(name), "invalid_json"});
      return false;
    }
    r.payload[field] = std::move(parsed);
  }
  if (!CheckRow(r, type, on_error)) return false;
  *out = std::move(r);
  return true;
}

// --- JSON lines ---------------------------------------------------------------------------

bool JsonRow(const FileRecord& rec, BulkRowInput* out, const BulkErrorFn& on_error) {
  if (!CheckCards(rec, on_error)) return false;
  BulkRowInput r;
  r.row = rec.row;
  std::string type;
  for (const auto& [key, value] : rec.fields) {
    if (key == "payload") {
      if (!value.is_object()) {
        on_error({rec.row, "payload", "not_an_object"});
        return false;
      }
      r.payload = value.as_object();
      continue;
    }
    std::optional<Column> col = FixedColumn(key);
    if (!col) {
      on_error({rec.row, std::string(key), "unknown_field"});
      return false;
    }
    if (!value.is_string()) {
      on_error({rec.row, std::string(key), "not_a_string"});
      return false;
    }
    SetColumn(*col, value.as_string(), r, type);
  }
  if (!CheckRow(r, type, on_error)) return false;
  *out = std::move(r);
  return true;
}

}  // namespace

std::optional<BulkRowError> ReadBulkFile(std::istream& in, BulkFormat format,
                                         const BulkReadLimits& limits, const BulkRowFn& on_row,
                                         const BulkErrorFn& on_error) {
  auto on_record = [&](FileRecord&& rec) {
    BulkRowInput r;
    bool ok = format == BulkFormat::kCsv ? CsvRow(rec, &r, on_error) : JsonRow(rec, &r, on_error);
    return !ok || on_row(std::move(r));
  };
  return ReadRecordFile(in, format, limits, CheckHeader, on_record, on_error);
}

}  // namespace sb::app
