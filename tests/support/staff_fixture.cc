#include "tests/support/staff_fixture.h"

#include <cstdio>
#include <memory>

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

}  // namespace sb::testing
