#pragma once

// The API's contract: api/openapi.yaml, embedded at build time (cmake/embed_openapi.cmake)
// and served as JSON at GET /v1/openapi.json. The functional tests check every answer they
// get against the same document (tests/support/openapi_contract.h).

#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace sb::http {

// The document's YAML text, as it was in api/openapi.yaml when the binary was built.
std::string_view OpenApiYaml();

// The document as a JSON value, converted once (thread-safe) on first use.
const boost::json::value& OpenApiDocument();

// OpenApiDocument serialized, and its strong ETag ("\"<hex>\"", a SHA-256 prefix of that
// text): the same for every call of one binary.
const std::string& OpenApiJson();
const std::string& OpenApiETag();

// The query parameters the document declares for the operation `method` (any case) `path`
// (a route pattern such as "/v1/accounts/{id}"), its path item's and its own, references
// followed; nullopt when the document has no such operation.
std::optional<std::set<std::string>> DeclaredQueryParameters(std::string_view method,
                                                             std::string_view path);

// A YAML node as JSON. Quoted scalars stay strings; plain scalars read as null ("", "~",
// "null"), booleans ("true", "false"), integers and numbers when they spell one, else
// strings. Mapping keys are always strings. Aliases are expanded.
boost::json::value YamlToJson(const YAML::Node& node);

}  // namespace sb::http
