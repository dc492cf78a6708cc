// Who may claim an origin or a channel, and which request types a machine key may file (see
// requests.h): the one place where a call's origin and channel meet its actor, for every
// path that files a request.
#include "app/requests/requests.h"
#include "domain/request_types.h"

namespace sb::app {

namespace {

bool IsSystem(const CallContext& ctx) { return ctx.actor.type == domain::ActorType::kSystem; }

template <typename K>
bool SkipsChecks(const std::map<K, domain::CheckOverride>& overrides, K key) {
  auto it = overrides.find(key);
  return it != overrides.end() && !it->second.skip.empty();
}

// Whether ctx's caller may claim something of `trust`.
bool MayClaim(const CallContext& ctx, Trust trust) {
  switch (trust) {
    case Trust::kAnyone:
      return true;
    case Trust::kSupervisor:
      return IsSystem(ctx) || domain::RoleSatisfies(ctx.actor.role, domain::Role::kSupervisor);
    case Trust::kSystemOnly:
      return IsSystem(ctx);
    case Trust::kCustomerOnly:
      return ctx.actor.type == domain::ActorType::kCustomer;
  }
  return false;
}

}  // namespace

Trust OriginTrust(const domain::RequestPolicy& policy, domain::Origin origin) {
  if (origin == domain::Origin::kAutomated || origin == domain::Origin::kTechnical) {
    return Trust::kSystemOnly;
  }
  return SkipsChecks(policy.origin_overrides, origin) ? Trust::kSupervisor : Trust::kAnyone;
}

Trust ChannelTrust(const domain::RequestPolicy* policy, domain::Channel channel) {
  if (channel == domain::Channel::kSystem) return Trust::kSystemOnly;
  if (channel == domain::Channel::kPortal) return Trust::kCustomerOnly;
  if (policy != nullptr && SkipsChecks(policy->channel_overrides, channel)) {
    return Trust::kSupervisor;
  }
  return Trust::kAnyone;
}

Status CheckChannelAllowed(const CallContext& ctx, const domain::RequestPolicy* policy) {
  if (MayClaim(ctx, ChannelTrust(policy, ctx.channel))) return Status::Ok();
  return Status(
      Code::kPermissionDenied, "channel_not_allowed",
      "this key may not act over the " + std::string(domain::Name(ctx.channel)) + " channel",
      "X-Channel");
}

Status CheckCaller(const CallContext& ctx, const domain::RequestPolicy& policy,
                   const SubmitInput& in) {
  if (ctx.actor.type == domain::ActorType::kApiKey && ctx.actor.role == domain::Role::kSystem &&
      domain::InfoOf(in.type).people_only) {
    return Status(Code::kPermissionDenied, "role_not_allowed",
                  "a system-role key may not file " + std::string(domain::Name(in.type)) +
                      " requests; a person must",
                  "type");
  }
  if (in.origin_chosen && !MayClaim(ctx, OriginTrust(policy, in.origin))) {
    return Status(Code::kPermissionDenied, "origin_not_allowed",
                  "this key may not file " + std::string(domain::Name(in.type)) +
                      " requests of origin " + std::string(domain::Name(in.origin)),
                  "origin");
  }
  return CheckChannelAllowed(ctx, &policy);
}

}  // namespace sb::app
