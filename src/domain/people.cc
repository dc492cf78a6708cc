#include "domain/people.h"

#include <algorithm>
#include <cctype>

#include "domain/enum_table.h"

namespace sb::domain {
namespace {

constexpr EnumTable<UserStatus, 3> kUserStatuses{{{UserStatus::kInvited, "invited"},
                                                  {UserStatus::kActive, "active"},
                                                  {UserStatus::kDisabled, "disabled"}}};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view Name(UserStatus v) { return EnumName(kUserStatuses, v); }
std::optional<UserStatus> ParseUserStatus(std::string_view text) {
  return EnumParse(kUserStatuses, text);
}

std::optional<Role> ParseStaffRole(std::string_view text) {
  std::optional<Role> role = Parse<Role>(text);
  if (!role || *role == Role::kSystem) return std::nullopt;
  return role;
}

Status CheckNewPassword(std::string_view password, std::string_view email, std::string_view field) {
  const std::string f(field);
  if (password.size() < 12) {
    return Status::Unprocessable("weak_password", "A password needs at least 12 characters.", f);
  }
  if (password.size() > 256) {
    return Status::Unprocessable("invalid_value", "A password has at most 256 bytes.", f);
  }
  if (!email.empty() && Lower(password) == Lower(email)) {
    return Status::Unprocessable("weak_password", "A password may not be the email address.", f);
  }
  return Status::Ok();
}

Timestamp SignInLockedUntil(int failures, Timestamp now) {
  if (failures < kSignInFreeFailures) return now;
  const int doublings = std::min(failures - kSignInFreeFailures, 10);
  return now + std::min(kSignInLongestLock, kSignInFirstLock << doublings);
}

bool SessionLive(const Session& s, Timestamp now, Timestamp idle) {
  return !s.revoked_at && now < s.expires_at && now < s.last_seen_at + idle;
}

std::string StaffEmailKey(std::string email) {
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return email;
}

}  // namespace sb::domain
