#pragma once

// The one strict reader of JSON objects (docs/ARCHITECTURE.md, "HTTP API": unknown fields are
// refused), shared by the HTTP body reader (http/json_reader.h), the request payload readers
// (app/requests/effects/effects_common.h, PayloadReader) and the inbound events' data
// (app/events/event_data.h). Every error is kInvalidArgument naming the field by its full
// path ("payload.name", "data.amount_minor") and never quoting the value sent. Each caller
// keeps the reason codes its clients already see (JsonReasons).

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace sb::app {

// An instant as the API writes it: its RFC 3339 text, or null when unset.
boost::json::value TimeOrNull(const std::optional<Timestamp>& t);

// The reason code of each kind of problem a field can have.
struct JsonReasons {
  std::string wrong_type = "invalid";    // not the JSON type asked for
  std::string empty = "invalid";         // a string shorter than its minimum
  std::string too_long = "invalid";      // a string longer than its maximum
  std::string too_few = "invalid";       // a list with fewer items than its minimum
  std::string too_many = "invalid";      // a list with more items than its maximum
  std::string out_of_range = "invalid";  // an integer outside [min, max]
  std::string duplicate = "invalid";     // an item repeated in a list of distinct items
  std::string missing = "required";      // a required field is absent
};

// How a field sent as JSON null reads.
enum class JsonNull {
  kAbsent,  // as if it were not there
  kValue,   // as a value, which is then of the wrong type
};

// Limits of a list of strings.
struct StringListRules {
  std::size_t min_items = 0;
  std::size_t max_items = 100;
  std::size_t min_length = 0;  // of each item
  std::size_t max_length = 4096;
  bool distinct = false;
};

// Reads the fields of one JSON object. Holds a reference to the object; cheap to copy.
// Thread-compatible.
class JsonFields {
 public:
  // `prefix` ("payload", "data", or "" for a top-level body) leads every param.
  JsonFields(const boost::json::object& o, std::string prefix, JsonNull null = JsonNull::kAbsent,
             JsonReasons reasons = {});

  const boost::json::object& object() const { return o_; }
  // "<prefix>.<field>", or "<field>" without a prefix.
  std::string Path(std::string_view field) const;
  // kInvalidArgument `reason` naming `field`, with `message`.
  Status Error(std::string_view field, std::string message, std::string reason = "invalid") const;
  // Whether `field` is in the object (null included).
  bool Has(std::string_view field) const { return o_.contains(field); }
  // The field's value; null when absent (and when null, under JsonNull::kAbsent).
  const boost::json::value* Find(std::string_view field) const;

  // "unknown_field" naming the first field (in the object's order) that `known` refuses.
  Status OnlyFields(const std::function<bool(std::string_view)>& known) const;
  Status OnlyFields(std::initializer_list<std::string_view> allowed) const;

  // A string of `min_length` to `max_length` bytes; nullopt when absent.
  Result<std::optional<std::string>> String(std::string_view field, std::size_t min_length,
                                            std::size_t max_length) const;
  // As String; absence is reasons.missing.
  Result<std::string> RequiredString(std::string_view field, std::size_t min_length,
                                     std::size_t max_length) const;
  Result<std::optional<bool>> Bool(std::string_view field) const;
  // An integer (no fraction, no exponent) within [min, max].
  Result<std::optional<std::int64_t>> Int(std::string_view field, std::int64_t min,
                                          std::int64_t max) const;
  // A nested object (still owned by this one); null when absent.
  Result<const boost::json::object*> Object(std::string_view field) const;
  // An array of strings within `rules`.
  Result<std::optional<std::vector<std::string>>> StringList(std::string_view field,
                                                             const StringListRules& rules) const;

 private:
  const boost::json::object& o_;
  std::string prefix_;
  JsonNull null_;
  JsonReasons reasons_;
};

// Parses `text` as one JSON object: valid UTF-8, at most 32 levels deep, no key repeated
// within an object (a body must not say two things). Errors (param "" except for a
// repeated key, which is named): "invalid_json" (also for a blank text unless
// `allow_empty`, which reads it as {}), "not_an_object", "duplicate_field".
Result<boost::json::object> ParseJsonObject(std::string_view text, bool allow_empty = false);

}  // namespace sb::app
