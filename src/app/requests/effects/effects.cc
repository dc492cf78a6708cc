// Dispatch of request effects to the file that owns the request type.
#include "app/requests/effects/effects.h"

namespace sb::app {

namespace {

bool IsProfileType(domain::RequestType t) {
  using T = domain::RequestType;
  return t == T::kPersonalInfoUpdate || t == T::kBillingInfoUpdate || t == T::kAccessChange ||
         t == T::kOwnershipTransfer || t == T::kSecuritySettingsChange;
}

}  // namespace

Result<boost::json::object> PrepareEffect(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                          const AccountState& state, const PrepareArgs& args) {
  if (IsProfileType(args.type)) return effects::PrepareProfile(tx, deps, ctx, state, args);
  return effects::PrepareStatus(tx, deps, ctx, state, args);
}

Result<boost::json::object> ApplyEffect(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                        AccountState& state, const domain::Request& request,
                                        const domain::RequestPolicy& policy) {
  if (IsProfileType(request.type)) {
    return effects::ApplyProfile(tx, deps, rec, state, request, policy);
  }
  return effects::ApplyStatus(tx, deps, rec, state, request, policy);
}

}  // namespace sb::app
