#pragma once

// The secrets people carry (session cookies, CSRF tokens, invitation links) and the
// password work the server does for them.

#include <optional>
#include <string>
#include <string_view>

namespace sb::app {

// "<tenant_id>.<43 characters of base64url>": 256 random bits behind the tenant they belong
// to, so that looking one up needs no query across tenants. Only TokenHash of it is stored.
std::string NewTenantToken(std::string_view tenant_id);
// The tenant of a well-formed token; nullopt for anything else (never looked up).
std::optional<std::string> TokenTenant(std::string_view token);
// Hex SHA-256 of the whole token.
std::string TokenHash(std::string_view token);

// Argon2id hashing and checking, at most kPasswordWorkers at once across the process (each
// takes 19 MiB and tens of milliseconds of a core): a flood of sign-ins queues instead of
// exhausting memory.
constexpr int kPasswordWorkers = 2;
std::string HashPasswordBounded(std::string_view password);
// Whether `password` matches `encoded`. With an empty `encoded` (no such user) the same work
// is done against a fixed hash and the answer is false, so the time taken does not tell
// whether the user exists.
bool VerifyPasswordBounded(std::string_view encoded, std::string_view password);

}  // namespace sb::app
