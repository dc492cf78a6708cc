#pragma once

// Holds answers to the API's contract: the OpenAPI document the server embeds and serves
// (http/openapi.h, from api/openapi.yaml). HttpClient checks every answer it receives with
// it, so every functional test also tests the document.

#include <string>
#include <vector>

#include "tests/support/http_client.h"

namespace sb::testing {

// What in the answer to `method target` the document does not describe, one line each;
// empty when it conforms. Looks up the path (a `{param}` segment matches any non-empty
// segment, literal segments win), the method and the status, then checks the body against
// the schema of its media type (JSON bodies through JsonSchemaValidator). An undocumented
// status is a mismatch. A path the document lacks may only answer a problem with 400, 404,
// 413 or 431; a documented path under another method only a problem with 405 (or 400, 413,
// 431, which the server sends before routing).
std::vector<std::string> ContractMismatches(const std::string& method, const std::string& target,
                                            const HttpResponse& answer);

// Every operation the document describes, as "METHOD /path/{pattern}".
std::vector<std::string> DocumentedOperations();

}  // namespace sb::testing
