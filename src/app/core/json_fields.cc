#include "app/core/json_fields.h"

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <set>
#include <utility>

#include "domain/card_numbers.h"

namespace sb::app {

namespace json = boost::json;

JsonFields::JsonFields(const json::object& o, std::string prefix, JsonNull null,
                       JsonReasons reasons)
    : o_(o), prefix_(std::move(prefix)), null_(null), reasons_(std::move(reasons)) {}

std::string JsonFields::Path(std::string_view field) const {
  if (prefix_.empty()) return std::string(field);
  return prefix_ + "." + std::string(field);
}

Status JsonFields::Error(std::string_view field, std::string message, std::string reason) const {
  return Status::Invalid(Path(field), std::move(message), std::move(reason));
}

const json::value* JsonFields::Find(std::string_view field) const {
  const json::value* v = o_.if_contains(field);
  if (v == nullptr || (v->is_null() && null_ == JsonNull::kAbsent)) return nullptr;
  return v;
}

Status JsonFields::OnlyFields(const std::function<bool(std::string_view)>& known) const {
  for (const auto& kv : o_) {
    if (!known(kv.key())) {
      return Error(kv.key(), "Unknown field '" + Path(kv.key()) + "'.", "unknown_field");
    }
  }
  return Status::Ok();
}

Status JsonFields::OnlyFields(std::initializer_list<std::string_view> allowed) const {
  return OnlyFields([&](std::string_view key) {
    return std::find(allowed.begin(), allowed.end(), key) != allowed.end();
  });
}

Result<std::optional<std::string>> JsonFields::String(std::string_view field,
                                                      std::size_t min_length,
                                                      std::size_t max_length) const {
  const json::value* v = Find(field);
  if (v == nullptr) return std::optional<std::string>();
  std::string path = Path(field);
  if (!v->is_string()) return Error(field, path + " must be a string.", reasons_.wrong_type);
  const json::string& s = v->as_string();
  if (s.size() < min_length) {
    return Error(field, path + " must be at least " + std::to_string(min_length) + " bytes.",
                 reasons_.empty);
  }
  if (s.size() > max_length) {
    return Error(field, path + " must be at most " + std::to_string(max_length) + " bytes.",
                 reasons_.too_long);
  }
  return std::optional<std::string>(std::string(s.data(), s.size()));
}

Result<std::string> JsonFields::RequiredString(std::string_view field, std::size_t min_length,
                                               std::size_t max_length) const {
  SB_ASSIGN_OR_RETURN(std::optional<std::string> s, String(field, min_length, max_length));
  if (!s) return Error(field, Path(field) + " is required.", reasons_.missing);
  return std::move(*s);
}

Result<std::optional<bool>> JsonFields::Bool(std::string_view field) const {
  const json::value* v = Find(field);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_bool())
    return Error(field, Path(field) + " must be true or false.", reasons_.wrong_type);
  return std::optional<bool>(v->as_bool());
}

Result<std::optional<std::int64_t>> JsonFields::Int(std::string_view field, std::int64_t min,
                                                    std::int64_t max) const {
  const json::value* v = Find(field);
  if (v == nullptr) return std::optional<std::int64_t>();
  std::string range = Path(field) + " must be an integer from " + std::to_string(min) + " to " +
                      std::to_string(max) + ".";
  // A uint64 is above every int64 maximum.
  if (v->is_uint64()) return Error(field, range, reasons_.out_of_range);
  if (!v->is_int64()) return Error(field, range, reasons_.wrong_type);
  std::int64_t n = v->as_int64();
  if (n < min || n > max) return Error(field, range, reasons_.out_of_range);
  return std::optional<std::int64_t>(n);
}

Result<const json::object*> JsonFields::Object(std::string_view field) const {
  const json::value* v = Find(field);
  if (v == nullptr) return static_cast<const json::object*>(nullptr);
  if (!v->is_object())
    return Error(field, Path(field) + " must be an object.", reasons_.wrong_type);
  return &v->as_object();
}

Result<std::optional<std::vector<std::string>>> JsonFields::StringList(
    std::string_view field, const StringListRules& rules) const {
  const json::value* v = Find(field);
  if (v == nullptr) return std::optional<std::vector<std::string>>();
  std::string what = Path(field) + " must be a list of " + std::to_string(rules.min_items) +
                     " to " + std::to_string(rules.max_items) + " strings" +
                     (rules.distinct ? ", each once." : ".");
  if (!v->is_array()) return Error(field, what, reasons_.wrong_type);
  const json::array& a = v->as_array();
  if (a.size() < rules.min_items) return Error(field, what, reasons_.too_few);
  if (a.size() > rules.max_items) return Error(field, what, reasons_.too_many);
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const json::value& item : a) {
    if (!item.is_string()) return Error(field, what, reasons_.wrong_type);
    const json::string& s = item.as_string();
    if (s.size() < rules.min_length) return Error(field, what, reasons_.empty);
    if (s.size() > rules.max_length) return Error(field, what, reasons_.too_long);
    std::string text(s.data(), s.size());
    if (rules.distinct && !seen.insert(text).second) return Error(field, what, reasons_.duplicate);
    out.push_back(std::move(text));
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

namespace {

// SAX handler that only notes the first key repeated within one object (boost::json keeps
// the last value of a repeated key silently, which would let a body say two things).
struct DuplicateKeyFinder {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  using ec_t = boost::system::error_code;
  using sv = json::string_view;

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

// The first key repeated inside one object of `text` (already known to be valid JSON).
std::string FindDuplicateKey(std::string_view text, const json::parse_options& opts) {
  json::basic_parser<DuplicateKeyFinder> p(opts);
  boost::system::error_code ec;
  p.write_some(false, text.data(), text.size(), ec);
  return p.handler().duplicate;
}

}  // namespace

Result<json::object> ParseJsonObject(std::string_view text, bool allow_empty) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    if (allow_empty) return json::object{};
    return Status::Invalid("", "A JSON object body is required.", "invalid_json");
  }
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 32;
  json::value v = json::parse(text, ec, {}, opts);
  if (ec) {
    return Status::Invalid("", "The body is not valid JSON (" + ec.message() + ").",
                           "invalid_json");
  }
  if (!v.is_object())
    return Status::Invalid("", "The body must be a JSON object.", "not_an_object");
  if (std::string dup = FindDuplicateKey(text, opts); !dup.empty()) {
    // The key is the caller's text, read before any card check: never echoed with a card number.
    dup = domain::MaskCardNumbers(dup);
    return Status::Invalid(dup, "Field '" + dup + "' appears more than once.", "duplicate_field");
  }
  return std::move(v.as_object());
}

boost::json::value TimeOrNull(const std::optional<Timestamp>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatRfc3339(*t));
}

}  // namespace sb::app
