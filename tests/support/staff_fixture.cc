#include "tests/support/staff_fixture.h"

#include <cstdio>
#include <memory>
#include <regex>

namespace sb::testing {

std::string PyotpCode(const std::string& base32_secret, std::int64_t unix_seconds) {
  for (char c : base32_secret) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) return "";
  }
  const std::string command = "/usr/bin/python3 -c 'import pyotp; print(pyotp.TOTP(\"" +
                              base32_secret + "\").at(" + std::to_string(unix_seconds) +
                              "))' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), &pclose);
  if (!pipe) return "";
  char buffer[32] = {};
  std::string out;
  while (fgets(buffer, sizeof buffer, pipe.get()) != nullptr) out += buffer;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string SessionCookieOf(const HttpResponse& r) {
  const std::string header = r.Header("Set-Cookie");
  const std::string prefix = "__Host-sb_session=";
  if (header.rfind(prefix, 0) != 0) return "";
  return header.substr(prefix.size(), header.find(';') - prefix.size());
}

std::string InvitationTokenIn(const std::vector<boost::json::object>& messages,
                              const std::string& email, size_t invitations_before) {
  std::string token;
  size_t seen = 0;
  for (const boost::json::object& m : messages) {
    const std::string text = Str(m, "text");
    std::smatch match;
    if (!std::regex_search(text, match, std::regex("#invitation=([A-Za-z0-9_.-]+)"))) continue;
    if (boost::json::serialize(m).find(email) == std::string::npos) continue;
    if (++seen > invitations_before) token = match[1];
  }
  return token;
}

}  // namespace sb::testing
