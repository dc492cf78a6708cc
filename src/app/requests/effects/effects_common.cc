// Helpers shared by the request effects (effects_common.h).
#include "app/requests/effects/effects_common.h"

#include <set>

namespace sb::app::effects {

namespace json = boost::json;

namespace {

std::string Param(std::string_view field) { return "payload." + std::string(field); }

}  // namespace

Status OnlyFields(const json::object& payload, std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : payload) {
    bool known = false;
    for (std::string_view a : allowed) known = known || kv.key() == a;
    if (!known) {
      return Status::Invalid(Param(kv.key()), "unknown field '" + std::string(kv.key()) + "'",
                             "unknown_field");
    }
  }
  return Status::Ok();
}

Result<std::optional<std::string>> OptString(const json::object& payload, std::string_view field,
                                             std::size_t max_len) {
  const json::value* v = payload.if_contains(field);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string() || v->as_string().empty() || v->as_string().size() > max_len) {
    return Status::Invalid(Param(field), std::string(field) + " must be a string of 1 to " +
                                             std::to_string(max_len) + " characters");
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::string> RequiredString(const json::object& payload, std::string_view field,
                                   std::size_t max_len) {
  SB_ASSIGN_OR_RETURN(auto v, OptString(payload, field, max_len));
  if (!v) return Status::Invalid(Param(field), std::string(field) + " is required", "required");
  return *v;
}

Result<std::optional<bool>> OptBool(const json::object& payload, std::string_view field) {
  const json::value* v = payload.if_contains(field);
  if (!v || v->is_null()) return std::optional<bool>();
  if (!v->is_bool())
    return Status::Invalid(Param(field), std::string(field) + " must be a boolean");
  return std::optional<bool>(v->as_bool());
}

Result<std::optional<std::int64_t>> OptInt(const json::object& payload, std::string_view field,
                                           std::int64_t min, std::int64_t max) {
  const json::value* v = payload.if_contains(field);
  if (!v || v->is_null()) return std::optional<std::int64_t>();
  std::optional<std::int64_t> n;
  if (v->is_int64()) n = v->as_int64();
  // Above int64 range is out of [min, max] anyway; leave n unset so it is refused.
  if (!n || *n < min || *n > max) {
    return Status::Invalid(Param(field), std::string(field) + " must be an integer between " +
                                             std::to_string(min) + " and " + std::to_string(max));
  }
  return n;
}

Result<std::optional<std::vector<std::string>>> OptStringList(const json::object& payload,
                                                              std::string_view field,
                                                              std::size_t max_items) {
  const json::value* v = payload.if_contains(field);
  if (!v || v->is_null()) return std::optional<std::vector<std::string>>();
  std::string what =
      std::string(field) + " must be a list of 1 to " + std::to_string(max_items) + " distinct ids";
  if (!v->is_array() || v->as_array().empty() || v->as_array().size() > max_items) {
    return Status::Invalid(Param(field), what);
  }
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const json::value& item : v->as_array()) {
    if (!item.is_string() || item.as_string().empty() || item.as_string().size() > 64 ||
        !seen.insert(std::string(item.as_string())).second) {
      return Status::Invalid(Param(field), what);
    }
    out.emplace_back(item.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
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
