// Helpers shared by the request effects (effects_common.h). The payload readers are the
// app's one strict JSON reader (app/core/json_fields.h) with the payload's conventions.
#include "app/requests/effects/effects_common.h"

#include "app/core/json_fields.h"

namespace sb::app::effects {

namespace json = boost::json;

namespace {

// A payload's fields: null reads as absent; every problem is "invalid" but a missing
// required field ("required").
JsonFields Payload(const json::object& payload) { return JsonFields(payload, "payload"); }

}  // namespace

Status OnlyFields(const json::object& payload, std::initializer_list<std::string_view> allowed) {
  return Payload(payload).OnlyFields(allowed);
}

Result<std::optional<std::string>> OptString(const json::object& payload, std::string_view field,
                                             std::size_t max_len) {
  return Payload(payload).String(field, 1, max_len);
}

Result<std::string> RequiredString(const json::object& payload, std::string_view field,
                                   std::size_t max_len) {
  return Payload(payload).RequiredString(field, 1, max_len);
}

Result<std::optional<bool>> OptBool(const json::object& payload, std::string_view field) {
  return Payload(payload).Bool(field);
}

Result<std::optional<std::int64_t>> OptInt(const json::object& payload, std::string_view field,
                                           std::int64_t min, std::int64_t max) {
  return Payload(payload).Int(field, min, max);
}

Result<std::optional<std::vector<std::string>>> OptStringList(const json::object& payload,
                                                              std::string_view field,
                                                              std::size_t max_items) {
  StringListRules rules;
  rules.min_items = 1;
  rules.max_items = max_items;
  rules.min_length = 1;
  rules.max_length = 64;
  rules.distinct = true;
  return Payload(payload).StringList(field, rules);
}

Result<json::object> StoredPayload(const domain::Request& request) {
  boost::system::error_code ec;
  json::value v = json::parse(request.payload_json.empty() ? "{}" : request.payload_json, ec);
  if (ec || !v.is_object()) {
    return Status::Internal("request " + request.id + " has a malformed payload");
  }
  return std::move(v.as_object());
}

Result<std::size_t> FindService(const AccountState& st, const std::optional<std::string>& id) {
  if (!id) return Status::Invalid("service_id", "this request needs a service_id", "required");
  for (std::size_t i = 0; i < st.services.size(); ++i) {
    if (st.services[i].id == *id) return i;
  }
  return Status::NotFound("service", "service_id");
}

Status NoService(const std::optional<std::string>& id) {
  if (!id) return Status::Ok();
  return Status::Invalid("service_id", "this request applies to the whole account",
                         "not_applicable");
}

std::string ApplyReason(const ChangeRecorder& rec, const domain::Request& request) {
  return rec.context().reason_code.empty() ? request.reason_code : rec.context().reason_code;
}

}  // namespace sb::app::effects
