#include "app/people/people_secrets.h"

#include <semaphore>

#include "crypto/crypto.h"
#include "crypto/password.h"

namespace sb::app {
namespace {

constexpr size_t kTokenSecretChars = 43;  // base64url of 32 bytes, unpadded

std::counting_semaphore<kPasswordWorkers>& PasswordWorkers() {
  static std::counting_semaphore<kPasswordWorkers> workers(kPasswordWorkers);
  return workers;
}

struct Worker {
  Worker() { PasswordWorkers().acquire(); }
  ~Worker() { PasswordWorkers().release(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
};

}  // namespace

std::string NewTenantToken(std::string_view tenant_id) {
  return std::string(tenant_id) + "." + crypto::Base64Url(crypto::RandomBytes(32));
}

std::optional<std::string> TokenTenant(std::string_view token) {
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 64) return std::nullopt;
  const std::string_view tenant = token.substr(0, dot);
  const std::string_view secret = token.substr(dot + 1);
  if (secret.size() != kTokenSecretChars) return std::nullopt;
  for (char c : tenant) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return std::nullopt;
  }
  for (char c : secret) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  return std::string(tenant);
}

std::string TokenHash(std::string_view token) { return crypto::Hex(crypto::Sha256(token)); }

std::string HashPasswordBounded(std::string_view password) {
  Worker worker;
  return crypto::HashPassword(password);
}

bool VerifyPasswordBounded(std::string_view encoded, std::string_view password) {
  static const std::string fixed = crypto::HashPassword(crypto::RandomBytes(16));
  Worker worker;
  if (encoded.empty()) {
    crypto::VerifyPassword(fixed, password);
    return false;
  }
  return crypto::VerifyPassword(encoded, password);
}

}  // namespace sb::app
