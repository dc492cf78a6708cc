#include "domain/request_types.h"

#include <array>
#include <cstdlib>

namespace sb::domain {
namespace {

using C = AuditCategory;
using T = RequestType;

// In the enum's order (checked below), so InfoOf is an index.
constexpr std::array<RequestTypeInfo, 15> kRows{{
    {T::kReconnection, "reconnection", C::kSubscription, true, false},
    {T::kReactivation, "reactivation", C::kAccountStatus, true, true},
    {T::kActivation, "activation", C::kAccountStatus, true, false},
    {T::kSuspension, "suspension", C::kAccountStatus, false, false},
    {T::kTermination, "termination", C::kSubscription, false, true},
    {T::kPlanChange, "plan_change", C::kServicePlan, false, false},
    {T::kPersonalInfoUpdate, "personal_info_update", C::kCustomerData, false, false},
    {T::kBillingInfoUpdate, "billing_info_update", C::kPayment, false, false},
    {T::kAccessChange, "access_change", C::kAccess, false, true},
    {T::kOwnershipTransfer, "ownership_transfer", C::kCustomerData, false, true},
    {T::kSecuritySettingsChange, "security_settings_change", C::kSecurity, false, true},
    {T::kBillingAdjustment, "billing_adjustment", C::kPayment, false, false},
    {T::kStatusSync, "status_sync", C::kAccountStatus, false, false},
    // Data rights (app/requests/effects/effects_data_rights.cc): a person asks for them.
    {T::kDataAccess, "data_access", C::kCustomerData, false, true},
    {T::kDataErasure, "data_erasure", C::kCustomerData, false, true},
}};

constexpr bool InEnumOrder() {
  for (std::size_t i = 0; i < kRows.size(); ++i) {
    if (static_cast<std::size_t>(kRows[i].type) != i) return false;
  }
  return true;
}
static_assert(InEnumOrder(), "kRows must list the request types in the enum's order");

}  // namespace

std::span<const RequestTypeInfo> RequestTypes() { return kRows; }

const RequestTypeInfo& InfoOf(RequestType type) {
  auto i = static_cast<std::size_t>(type);
  if (i >= kRows.size()) std::abort();  // a value outside the enum: a bug, not input
  return kRows[i];
}

}  // namespace sb::domain
