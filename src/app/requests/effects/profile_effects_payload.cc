// Strict reading of the account-data request payloads (see profile_effects.h).
#include <algorithm>

#include "app/requests/effects/profile_effects.h"
#include "domain/card_numbers.h"

namespace sb::app::effects {

namespace json = boost::json;

std::string PayloadReader::Path(std::string_view field) const {
  return prefix_ + "." + std::string(field);
}

Status PayloadReader::Error(std::string_view field, std::string message, std::string reason) const {
  return Status::Invalid(Path(field), std::move(message), std::move(reason));
}

Status PayloadReader::OnlyFields(std::initializer_list<std::string_view> allowed) const {
  for (const auto& kv : o_) {
    if (std::find(allowed.begin(), allowed.end(), kv.key()) == allowed.end()) {
      return Error(kv.key(), "unknown field '" + std::string(kv.key()) + "'", "unknown_field");
    }
  }
  return Status::Ok();
}

Result<std::optional<std::string>> PayloadReader::Text(std::string_view field) const {
  const json::value* v = o_.if_contains(field);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return Error(field, std::string(field) + " must be a string");
  if (v->as_string().size() > kMaxPayloadText) {
    return Error(field, std::string(field) + " must be at most " + std::to_string(kMaxPayloadText) +
                            " bytes");
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::string> PayloadReader::RequiredText(std::string_view field) const {
  SB_ASSIGN_OR_RETURN(std::optional<std::string> v, Text(field));
  if (!v || v->empty()) return Error(field, std::string(field) + " is required", "required");
  return std::move(*v);
}

Result<std::optional<std::string>> PayloadReader::Email(std::string_view field) const {
  SB_ASSIGN_OR_RETURN(std::optional<std::string> v, Text(field));
  if (!v) return v;
  size_t at = v->find('@');
  if (at == std::string::npos || at == 0 || at + 1 == v->size() ||
      v->find('@', at + 1) != std::string::npos) {
    return Error(field, std::string(field) + " must be an email address");
  }
  return v;
}

Result<std::optional<std::string>> PayloadReader::OneOf(
    std::string_view field, std::initializer_list<std::string_view> values) const {
  SB_ASSIGN_OR_RETURN(std::optional<std::string> v, Text(field));
  if (!v || std::find(values.begin(), values.end(), *v) != values.end()) return v;
  std::string list;
  for (std::string_view s : values) list += (list.empty() ? "" : ", ") + std::string(s);
  return Error(field, std::string(field) + " must be one of " + list);
}

Result<std::optional<bool>> PayloadReader::Bool(std::string_view field) const {
  const json::value* v = o_.if_contains(field);
  if (!v) return std::optional<bool>();
  if (!v->is_bool()) return Error(field, std::string(field) + " must be true or false");
  return std::optional<bool>(v->as_bool());
}

Result<std::optional<std::int64_t>> PayloadReader::Int(std::string_view field, std::int64_t min,
                                                       std::int64_t max) const {
  const json::value* v = o_.if_contains(field);
  if (!v) return std::optional<std::int64_t>();
  std::string range = std::to_string(min) + " to " + std::to_string(max);
  bool in_range = (v->is_int64() && v->as_int64() >= min && v->as_int64() <= max) ||
                  (v->is_uint64() && max >= 0 && v->as_uint64() <= static_cast<uint64_t>(max) &&
                   static_cast<std::int64_t>(v->as_uint64()) >= min);
  if (!in_range) return Error(field, std::string(field) + " must be an integer from " + range);
  return std::optional<std::int64_t>(v->is_int64() ? v->as_int64()
                                                   : static_cast<std::int64_t>(v->as_uint64()));
}

Result<const json::object*> PayloadReader::Object(std::string_view field) const {
  const json::value* v = o_.if_contains(field);
  if (!v) return static_cast<const json::object*>(nullptr);
  if (!v->is_object()) return Error(field, std::string(field) + " must be an object");
  return &v->as_object();
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
