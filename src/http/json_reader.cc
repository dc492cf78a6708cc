#include "http/json_reader.h"

#include <utility>

namespace sb::http {
namespace {

// The reason codes HTTP clients see for each problem (a payload's readers say "invalid").
app::JsonReasons HttpReasons() {
  app::JsonReasons r;
  r.wrong_type = "wrong_type";
  r.too_many = "wrong_type";
  r.too_long = "too_long";
  r.out_of_range = "out_of_range";
  r.missing = "missing_field";
  return r;
}

}  // namespace

Result<JsonReader> JsonReader::Parse(std::string_view body, bool allow_empty) {
  SB_ASSIGN_OR_RETURN(boost::json::object obj, app::ParseJsonObject(body, allow_empty));
  return JsonReader(std::move(obj));
}

app::JsonFields JsonReader::Read(const char* name) {
  seen_.insert(name);
  return app::JsonFields(obj_, "", app::JsonNull::kAbsent, HttpReasons());
}

template <typename T>
std::optional<T> JsonReader::Take(Result<std::optional<T>> r) {
  if (!r.ok()) {
    if (first_error_.ok()) first_error_ = r.status();
    return std::nullopt;
  }
  return std::move(*r);
}

std::string JsonReader::RequiredString(const char* name, std::size_t max_length) {
  Result<std::string> r = Read(name).RequiredString(name, 0, max_length);
  if (!r.ok()) {
    if (first_error_.ok()) first_error_ = r.status();
    return {};
  }
  return std::move(*r);
}

std::optional<std::string> JsonReader::String(const char* name, std::size_t max_length) {
  return Take(Read(name).String(name, 0, max_length));
}

std::optional<bool> JsonReader::Bool(const char* name) { return Take(Read(name).Bool(name)); }

std::optional<std::int64_t> JsonReader::Int(const char* name, std::int64_t min, std::int64_t max) {
  return Take(Read(name).Int(name, min, max));
}

std::optional<std::vector<std::string>> JsonReader::StringArray(const char* name) {
  return Take(Read(name).StringList(name, app::StringListRules{}));
}

std::optional<boost::json::object> JsonReader::Object(const char* name) {
  Result<const boost::json::object*> r = Read(name).Object(name);
  if (!r.ok()) {
    if (first_error_.ok()) first_error_ = r.status();
    return std::nullopt;
  }
  if (*r == nullptr) return std::nullopt;
  return **r;
}

Status JsonReader::Finish() const {
  if (!first_error_.ok()) return first_error_;
  app::JsonFields fields(obj_, "");
  return fields.OnlyFields([&](std::string_view key) { return seen_.count(std::string(key)) > 0; });
}

}  // namespace sb::http
