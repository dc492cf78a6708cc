// Reading reconciliation files (reconciliation_input.h).
#include "app/reconciliation/reconciliation_input.h"

#include <array>
#include <charconv>
#include <string_view>

#include "app/core/card_fields.h"

namespace sb::app {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxDriftToken = 255;
constexpr std::array<std::string_view, 6> kDriftColumns{"external_ref",   "account_id",
                                                        "service_id",     "service_status",
                                                        "account_status", "amount_due_minor"};

bool Known(std::string_view name) {
  for (std::string_view c : kDriftColumns) {
    if (c == name) return true;
  }
  return false;
}

std::optional<BulkRowError> CheckDriftHeader(const std::vector<std::string_view>& fields) {
  bool account = false;
  for (std::string_view f : fields) {
    if (!Known(f)) return BulkRowError{1, std::string(f), "unknown_column"};
    account = account || f == "external_ref" || f == "account_id";
  }
  if (!account) return BulkRowError{1, "external_ref", "missing_column"};
  return std::nullopt;
}

bool ValidId(std::string_view s) {
  if (s.empty() || s.size() > kMaxDriftToken) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// A field's text: a JSON line's string, or a number for amount_due_minor; a CSV cell as is.
// nullopt (after reporting) for any other JSON value.
std::optional<std::string> Text(const FileRecord& rec, std::string_view key, const json::value& v,
                                const BulkErrorFn& on_error) {
  if (v.is_string()) return std::string(v.as_string());
  if (key == "amount_due_minor" && v.is_int64()) return std::to_string(v.as_int64());
  if (key == "amount_due_minor" && v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_null()) return std::string();
  on_error(
      {rec.row, std::string(key), key == "amount_due_minor" ? "invalid_amount" : "not_a_string"});
  return std::nullopt;
}

// One record into a row; false (after reporting) when it does not read.
bool ReadRow(const FileRecord& rec, ReconciliationRowInput* out, const BulkErrorFn& on_error) {
  auto fail = [&](const char* column, const char* code) {
    on_error({rec.row, column, code});
    return false;
  };
  if (std::optional<std::string> where = CardNumberPath(rec.fields)) {
    on_error({rec.row, *where, "card_number_refused"});
    return false;
  }
  ReconciliationRowInput r;
  r.row = rec.row;
  std::string service_status, account_status, amount;
  for (const auto& [key, value] : rec.fields) {
    if (!Known(key)) {
      on_error({rec.row, std::string(key), "unknown_field"});
      return false;
    }
    std::optional<std::string> text = Text(rec, key, value, on_error);
    if (!text) return false;
    if (key == "external_ref") r.external_ref = std::move(*text);
    if (key == "account_id") r.account_id = std::move(*text);
    if (key == "service_id") r.service_id = std::move(*text);
    if (key == "service_status") service_status = std::move(*text);
    if (key == "account_status") account_status = std::move(*text);
    if (key == "amount_due_minor") amount = std::move(*text);
  }
  if (r.external_ref.empty() && r.account_id.empty())
    return fail("external_ref", "account_required");
  if (!r.external_ref.empty() && !r.account_id.empty())
    return fail("account_id", "account_ambiguous");
  if (r.external_ref.size() > kMaxDriftToken) return fail("external_ref", "invalid_value");
  if (!r.account_id.empty() && !ValidId(r.account_id)) return fail("account_id", "invalid_value");
  if (!r.service_id.empty() && !ValidId(r.service_id)) return fail("service_id", "invalid_value");
  if (!service_status.empty()) {
    r.said.service_status = domain::Parse<domain::ServiceStatus>(service_status);
    if (!r.said.service_status) return fail("service_status", "unknown_state");
    if (r.service_id.empty()) return fail("service_id", "service_required");
  } else if (!r.service_id.empty()) {
    return fail("service_status", "service_status_required");
  }
  if (!account_status.empty()) {
    r.said.account_status = domain::Parse<domain::AccountStatus>(account_status);
    if (!r.said.account_status) return fail("account_status", "unknown_state");
  }
  if (!amount.empty()) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(amount.data(), amount.data() + amount.size(), v);
    if (ec != std::errc() || end != amount.data() + amount.size() || v < 0) {
      return fail("amount_due_minor", "invalid_amount");
    }
    r.said.amount_due_minor = v;
  }
  if (!r.said.service_status && !r.said.account_status && !r.said.amount_due_minor) {
    return fail("", "nothing_to_compare");
  }
  *out = std::move(r);
  return true;
}

}  // namespace

std::optional<BulkRowError> ReadReconciliationFile(std::istream& in, BulkFormat format,
                                                   const BulkReadLimits& limits,
                                                   const ReconciliationRowFn& on_row,
                                                   const BulkErrorFn& on_error) {
  auto on_record = [&](FileRecord&& rec) {
    ReconciliationRowInput r;
    return !ReadRow(rec, &r, on_error) || on_row(std::move(r));
  };
  return ReadRecordFile(in, format, limits, CheckDriftHeader, on_record, on_error);
}

}  // namespace sb::app
