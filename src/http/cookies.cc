#include "http/cookies.h"

namespace sb::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> CookieValue(const Request& request, std::string_view name) {
  std::optional<std::string> header = request.Header("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    std::string_view pair = Trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && Trim(pair.substr(0, eq)) == name) {
      return std::string(Trim(pair.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

std::string SessionCookie(const std::string& token, std::int64_t max_age_seconds) {
  return std::string(kSessionCookie) + "=" + token +
         "; Path=/; Max-Age=" + std::to_string(max_age_seconds) +
         "; HttpOnly; Secure; SameSite=Strict";
}

std::string ClearedSessionCookie() {
  std::string cookie(kSessionCookie);
  cookie += "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict";
  return cookie;
}

}  // namespace sb::http
