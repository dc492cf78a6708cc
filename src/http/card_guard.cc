#include "http/card_guard.h"

#include <boost/json.hpp>

#include "app/core/card_fields.h"
#include "domain/card_numbers.h"

namespace sb::http {

std::optional<std::string> CardNumberField(std::string_view body) {
  if (body.empty()) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (ec) {
    if (domain::LooksLikeCardNumber(body)) return "body";
    return std::nullopt;
  }
  return app::CardNumberPath(v);
}

Status RefuseCardNumbers(const Request& request) {
  for (const char* header :
       {"X-Comment", "X-Reason", "X-Request-Id", "Idempotency-Key", "If-Match"}) {
    std::optional<std::string> v = request.Header(header);
    if (v && domain::LooksLikeCardNumber(*v)) return app::CardNumberRefused(header);
  }
  if (std::optional<std::string> field = CardNumberField(request.body)) {
    return app::CardNumberRefused(*field);
  }
  return Status::Ok();
}

}  // namespace sb::http
