#pragma once

// The JSON text both backends store for a list of short strings or of numbers (an endpoint's event
// types, the endpoints that acknowledged a webhook): a JSON array of strings, "[]" when empty.

#include <string>
#include <vector>

namespace sb::storage {

std::string EncodeStringList(const std::vector<std::string>& items);
// Reads what EncodeStringList wrote, in order. Text that is not such an array reads as an
// empty list; elements that are not strings are skipped.
std::vector<std::string> DecodeStringList(const std::string& json);

// The same for numbers (a scoring model's coefficients): a JSON array of numbers, or one
// number, written so that each reads back exactly. Decoding what is not such text gives an
// empty list, or 0.
std::string EncodeNumberList(const std::vector<double>& items);
std::vector<double> DecodeNumberList(const std::string& json);
std::string EncodeNumber(double v);
double DecodeNumber(const std::string& json);

}  // namespace sb::storage
