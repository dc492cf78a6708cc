// The pack's `identity_methods:` and `fraud:` sections (domain/policy.h, IdentityMethod,
// FraudPolicy): who the customer is, and when a change looks like someone else's.
#include <algorithm>
#include <iterator>

#include "domain/policy.h"

namespace sb::domain {
namespace {

constexpr size_t kMaxIdentityMethods = 32;

bool IsMethodName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::map<std::string, IdentityMethod> DefaultIdentityMethods() {
  return {{"otp_email", {1, true}},
          {"otp_sms", {1, true}},
          {"document_check", {2, true}},
          {"in_person", {3, true}},
          {"knowledge", {1, false}}};
}

bool IsCodeMethod(std::string_view method) {
  return std::find(std::begin(kCodeMethods), std::end(kCodeMethods), method) !=
         std::end(kCodeMethods);
}

Status ValidateIdentityMethods(const std::map<std::string, IdentityMethod>& methods) {
  if (methods.empty()) return PackFieldError("identity_methods", "needs at least one method");
  if (methods.size() > kMaxIdentityMethods)
    return PackFieldError("identity_methods",
                          "at most " + std::to_string(kMaxIdentityMethods) + " methods");
  bool any_alone = false;
  for (const auto& [name, m] : methods) {
    std::string path = "identity_methods." + name;
    if (!IsMethodName(name))
      return PackFieldError(path, "a method name is 1-64 lower-case letters, digits and _");
    if (m.level < 1 || m.level > 3) return PackFieldError(path + ".level", "must be from 1 to 3");
    any_alone = any_alone || m.alone;
  }
  // Otherwise no identity_verified check could ever pass.
  if (!any_alone)
    return PackFieldError("identity_methods", "needs at least one method that may stand alone");
  return Status::Ok();
}

Status ValidateFraud(const FraudPolicy& fraud) {
  const std::pair<const char*, const FraudRule*> rules[] = {
      {"reactivation_velocity", &fraud.reactivation_velocity},
      {"contact_then_payment_change", &fraud.contact_then_payment_change},
      {"failed_codes", &fraud.failed_codes}};
  for (const auto& [name, rule] : rules) {
    std::string path = std::string("fraud.") + name;
    if (rule->max_count < 1 || rule->max_count > 1000)
      return PackFieldError(path + ".max_count", "must be from 1 to 1000");
    if (rule->window_minutes < 1 || rule->window_minutes > 525600)
      return PackFieldError(path + ".window_minutes", "must be from 1 to 525600 (a year)");
  }
  return Status::Ok();
}

}  // namespace sb::domain
