#include "http/card_guard.h"

#include <boost/json.hpp>

#include "domain/card_numbers.h"

namespace sb::http {
namespace {

namespace json = boost::json;

std::optional<std::string> Walk(const json::value& v, const std::string& path) {
  switch (v.kind()) {
    case json::kind::string:
      if (domain::LooksLikeCardNumber(v.get_string())) return path;
      return std::nullopt;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      if (domain::LooksLikeCardNumber(json::serialize(v))) return path;
      return std::nullopt;
    case json::kind::array: {
      const json::array& a = v.get_array();
      for (size_t i = 0; i < a.size(); ++i) {
        if (auto p = Walk(a[i], path + "[" + std::to_string(i) + "]")) return p;
      }
      return std::nullopt;
    }
    case json::kind::object:
      for (const auto& kv : v.get_object()) {
        std::string key(kv.key());
        std::string child = path.empty() ? key : path + "." + key;
        if (domain::LooksLikeCardNumber(key)) return child;
        if (auto p = Walk(kv.value(), child)) return p;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<std::string> CardNumberField(std::string_view body) {
  if (body.empty()) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    if (domain::LooksLikeCardNumber(body)) return "body";
    return std::nullopt;
  }
  return Walk(v, "");
}

Status RefuseCardNumbers(const Request& request) {
  auto refuse = [](const std::string& where) {
    return Status::Unprocessable(
        "card_number_refused",
        "'" + where +
            "' looks like a full card number. Card numbers are never accepted: send "
            "the billing processor's token with brand and last 4 digits instead.",
        where);
  };
  for (const char* header : {"X-Comment", "X-Reason", "X-Request-Id", "Idempotency-Key"}) {
    std::optional<std::string> v = request.Header(header);
    if (v && domain::LooksLikeCardNumber(*v)) return refuse(header);
  }
  if (std::optional<std::string> field = CardNumberField(request.body)) return refuse(*field);
  return Status::Ok();
}

}  // namespace sb::http
