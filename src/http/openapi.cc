#include "http/openapi.h"

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

const std::string& OpenApiJson() { return Document().text; }

const std::string& OpenApiETag() { return Document().etag; }

}  // namespace sb::http
