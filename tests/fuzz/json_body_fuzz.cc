// libFuzzer target: a JSON request body read as the handlers read it. The strict body reader
// (http/json_reader.h) parses it and asks for fields of every type, nested objects are read
// with the app's strict field reader (app/core/json_fields.h) as request payloads are, and
// the card-number guard (http/card_guard.h) walks it. Any input must give a Status, never a
// crash, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "app/core/json_fields.h"
#include "http/card_guard.h"
#include "http/json_reader.h"

namespace {

using sb::app::JsonFields;
using sb::app::StringListRules;

// Reads a nested object the way request payloads are read, one level further down.
void ReadPayload(const boost::json::object& o, int depth) {
  JsonFields f(o, "payload");
  (void)f.String("name", 1, 200);
  (void)f.RequiredString("reason", 0, 4096);
  (void)f.Int("amount_minor", -1'000'000'000'000, 1'000'000'000'000);
  (void)f.Bool("notify");
  StringListRules rules;
  rules.min_items = 1;
  rules.max_items = 10;
  rules.min_length = 1;
  rules.max_length = 64;
  rules.distinct = true;
  (void)f.StringList("roles", rules);
  (void)f.OnlyFields({"name", "reason", "amount_minor", "notify", "roles", "address"});
  auto nested = f.Object("address");
  if (nested.ok() && *nested != nullptr && depth < 4) ReadPayload(**nested, depth + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)sb::http::CardNumberField(body);
  auto parsed = sb::http::JsonReader::Parse(body, /*allow_empty=*/true);
  if (!parsed.ok()) return 0;
  sb::http::JsonReader r = std::move(parsed).value();
  (void)r.RequiredString("external_ref");
  (void)r.String("type");
  (void)r.Bool("dry_run");
  (void)r.Int("kyc_level", 0, 3);
  (void)r.StringArray("service_ids");
  auto payload = r.Object("payload");
  if (payload) ReadPayload(*payload, 0);
  (void)r.Finish();
  return 0;
}
