#include "domain/contacts.h"

#include <algorithm>
#include <iterator>

#include "domain/policy.h"

namespace sb::domain {

namespace {

template <size_t N>
std::string ListOf(const std::string_view (&names)[N]) {
  std::string out;
  for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

bool IsDomainName(std::string_view d) {
  if (d.empty() || d.find('.') == std::string_view::npos) return false;
  if (d.front() == '.' || d.back() == '.' || d.find("..") != std::string_view::npos) return false;
  return d.front() != '-' && d.back() != '-';
}

}  // namespace

bool IsEmailAddress(std::string_view a) {
  if (a.empty() || a.size() > kMaxEmailBytes) return false;
  size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at != a.rfind('@') || at > kMaxEmailLocalBytes) {
    return false;
  }
  for (unsigned char ch : a) {
    if (ch <= 0x20 || ch >= 0x7f) return false;
    if (std::string_view("<>()[]\\,;:\"").find(static_cast<char>(ch)) != std::string_view::npos) {
      return false;
    }
  }
  return IsDomainName(a.substr(at + 1));
}

bool IsE164Phone(std::string_view p) {
  if (p.size() < 9 || p.size() > 16 || p[0] != '+' || p[1] == '0') return false;
  return std::all_of(p.begin() + 1, p.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status CheckEmail(std::string_view address, std::string param) {
  if (IsEmailAddress(address)) return Status::Ok();
  std::string message = param + " must be an email address";
  return Status::Unprocessable("invalid_email", std::move(message), std::move(param));
}

Status CheckPhone(std::string_view phone, std::string param) {
  if (IsE164Phone(phone)) return Status::Ok();
  std::string message = param + " must be an E.164 phone number: + then 8 to 15 digits";
  return Status::Unprocessable("invalid_phone", std::move(message), std::move(param));
}

Status CheckLocale(std::string_view locale, std::string param) {
  if (IsNotificationLocale(locale)) return Status::Ok();
  std::string message = param + " is not a supported locale (" + ListOf(kNotificationLocales) + ")";
  return Status::Unprocessable("unsupported_locale", std::move(message), std::move(param));
}

Status CheckChannel(std::string_view channel, std::string param) {
  if (IsNotificationChannel(channel)) return Status::Ok();
  std::string message =
      param + " is not a notification channel (" + ListOf(kNotificationChannels) + ")";
  return Status::Unprocessable("unknown_channel", std::move(message), std::move(param));
}

}  // namespace sb::domain
