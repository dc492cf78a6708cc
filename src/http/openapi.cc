#include "http/openapi.h"

#include <cctype>
#include <charconv>
#include <regex>

#include "crypto/crypto.h"

namespace sb::http {
namespace {

namespace json = boost::json;

// A plain (unquoted) scalar as the YAML 1.2 core schema reads it.
json::value PlainScalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec == std::errc() && end == s.data() + s.size()) return n;
  static const std::regex kNumber(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(s, kNumber)) return std::stod(s);
  return json::value(s);
}

struct Served {
  json::value document;
  std::string text;
  std::string etag;
};

const Served& Document() {
  static const Served served = [] {
    Served s;
    s.document = YamlToJson(YAML::Load(std::string(OpenApiYaml())));
    s.text = json::serialize(s.document);
    s.etag = "\"" + crypto::Hex(crypto::Sha256(s.text)).substr(0, 32) + "\"";
    return s;
  }();
  return served;
}

}  // namespace

json::value YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json::object o;
      for (const auto& kv : node) o[kv.first.Scalar()] = YamlToJson(kv.second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      json::array a;
      for (const auto& item : node) a.push_back(YamlToJson(item));
      return a;
    }
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted and block scalars "!" and plain ones "?".
      if (node.Tag() == "!") return json::value(node.Scalar());
      return PlainScalar(node.Scalar());
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
  }
  return nullptr;
}

const json::value& OpenApiDocument() { return Document().document; }

std::optional<std::set<std::string>> DeclaredQueryParameters(std::string_view method,
                                                             std::string_view path) {
  const json::value& doc = OpenApiDocument();
  const json::value* paths_value = doc.is_object() ? doc.as_object().if_contains("paths") : nullptr;
  const json::object* paths = paths_value ? paths_value->if_object() : nullptr;
  if (paths == nullptr) return std::nullopt;
  const json::value* path_item = paths->if_contains(path);
  std::string op_name(method);
  for (char& c : op_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (path_item == nullptr || !path_item->is_object() ||
      !path_item->as_object().contains(op_name)) {
    return std::nullopt;
  }
  std::set<std::string> names;
  auto collect = [&](const json::value* params) {
    if (params == nullptr || !params->is_array()) return;
    for (const json::value& p : params->as_array()) {
      const json::value* param = &p;
      if (const json::value* ref = p.is_object() ? p.as_object().if_contains("$ref") : nullptr;
          ref != nullptr && ref->is_string()) {
        std::string_view target = ref->as_string();
        if (target.substr(0, 1) != "#") continue;
        boost::system::error_code ec;
        param = doc.find_pointer(target.substr(1), ec);
        if (param == nullptr) continue;
      }
      if (!param->is_object()) continue;
      const json::object& o = param->as_object();
      const json::value* in = o.if_contains("in");
      const json::value* name = o.if_contains("name");
      if (in && name && in->is_string() && name->is_string() && in->as_string() == "query") {
        names.insert(std::string(name->as_string()));
      }
    }
  };
  collect(path_item->as_object().if_contains("parameters"));
  const json::value& op = path_item->as_object().at(op_name);
  if (op.is_object()) collect(op.as_object().if_contains("parameters"));
  return names;
}

const std::string& OpenApiJson() { return Document().text; }

const std::string& OpenApiETag() { return Document().etag; }

}  // namespace sb::http
