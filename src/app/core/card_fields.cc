#include "app/core/card_fields.h"

#include "domain/card_numbers.h"

namespace sb::app {

namespace json = boost::json;

std::optional<std::string> CardNumberPath(const json::value& v, const std::string& prefix) {
  switch (v.kind()) {
    case json::kind::string:
      if (domain::LooksLikeCardNumber(v.get_string())) return prefix;
      return std::nullopt;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      if (domain::LooksLikeCardNumber(json::serialize(v))) return prefix;
      return std::nullopt;
    case json::kind::array: {
      const json::array& a = v.get_array();
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (auto p = CardNumberPath(a[i], prefix + "[" + std::to_string(i) + "]")) return p;
      }
      return std::nullopt;
    }
    case json::kind::object:
      for (const auto& kv : v.get_object()) {
        std::string key(kv.key());
        // A key that is the number is named masked: the answer must not carry it back.
        bool is_card = domain::LooksLikeCardNumber(key);
        if (is_card) key = domain::MaskCardNumbers(key);
        std::string child = prefix.empty() ? key : prefix + "." + key;
        if (is_card) return child;
        if (auto p = CardNumberPath(kv.value(), child)) return p;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

Status CardNumberRefused(const std::string& where) {
  return Status::Unprocessable(
      "card_number_refused",
      "'" + where +
          "' looks like a full card number. Card numbers are never accepted: send the "
          "billing processor's token with brand and last 4 digits instead.",
      where);
}

}  // namespace sb::app
