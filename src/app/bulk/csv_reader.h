#pragma once

// A streaming reader of CSV (RFC 4180 as spreadsheets write it): bytes are fed in pieces of
// any size and each complete record is handed out as soon as its last byte arrives, so an
// upload is never held whole. It accepts what spreadsheet programs produce (a UTF-8 byte
// order mark, CRLF or LF line ends, quoted fields holding commas, quotes ("") and line
// breaks) and stops at the first thing it cannot read, naming the row and column: a quote
// inside an unquoted field, text after a closing quote, a quoted field never closed, bytes
// that are not UTF-8, a field, record or row count over its limit. Pure and allocation-bounded
// by CsvLimits; not thread-safe (one reader per upload).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::app {

struct CsvLimits {
  std::size_t max_field_bytes = 64 * 1024;
  std::size_t max_fields = 256;                // per record
  std::size_t max_record_bytes = 1024 * 1024;  // all fields of one record together
};

// Where and why reading stopped. `row` counts records from 1 (the header is row 1);
// `column` counts fields from 1 within it. `code` is stable: "invalid_utf8",
// "quote_in_unquoted_field", "text_after_quote", "unterminated_quote", "field_too_large",
// "too_many_fields", "record_too_large", or "stopped" (the callback asked to stop).
struct CsvError {
  std::int64_t row = 0;
  std::int64_t column = 0;
  std::string code;
};

class CsvReader {
 public:
  // One record's fields (views into the reader's buffer, valid during the call only) and its
  // row number. Return false to stop reading.
  using RecordFn = std::function<bool(std::int64_t row, const std::vector<std::string_view>&)>;

  explicit CsvReader(CsvLimits limits = {}) : limits_(limits) {}
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next piece of input, calling `on_record` for each record it completes. Returns
  // false once reading has failed (error() says where); later calls do nothing.
  bool Feed(std::string_view bytes, const RecordFn& on_record);
  // The end of input: completes a last record that has no line end. Returns false on failure.
  bool Finish(const RecordFn& on_record);

  const CsvError& error() const { return error_; }
  // Records handed out so far.
  std::int64_t rows() const { return row_ - 1; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterCr };

  bool Fail(const char* code);
  bool Byte(char c, const RecordFn& on_record);
  bool Append(char c);
  bool EndField();
  bool EndRecord(const RecordFn& on_record);

  CsvLimits limits_;
  State state_ = State::kFieldStart;
  bool failed_ = false;
  bool done_ = false;
  std::size_t bom_seen_ = 0;  // bytes of the leading byte order mark matched so far
  bool bom_checked_ = false;
  std::string record_;             // the record's fields, end to end
  std::vector<std::size_t> ends_;  // where each finished field ends in record_
  std::size_t field_start_ = 0;
  std::int64_t row_ = 1;
  CsvError error_;
  std::vector<std::string_view> views_;
};

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(std::string_view s);

}  // namespace sb::app
