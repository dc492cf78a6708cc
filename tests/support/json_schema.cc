#include "tests/support/json_schema.h"

#include <regex>
#include <set>

namespace sb::testing {
namespace {

namespace json = boost::json;

const std::set<std::string, std::less<>>& Annotations() {
  static const std::set<std::string, std::less<>> names = {"description", "default",   "title",
                                                           "examples",    "example",   "deprecated",
                                                           "readOnly",    "writeOnly", "$comment"};
  return names;
}

std::string Show(const json::value& v) {
  std::string s = json::serialize(v);
  return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

bool IsInteger(const json::value& v) {
  if (v.is_int64() || v.is_uint64()) return true;
  return v.is_double() &&
         v.as_double() == static_cast<double>(static_cast<long long>(v.as_double()));
}

bool IsNumber(const json::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

double Number(const json::value& v) { return v.to_number<double>(); }

bool HasType(const json::value& v, std::string_view type) {
  if (type == "null") return v.is_null();
  if (type == "boolean") return v.is_bool();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "integer") return IsInteger(v);
  if (type == "number") return IsNumber(v);
  return false;
}

// Numbers compare by value (1 == 1.0), everything else structurally.
bool Equal(const json::value& a, const json::value& b) {
  if (IsNumber(a) && IsNumber(b)) return Number(a) == Number(b);
  return a == b;
}

bool IsDateTime(const std::string& s) {
  static const std::regex kRfc3339(
      R"(^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$)");
  return std::regex_match(s, kRfc3339);
}

}  // namespace

struct JsonSchemaValidator::Run {
  const JsonSchemaValidator& v;
  std::vector<std::string>* errors;

  void Fail(const std::string& path, const std::string& what) {
    errors->push_back(path + ": " + what);
  }

  // Checks `inst` against `schema`; adds to `evaluated` the property names of `inst` the
  // schema evaluated (for unevaluatedProperties of an enclosing schema).
  void Check(const json::value& schema, const json::value& inst, const std::string& path,
             std::set<std::string>* evaluated, int depth) {
    if (depth > 64) return Fail(path, "schema nests too deep (a $ref cycle?)");
    if (schema.is_bool()) {
      if (!schema.as_bool()) Fail(path, "no value is allowed here");
      return;
    }
    if (!schema.is_object()) return Fail(path, "the schema is not an object");
    const json::object& s = schema.as_object();
    std::set<std::string> mine;  // evaluated here, for this schema's unevaluatedProperties
    for (const auto& [key, arg] : s) {
      if (key == "$ref") {
        const json::value* target = v.Resolve(std::string(arg.as_string()));
        if (!target) return Fail(path, "unresolved $ref " + Show(arg));
        Check(*target, inst, path, &mine, depth + 1);
      } else if (key == "type") {
        bool ok = false;
        if (arg.is_string()) {
          ok = HasType(inst, arg.as_string());
        } else {
          for (const auto& t : arg.as_array()) ok = ok || HasType(inst, t.as_string());
        }
        if (!ok) Fail(path, "expected type " + Show(arg) + ", got " + Show(inst));
      } else if (key == "enum") {
        bool ok = false;
        for (const auto& e : arg.as_array()) ok = ok || Equal(e, inst);
        if (!ok) Fail(path, "expected one of " + Show(arg) + ", got " + Show(inst));
      } else if (key == "const") {
        if (!Equal(arg, inst)) Fail(path, "expected " + Show(arg) + ", got " + Show(inst));
      } else if (key == "properties") {
        if (!inst.is_object()) continue;
        for (const auto& [name, sub] : arg.as_object()) {
          const json::value* field = inst.as_object().if_contains(name);
          mine.insert(std::string(name));
          if (field) Check(sub, *field, path + "." + std::string(name), nullptr, depth + 1);
        }
      } else if (key == "required") {
        if (!inst.is_object()) continue;
        for (const auto& name : arg.as_array()) {
          if (!inst.as_object().contains(name.as_string())) {
            Fail(path, "missing required property '" + std::string(name.as_string()) + "'");
          }
        }
      } else if (key == "additionalProperties") {
        if (!inst.is_object()) continue;
        const json::value* props = s.if_contains("properties");
        for (const auto& [name, field] : inst.as_object()) {
          if (props && props->as_object().contains(name)) continue;
          mine.insert(std::string(name));
          if (arg.is_bool() && !arg.as_bool()) {
            Fail(path, "property '" + std::string(name) + "' is not in the schema");
          } else {
            Check(arg, field, path + "." + std::string(name), nullptr, depth + 1);
          }
        }
      } else if (key == "unevaluatedProperties") {
        continue;  // after every other keyword, below
      } else if (key == "items") {
        if (!inst.is_array()) continue;
        const json::array& a = inst.as_array();
        for (size_t i = 0; i < a.size(); ++i) {
          Check(arg, a[i], path + "[" + std::to_string(i) + "]", nullptr, depth + 1);
        }
      } else if (key == "minItems" || key == "maxItems") {
        if (!inst.is_array()) continue;
        auto n = static_cast<std::int64_t>(inst.as_array().size());
        if (key == "minItems" ? n < arg.to_number<std::int64_t>()
                              : n > arg.to_number<std::int64_t>()) {
          Fail(path, std::string(key) + " " + Show(arg) + ", got " + std::to_string(n) + " items");
        }
      } else if (key == "minLength" || key == "maxLength") {
        if (!inst.is_string()) continue;
        auto n = static_cast<std::int64_t>(inst.as_string().size());
        if (key == "minLength" ? n < arg.to_number<std::int64_t>()
                               : n > arg.to_number<std::int64_t>()) {
          Fail(path, std::string(key) + " " + Show(arg) + ", got " + Show(inst));
        }
      } else if (key == "minimum" || key == "maximum") {
        if (!IsNumber(inst)) continue;
        if (key == "minimum" ? Number(inst) < Number(arg) : Number(inst) > Number(arg)) {
          Fail(path, std::string(key) + " " + Show(arg) + ", got " + Show(inst));
        }
      } else if (key == "pattern") {
        if (!inst.is_string()) continue;
        std::regex re(std::string(arg.as_string()), std::regex::ECMAScript);
        if (!std::regex_search(std::string(inst.as_string()), re)) {
          Fail(path, "does not match pattern " + Show(arg) + ": " + Show(inst));
        }
      } else if (key == "format") {
        if (arg.as_string() == "date-time" && inst.is_string() &&
            !IsDateTime(std::string(inst.as_string()))) {
          Fail(path, "expected an RFC 3339 date-time, got " + Show(inst));
        }
      } else if (key == "allOf") {
        for (const auto& sub : arg.as_array()) Check(sub, inst, path, &mine, depth + 1);
      } else if (key == "anyOf" || key == "oneOf") {
        int passed = 0;
        std::vector<std::string> why;
        for (const auto& sub : arg.as_array()) {
          std::vector<std::string> branch;
          std::set<std::string> seen;
          Run{v, &branch}.Check(sub, inst, path, &seen, depth + 1);
          if (branch.empty()) {
            ++passed;
            mine.insert(seen.begin(), seen.end());
          } else {
            why.push_back(branch.front());
          }
        }
        if (passed == 0) {
          std::string all;
          for (const auto& w : why) all += (all.empty() ? "" : "; ") + w;
          Fail(path, "matches none of " + std::string(key) + " (" + all + ")");
        } else if (key == "oneOf" && passed > 1) {
          Fail(path, "matches " + std::to_string(passed) + " branches of oneOf, not one");
        }
      } else if (!Annotations().count(key)) {
        Fail(path, "the schema uses '" + std::string(key) + "', which the validator lacks");
      }
    }
    if (const json::value* rest = s.if_contains("unevaluatedProperties");
        rest && inst.is_object()) {
      for (const auto& [name, field] : inst.as_object()) {
        if (mine.count(std::string(name))) continue;
        if (rest->is_bool() && !rest->as_bool()) {
          Fail(path, "property '" + std::string(name) + "' is not in the schema");
        } else {
          Check(*rest, field, path + "." + std::string(name), nullptr, depth + 1);
        }
        mine.insert(std::string(name));
      }
    }
    if (evaluated) evaluated->insert(mine.begin(), mine.end());
  }
};

std::vector<std::string> JsonSchemaValidator::Validate(const json::value& schema,
                                                       const json::value& instance) const {
  std::vector<std::string> errors;
  Run{*this, &errors}.Check(schema, instance, "$", nullptr, 0);
  return errors;
}

const json::value* JsonSchemaValidator::Resolve(const std::string& ref) const {
  if (ref.rfind("#", 0) != 0) return nullptr;
  if (ref == "#") return &root_;
  boost::system::error_code ec;
  const json::value* found = root_.find_pointer(ref.substr(1), ec);
  return ec ? nullptr : found;
}

}  // namespace sb::testing
