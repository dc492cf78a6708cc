// The effect half of the request-type registry: one row per type naming the Prepare and
// Apply that run it (see effects.h; the type's other facts are in domain/request_types.cc).
#include "app/requests/effects/effects.h"

#include <array>
#include <string>

#include "app/requests/effects/effects_common.h"

namespace sb::app {

namespace {

using T = domain::RequestType;
using namespace effects;

constexpr std::array<EffectBinding, 15> kEffects{{
    {T::kReconnection, PrepareStatus, ApplyStatus},
    {T::kReactivation, PrepareStatus, ApplyStatus},
    {T::kActivation, PrepareStatus, ApplyStatus},
    {T::kSuspension, PrepareStatus, ApplyStatus},
    {T::kTermination, PrepareBilling, ApplyBilling},
    {T::kPlanChange, PrepareBilling, ApplyBilling},
    {T::kPersonalInfoUpdate, PrepareProfile, ApplyProfile},
    {T::kBillingInfoUpdate, PrepareProfile, ApplyProfile},
    {T::kAccessChange, PrepareProfile, ApplyProfile},
    {T::kOwnershipTransfer, PrepareProfile, ApplyProfile},
    {T::kSecuritySettingsChange, PrepareProfile, ApplyProfile},
    {T::kBillingAdjustment, PrepareBilling, ApplyBilling},
    {T::kStatusSync, PrepareStatus, ApplyStatus},
    {T::kDataAccess, PrepareDataAccess, ApplyDataAccess},
    {T::kDataErasure, PrepareDataErasure, ApplyDataErasure},
}};

Status NoEffect(domain::RequestType type) {
  return Status::Internal("request type " + std::string(domain::Name(type)) +
                          " has no effect binding");
}

}  // namespace

const EffectBinding* FindEffect(domain::RequestType type) {
  for (const EffectBinding& b : kEffects) {
    if (b.type == type) return &b;
  }
  return nullptr;
}

Result<boost::json::object> PrepareEffect(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                          const AccountState& state, const PrepareArgs& args) {
  if (!args.payload || !args.policy) return Status::Internal("PrepareEffect: missing arguments");
  const EffectBinding* b = FindEffect(args.type);
  if (b == nullptr) return NoEffect(args.type);
  return b->prepare(tx, deps, ctx, state, args);
}

Result<boost::json::object> ApplyEffect(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                        AccountState& state, const domain::Request& request,
                                        const domain::RequestPolicy& policy) {
  const EffectBinding* b = FindEffect(request.type);
  if (b == nullptr) return NoEffect(request.type);
  return b->apply(tx, deps, rec, state, request, policy);
}

}  // namespace sb::app
