#pragma once

// The JSON text both backends store for a request's decisions and comments (columns
// decisions_json and comments_json). Actors are {"type","id","role"} with role null when
// absent; times are epoch milliseconds:
//   decisions: [{"actor":{...},"approved":true,"reason_code":"..","comment":"..","at":..},...]
//   comments:  [{"actor":{...},"text":"..","at":..},...]

#include <string>
#include <vector>

#include "domain/model.h"

namespace sb::storage {

// Encodes `decisions` as a JSON array ("[]" when empty), in order.
std::string EncodeDecisions(const std::vector<domain::Decision>& decisions);
// Reads what EncodeDecisions wrote. Text that is not such an array reads as no decisions;
// fields missing from an element keep their defaults.
std::vector<domain::Decision> DecodeDecisions(const std::string& json);

// Encodes `comments` as a JSON array ("[]" when empty), in order.
std::string EncodeComments(const std::vector<domain::RequestComment>& comments);
// Reads what EncodeComments wrote, with the same tolerance as DecodeDecisions.
std::vector<domain::RequestComment> DecodeComments(const std::string& json);

}  // namespace sb::storage
