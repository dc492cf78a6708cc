#pragma once

// The checks every way in applies to how a customer is reached: email addresses, phone numbers,
// the notification locales and channels. One check each, shared by account creation, the
// profile-changing requests, the tenant's email channel and the template preview, so that what
// one accepts the others accept. Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/policy.h"

namespace sb::domain {

// Longest email address accepted (RFC 5321's path limit) and longest local part.
inline constexpr size_t kMaxEmailBytes = 254;
inline constexpr size_t kMaxEmailLocalBytes = 64;

// A practical check, not RFC 5322: exactly one '@', a non-empty local part of at most 64 bytes,
// a domain with a dot that neither starts nor ends it and no empty label, at most 254 bytes in
// all, printable ASCII only, no spaces, control characters or the specials <>()[]\,;:".
bool IsEmailAddress(std::string_view address);

// E.164: '+' then 8 to 15 digits, the first not 0; nothing else (no spaces or dashes).
bool IsE164Phone(std::string_view phone);

// Whether a locale or a channel is one Switchboard speaks: domain::IsNotificationLocale and
// domain::IsNotificationChannel (domain/policy.h).

// The same checks as refusals: kUnprocessable naming `param`, with reason "invalid_email",
// "invalid_phone", "unsupported_locale" or "unknown_channel". The value is never quoted: it may
// be personal data.
Status CheckEmail(std::string_view address, std::string param);
Status CheckPhone(std::string_view phone, std::string param);
Status CheckLocale(std::string_view locale, std::string param);
Status CheckChannel(std::string_view channel, std::string param);

}  // namespace sb::domain
