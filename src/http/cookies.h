#pragma once

// The session cookie (docs/SECURITY.md, "People"): its name, reading it from a request and
// the Set-Cookie values that open and close it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/types.h"

namespace sb::http {

// `__Host-` binds it to this host, path / and Secure: no subdomain can set or read it.
inline constexpr std::string_view kSessionCookie = "__Host-sb_session";

// The value of cookie `name` in the request's Cookie header(s); nullopt when absent.
std::optional<std::string> CookieValue(const Request& request, std::string_view name);

// HttpOnly (no script reads it), Secure, SameSite=Strict (not sent on other sites'
// requests), Path=/, living `max_age_seconds`.
std::string SessionCookie(const std::string& token, std::int64_t max_age_seconds);
// The Set-Cookie value that makes the browser forget the session cookie.
std::string ClearedSessionCookie();

}  // namespace sb::http
