#include "http/json_reader.h"

#include <boost/json/basic_parser_impl.hpp>
#include <utility>

namespace sb::http {
namespace {

// SAX handler that only notes the first key repeated within one object (boost::json keeps
// the last value of a repeated key silently, which would let a body say two things).
struct DuplicateKeyFinder {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  using ec_t = boost::system::error_code;
  using sv = boost::json::string_view;

  std::vector<std::set<std::string>> objects;
  std::string key;
  std::string duplicate;

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_object_begin(ec_t&) {
    objects.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, ec_t&) {
    objects.pop_back();
    return true;
  }
  bool on_array_begin(ec_t&) { return true; }
  bool on_array_end(std::size_t, ec_t&) { return true; }
  bool on_key_part(sv s, std::size_t, ec_t&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(sv s, std::size_t, ec_t&) {
    key.append(s.data(), s.size());
    if (!objects.back().insert(key).second && duplicate.empty()) duplicate = key;
    key.clear();
    return true;
  }
  bool on_string_part(sv, std::size_t, ec_t&) { return true; }
  bool on_string(sv, std::size_t, ec_t&) { return true; }
  bool on_number_part(sv, ec_t&) { return true; }
  bool on_int64(std::int64_t, sv, ec_t&) { return true; }
  bool on_uint64(std::uint64_t, sv, ec_t&) { return true; }
  bool on_double(double, sv, ec_t&) { return true; }
  bool on_bool(bool, ec_t&) { return true; }
  bool on_null(ec_t&) { return true; }
  bool on_comment_part(sv, ec_t&) { return true; }
  bool on_comment(sv, ec_t&) { return true; }
};

// The first key repeated inside one object of `body` (already known to be valid JSON).
std::string FindDuplicateKey(std::string_view body, const boost::json::parse_options& opts) {
  boost::json::basic_parser<DuplicateKeyFinder> p(opts);
  boost::system::error_code ec;
  p.write_some(false, body.data(), body.size(), ec);
  return p.handler().duplicate;
}

}  // namespace

Result<JsonReader> JsonReader::Parse(std::string_view body, bool allow_empty) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    if (allow_empty) return JsonReader(boost::json::object{});
    return Status::Invalid("", "A JSON object body is required.", "invalid_json");
  }
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 32;
  boost::json::value v = boost::json::parse(body, ec, {}, opts);
  if (ec) {
    return Status::Invalid("", "The body is not valid JSON (" + ec.message() + ").",
                           "invalid_json");
  }
  if (!v.is_object())
    return Status::Invalid("", "The body must be a JSON object.", "not_an_object");
  if (std::string dup = FindDuplicateKey(body, opts); !dup.empty()) {
    return Status::Invalid(dup, "Field '" + dup + "' appears more than once.", "duplicate_field");
  }
  return JsonReader(std::move(v.as_object()));
}

void JsonReader::Fail(Status s) {
  if (first_error_.ok()) first_error_ = std::move(s);
}

const boost::json::value* JsonReader::Find(const char* name) {
  seen_.insert(name);
  const boost::json::value* v = obj_.if_contains(name);
  if (v == nullptr || v->is_null()) return nullptr;
  return v;
}

std::optional<std::string> JsonReader::AsString(const char* name, const boost::json::value& v) {
  if (!v.is_string()) {
    Fail(
        Status::Invalid(name, std::string("Field '") + name + "' must be a string.", "wrong_type"));
    return std::nullopt;
  }
  const boost::json::string& s = v.as_string();
  if (s.size() > kMaxStringLength) {
    Fail(Status::Invalid(name, std::string("Field '") + name + "' is too long.", "too_long"));
    return std::nullopt;
  }
  return std::string(s.data(), s.size());
}

std::string JsonReader::RequiredString(const char* name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) {
    Fail(Status::Invalid(name, std::string("Field '") + name + "' is required.", "missing_field"));
    return {};
  }
  return AsString(name, *v).value_or("");
}

std::optional<std::string> JsonReader::String(const char* name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  return AsString(name, *v);
}

std::optional<bool> JsonReader::Bool(const char* name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    Fail(Status::Invalid(name, std::string("Field '") + name + "' must be a boolean.",
                         "wrong_type"));
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::int64_t> JsonReader::Int(const char* name, std::int64_t min, std::int64_t max) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  std::int64_t n = 0;
  if (v->is_int64()) {
    n = v->as_int64();
  } else if (v->is_uint64()) {
    Fail(Status::Invalid(name, std::string("Field '") + name + "' is out of range.",
                         "out_of_range"));
    return std::nullopt;
  } else {
    Fail(Status::Invalid(name, std::string("Field '") + name + "' must be an integer.",
                         "wrong_type"));
    return std::nullopt;
  }
  if (n < min || n > max) {
    Fail(Status::Invalid(name,
                         std::string("Field '") + name + "' must be between " +
                             std::to_string(min) + " and " + std::to_string(max) + ".",
                         "out_of_range"));
    return std::nullopt;
  }
  return n;
}

std::optional<std::vector<std::string>> JsonReader::StringArray(const char* name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array() || v->as_array().size() > 100) {
    Fail(Status::Invalid(name, std::string("Field '") + name + "' must be an array of strings.",
                         "wrong_type"));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    std::optional<std::string> s = AsString(name, item);
    if (!s) return std::nullopt;
    out.push_back(std::move(*s));
  }
  return out;
}

std::optional<boost::json::object> JsonReader::Object(const char* name) {
  const boost::json::value* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    Fail(Status::Invalid(name, std::string("Field '") + name + "' must be an object.",
                         "wrong_type"));
    return std::nullopt;
  }
  return v->as_object();
}

Status JsonReader::Finish() const {
  if (!first_error_.ok()) return first_error_;
  for (const auto& [key, value] : obj_) {
    std::string k(key.data(), key.size());
    if (!seen_.count(k)) {
      return Status::Invalid(k, "Unknown field '" + k + "'.", "unknown_field");
    }
  }
  return Status::Ok();
}

}  // namespace sb::http
