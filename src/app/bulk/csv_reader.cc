// The streaming CSV reader (csv_reader.h): one byte at a time through a small state machine,
// so that a record split across any number of pieces reads the same as one piece.
#include "app/bulk/csv_reader.h"

namespace sb::app {
namespace {

constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};

}  // namespace

bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

bool CsvReader::Fail(const char* code) {
  failed_ = true;
  error_.row = row_;
  error_.column = static_cast<std::int64_t>(ends_.size()) + 1;
  error_.code = code;
  return false;
}

bool CsvReader::Append(char c) {
  if (record_.size() - field_start_ >= limits_.max_field_bytes) return Fail("field_too_large");
  if (record_.size() >= limits_.max_record_bytes) return Fail("record_too_large");
  record_.push_back(c);
  return true;
}

bool CsvReader::EndField() {
  std::string_view field(record_.data() + field_start_, record_.size() - field_start_);
  if (!IsValidUtf8(field)) return Fail("invalid_utf8");
  if (ends_.size() >= limits_.max_fields) return Fail("too_many_fields");
  ends_.push_back(record_.size());
  field_start_ = record_.size();
  return true;
}

bool CsvReader::EndRecord(const RecordFn& on_record) {
  if (!EndField()) return false;
  views_.clear();
  std::size_t start = 0;
  for (std::size_t end : ends_) {
    views_.emplace_back(record_.data() + start, end - start);
    start = end;
  }
  bool go_on = on_record(row_, views_);
  ++row_;
  record_.clear();
  ends_.clear();
  field_start_ = 0;
  state_ = State::kFieldStart;
  if (!go_on) {
    --row_;
    return Fail("stopped");
  }
  return true;
}

bool CsvReader::Byte(char c, const RecordFn& on_record) {
  switch (state_) {
    case State::kAfterCr:
      // A CR ends a record only with its LF; alone it is refused rather than guessed at.
      if (c != '\n') return Fail("stray_carriage_return");
      return EndRecord(on_record);
    case State::kFieldStart:
      if (c == '"') {
        state_ = State::kQuoted;
        return true;
      }
      state_ = State::kUnquoted;
      [[fallthrough]];
    case State::kUnquoted:
      if (c == ',') {
        state_ = State::kFieldStart;
        return EndField();
      }
      if (c == '\n') return EndRecord(on_record);
      if (c == '\r') {
        state_ = State::kAfterCr;
        return true;
      }
      if (c == '"') return Fail("quote_in_unquoted_field");
      return Append(c);
    case State::kQuoted:
      if (c == '"') {
        state_ = State::kQuoteInQuoted;
        return true;
      }
      return Append(c);
    case State::kQuoteInQuoted:
      if (c == '"') {
        state_ = State::kQuoted;
        return Append('"');
      }
      if (c == ',') {
        state_ = State::kFieldStart;
        return EndField();
      }
      if (c == '\n') return EndRecord(on_record);
      if (c == '\r') {
        state_ = State::kAfterCr;
        return true;
      }
      return Fail("text_after_quote");
  }
  return true;
}

bool CsvReader::Feed(std::string_view bytes, const RecordFn& on_record) {
  if (failed_ || done_) return !failed_;
  // The byte order mark spreadsheets put first, matched even across pieces.
  while (!bom_checked_ && !bytes.empty()) {
    if (static_cast<unsigned char>(bytes.front()) == kBom[bom_seen_]) {
      bytes.remove_prefix(1);
      if (++bom_seen_ == sizeof(kBom)) bom_checked_ = true;
      continue;
    }
    bom_checked_ = true;
    // A partial mark was data after all: it is not valid UTF-8 on its own.
    for (std::size_t i = 0; i < bom_seen_; ++i) {
      if (!Byte(static_cast<char>(kBom[i]), on_record)) return false;
    }
  }
  for (char c : bytes) {
    if (!Byte(c, on_record)) return false;
  }
  return true;
}

bool CsvReader::Finish(const RecordFn& on_record) {
  if (failed_ || done_) return !failed_;
  done_ = true;
  if (!bom_checked_ && bom_seen_ > 0) {
    bom_checked_ = true;
    for (std::size_t i = 0; i < bom_seen_; ++i) {
      if (!Byte(static_cast<char>(kBom[i]), on_record)) return false;
    }
  }
  switch (state_) {
    case State::kQuoted:
      return Fail("unterminated_quote");
    case State::kAfterCr:
      return EndRecord(on_record);
    case State::kFieldStart:
      // Nothing after the last line end: no record. A trailing separator ("a,") is one.
      if (record_.empty() && ends_.empty()) return true;
      return EndRecord(on_record);
    default:
      return EndRecord(on_record);
  }
}

}  // namespace sb::app
