// Masked views of personal data for the roles that may not read it in clear (see
// account_data.h).
#include <string>
#include <string_view>

#include "app/accounts/account_data.h"

namespace sb::app {

namespace {

// The first character of `s`, whole even when it takes several UTF-8 bytes.
std::string_view FirstChar(std::string_view s) {
  if (s.empty()) return s;
  size_t n = 1;
  while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
  return s.substr(0, n);
}

// "Jane Doe" -> "J*** D***".
std::string MaskWords(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t end = s.find(' ', i);
    if (end == std::string_view::npos) end = s.size();
    if (end > i) {
      if (!out.empty()) out += ' ';
      out += FirstChar(s.substr(i, end - i));
      out += "***";
    }
    i = end + 1;
  }
  return out;
}

// "jane@example.com" -> "j***@e***.com".
std::string MaskEmail(std::string_view s) {
  if (s.empty()) return {};
  size_t at = s.rfind('@');
  if (at == std::string_view::npos) return std::string(FirstChar(s)) + "***";
  std::string_view domain = s.substr(at + 1);
  size_t dot = domain.rfind('.');
  std::string tld = dot == std::string_view::npos ? "" : std::string(domain.substr(dot));
  return std::string(FirstChar(s)) + "***@" + std::string(FirstChar(domain)) + "***" + tld;
}

// "+44 7700 900123" -> "***23".
std::string MaskPhone(std::string_view s) {
  std::string digits;
  for (char c : s) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (s.empty()) return {};
  return "***" + (digits.size() > 2 ? digits.substr(digits.size() - 2) : std::string());
}

std::string MaskAll(std::string_view s) { return s.empty() ? std::string() : "***"; }

}  // namespace

bool ReadsPersonalData(const domain::Actor& actor) {
  if (actor.type == domain::ActorType::kSystem) return true;
  if (!actor.role) return false;
  switch (*actor.role) {
    case domain::Role::kAdmin:
    case domain::Role::kSupervisor:
    case domain::Role::kAgent:
      return true;
    case domain::Role::kAuditor:
    case domain::Role::kSystem:
      return false;
  }
  return false;
}

domain::Profile MaskProfile(const domain::Profile& p) {
  domain::Profile m;
  m.name = MaskWords(p.name);
  m.email = MaskEmail(p.email);
  m.phone = MaskPhone(p.phone);
  m.address = MaskAll(p.address);
  m.billing_address = MaskAll(p.billing_address);
  if (p.payment_method) {
    domain::PaymentMethod pm;
    pm.brand = p.payment_method->brand;
    pm.last4 = p.payment_method->last4;
    m.payment_method = pm;
  }
  for (const auto& u : p.authorized_users) {
    domain::AuthorizedUser mu = u;
    mu.name = MaskWords(u.name);
    mu.email = MaskEmail(u.email);
    m.authorized_users.push_back(std::move(mu));
  }
  m.security = p.security;
  // Which language, zone and channels a customer chose and whether they consented to offers
  // neither reaches nor identifies them, and an auditor checks consent: kept.
  m.notifications = p.notifications;
  return m;
}

void MaskForReader(AccountView& v, const domain::Actor& actor) {
  // A customer signed in to the portal reads their own account in clear (and no other
  // account at all: the portal's routes are scoped to theirs).
  const bool own = actor.type == domain::ActorType::kCustomer && actor.id == v.account.id;
  if (!own && !ReadsPersonalData(actor)) v.profile = MaskProfile(v.profile);
}

}  // namespace sb::app
