// Strict reading of the account-data request payloads (see profile_effects.h), on the app's
// one strict JSON reader (app/core/json_fields.h).
#include <algorithm>

#include "app/core/json_fields.h"
#include "app/requests/effects/profile_effects.h"
#include "domain/card_numbers.h"
#include "domain/contacts.h"

namespace sb::app::effects {

namespace json = boost::json;

namespace {

// The app's one strict reader with the payload conventions of these types: a field sent as
// null is a value (of the wrong type), every problem is "invalid" but a missing one.
JsonFields Fields(const json::object& o, const std::string& prefix) {
  return JsonFields(o, prefix, JsonNull::kValue);
}

}  // namespace

std::string PayloadReader::Path(std::string_view field) const {
  return Fields(o_, prefix_).Path(field);
}

Status PayloadReader::Error(std::string_view field, std::string message, std::string reason) const {
  return Fields(o_, prefix_).Error(field, std::move(message), std::move(reason));
}

Status PayloadReader::OnlyFields(std::initializer_list<std::string_view> allowed) const {
  return Fields(o_, prefix_).OnlyFields(allowed);
}

Result<std::optional<std::string>> PayloadReader::Text(std::string_view field) const {
  return Fields(o_, prefix_).String(field, 0, kMaxPayloadText);
}

Result<std::string> PayloadReader::RequiredText(std::string_view field) const {
  SB_ASSIGN_OR_RETURN(std::optional<std::string> v, Text(field));
  if (!v || v->empty()) return Error(field, Path(field) + " is required", "required");
  return std::move(*v);
}

Result<std::optional<std::string>> PayloadReader::Email(std::string_view field) const {
  SB_ASSIGN_OR_RETURN(std::optional<std::string> v, Text(field));
  if (v) SB_RETURN_IF_ERROR(domain::CheckEmail(*v, Path(field)));
  return v;
}

Result<std::optional<std::string>> PayloadReader::Phone(std::string_view field) const {
  SB_ASSIGN_OR_RETURN(std::optional<std::string> v, Text(field));
  if (v && !v->empty()) SB_RETURN_IF_ERROR(domain::CheckPhone(*v, Path(field)));
  return v;
}

Result<std::optional<std::string>> PayloadReader::OneOf(
    std::string_view field, std::initializer_list<std::string_view> values) const {
  SB_ASSIGN_OR_RETURN(std::optional<std::string> v, Text(field));
  if (!v || std::find(values.begin(), values.end(), *v) != values.end()) return v;
  std::string list;
  for (std::string_view s : values) list += (list.empty() ? "" : ", ") + std::string(s);
  return Error(field, Path(field) + " must be one of " + list);
}

Result<std::optional<bool>> PayloadReader::Bool(std::string_view field) const {
  return Fields(o_, prefix_).Bool(field);
}

Result<std::optional<std::int64_t>> PayloadReader::Int(std::string_view field, std::int64_t min,
                                                       std::int64_t max) const {
  return Fields(o_, prefix_).Int(field, min, max);
}

Result<const json::object*> PayloadReader::Object(std::string_view field) const {
  return Fields(o_, prefix_).Object(field);
}

Status RefuseCardNumbers(const json::value& v, const std::string& path) {
  auto refuse = [](const std::string& where) {
    return Status::Unprocessable("card_number_refused",
                                 where +
                                     " holds what looks like a full card number; card numbers "
                                     "are never accepted, send the billing processor's token",
                                 where);
  };
  if (v.is_string()) {
    return domain::LooksLikeCardNumber(v.as_string()) ? refuse(path) : Status::Ok();
  }
  if (v.is_array()) {
    const json::array& a = v.as_array();
    for (size_t i = 0; i < a.size(); ++i) {
      SB_RETURN_IF_ERROR(RefuseCardNumbers(a[i], path + "[" + std::to_string(i) + "]"));
    }
  } else if (v.is_object()) {
    for (const auto& kv : v.as_object()) {
      // The key is checked before it becomes part of a path that an error would show.
      if (domain::LooksLikeCardNumber(kv.key())) return refuse(path);
      SB_RETURN_IF_ERROR(RefuseCardNumbers(kv.value(), path + "." + std::string(kv.key())));
    }
  }
  return Status::Ok();
}

}  // namespace sb::app::effects
