#pragma once

// Strict reading of JSON request bodies: the body must be one JSON object of valid UTF-8;
// each field is read with its expected type; fields nobody read are refused. Every error
// is a 400 Status naming the field in `param`. Built on the app's one strict reader
// (app/core/json_fields.h), with the reason codes of the HTTP API.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/core/json_fields.h"
#include "common/status.h"

namespace sb::http {

// Longest string accepted in any field.
constexpr std::size_t kMaxStringLength = 4096;

// Reads fields of one JSON object. Each getter records the first problem; Finish reports it
// (or the first unknown field). Not thread-safe.
class JsonReader {
 public:
  // Parses `body`. An empty body reads as {} when `allow_empty`. Errors: "invalid_json",
  // "not_an_object".
  static Result<JsonReader> Parse(std::string_view body, bool allow_empty = false);

  // Required string; "missing_field" when absent, "wrong_type" when not a string, "too_long"
  // past `max_length` bytes.
  std::string RequiredString(const char* name, std::size_t max_length = kMaxStringLength);
  // Whether the body names `name` at all (null included): for a field whose null means
  // something other than its absence.
  bool Has(const char* name) const { return obj_.contains(name); }
  // Optional fields: absent or null give nullopt.
  std::optional<std::string> String(const char* name, std::size_t max_length = kMaxStringLength);
  std::optional<bool> Bool(const char* name);
  // Integer within [min, max]; "out_of_range" otherwise, "wrong_type" for fractions.
  std::optional<std::int64_t> Int(const char* name, std::int64_t min, std::int64_t max);
  // A nested object, kept as is (its fields are checked by whoever reads it).
  std::optional<boost::json::object> Object(const char* name);
  // Array of strings.
  std::optional<std::vector<std::string>> StringArray(const char* name);

  // The first problem, else "unknown_field" for a field no getter asked for, else OK.
  Status Finish() const;

 private:
  explicit JsonReader(boost::json::object obj) : obj_(std::move(obj)) {}
  // The fields (with the HTTP reason codes), `name` marked as read. The result refers to
  // obj_: used within one call, never kept (a JsonReader moves).
  app::JsonFields Read(const char* name);
  // The value of `r`, or nullopt after recording its error.
  template <typename T>
  std::optional<T> Take(Result<std::optional<T>> r);

  boost::json::object obj_;
  std::set<std::string> seen_;
  Status first_error_;
};

}  // namespace sb::http
