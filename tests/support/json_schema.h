#pragma once

// A JSON Schema validator for the subset the OpenAPI document (api/openapi.yaml) uses, so
// that tests can hold answers to it without a validator library:
//   type (a name or a list, "null" included; "integer" accepts integral numbers), enum,
//   const, properties, required, additionalProperties (false or a schema),
//   unevaluatedProperties (false or a schema; it sees the properties evaluated through
//   allOf, $ref and the passing branches of anyOf/oneOf), items, minItems, maxItems,
//   minLength, maxLength, minimum, maximum, pattern (std::regex ECMAScript, searched),
//   format "date-time" (RFC 3339, loosely), allOf, anyOf, oneOf, and local $ref
//   ("#/components/schemas/X"). Annotations (description, default, title, examples...) are
//   ignored; any other keyword is reported as unsupported rather than silently skipped.

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace sb::testing {

class JsonSchemaValidator {
 public:
  // `root` is the document $refs point into; it must outlive the validator.
  explicit JsonSchemaValidator(const boost::json::value& root) : root_(root) {}

  // What in `instance` does not match `schema`, one line each, naming the JSON path
  // ("$.data[0].status: expected one of [...]"); empty when it matches.
  std::vector<std::string> Validate(const boost::json::value& schema,
                                    const boost::json::value& instance) const;

  // The value a local reference ("#/a/b") names; null when it names nothing.
  const boost::json::value* Resolve(const std::string& ref) const;

 private:
  struct Run;
  const boost::json::value& root_;
};

}  // namespace sb::testing
