#pragma once

// The JSON text both backends store for a list of short strings (an endpoint's event types,
// the endpoints that acknowledged a webhook): a JSON array of strings, "[]" when empty.

#include <string>
#include <vector>

namespace sb::storage {

std::string EncodeStringList(const std::vector<std::string>& items);
// Reads what EncodeStringList wrote, in order. Text that is not such an array reads as an
// empty list; elements that are not strings are skipped.
std::vector<std::string> DecodeStringList(const std::string& json);

}  // namespace sb::storage
