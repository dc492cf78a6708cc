#include "app/bulk/bulk_results.h"

namespace sb::app {
namespace {

// A CSV field, quoted when it needs to be.
std::string CsvField(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string ResultsCsvHeader() {
  return "row,state,account_id,request_id,request_state,error_code,error_column\r\n";
}

std::string ResultsCsvLine(const domain::BulkRow& row, domain::BulkJobState job_state) {
  std::string state(domain::BulkRowStateName(row.state));
  if (row.state == domain::BulkRowState::kPending &&
      job_state == domain::BulkJobState::kCancelled) {
    state = "cancelled";
  }
  return std::to_string(row.row_no) + "," + state + "," + CsvField(row.account_id) + "," +
         CsvField(row.request_id) + "," + CsvField(row.request_state) + "," +
         CsvField(row.error_code) + "," + CsvField(row.error_param) + "\r\n";
}

}  // namespace sb::app
