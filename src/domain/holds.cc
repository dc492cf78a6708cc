#include "domain/holds.h"

#include <string>

namespace sb::domain {

HoldFlags DefaultFlags(HoldType type) {
  switch (type) {
    case HoldType::kNonPayment:
      return {true, false, false};
    case HoldType::kPolicyViolation:
      return {true, false, true};
    case HoldType::kFraudReview:
      return {true, true, true};
    case HoldType::kVoluntaryPause:
      return {true, true, false};
    case HoldType::kTechnicalFault:
      return {true, true, false};
    case HoldType::kKycIncomplete:
      return {true, false, true};
    case HoldType::kDataOutdated:
      return {false, false, true};
    case HoldType::kInactivity:
      return {true, false, false};
    case HoldType::kRegulatory:
    case HoldType::kLegal:
      return {true, true, true};
  }
  return {};
}

Origin OriginFor(HoldType type) {
  switch (type) {
    case HoldType::kVoluntaryPause:
      return Origin::kVoluntary;
    case HoldType::kTechnicalFault:
      return Origin::kTechnical;
    case HoldType::kInactivity:
      return Origin::kAutomated;
    default:
      return Origin::kInvoluntary;
  }
}

bool BlocksService(const Hold& hold, const Service& service) {
  if (hold.state != HoldState::kActive || !hold.blocks_service) return false;
  if (hold.account_id != service.account_id) return false;
  return !hold.service_id || *hold.service_id == service.id;
}

ServiceStatus DeriveServiceStatus(const Service& service, const std::vector<Hold>& holds,
                                  AccountLifecycle lifecycle) {
  if (service.terminated_at || service.status == ServiceStatus::kTerminated) {
    return ServiceStatus::kTerminated;
  }
  if (lifecycle == AccountLifecycle::kPendingActivation) return ServiceStatus::kPending;
  if (lifecycle == AccountLifecycle::kClosed) return ServiceStatus::kTerminated;
  for (const Hold& h : holds) {
    if (BlocksService(h, service)) return ServiceStatus::kSuspended;
  }
  return ServiceStatus::kActive;
}

AccountStatus DeriveAccountStatus(AccountLifecycle lifecycle, const std::vector<Hold>& holds) {
  switch (lifecycle) {
    case AccountLifecycle::kPendingActivation:
      return AccountStatus::kPendingActivation;
    case AccountLifecycle::kClosed:
      return AccountStatus::kClosed;
    case AccountLifecycle::kDormant:
      return AccountStatus::kDormant;
    case AccountLifecycle::kActive:
      break;
  }
  for (const Hold& h : holds) {
    if (h.state == HoldState::kActive && h.blocks_service && !h.service_id) {
      return AccountStatus::kSuspended;
    }
  }
  return AccountStatus::kActive;
}

std::optional<Hold> ChangeBlocker(const std::vector<Hold>& holds) {
  for (const Hold& h : holds) {
    if (h.state == HoldState::kActive && h.blocks_changes) return h;
  }
  return std::nullopt;
}

Status CheckChangesAllowed(const std::vector<Hold>& holds, std::optional<HoldType> cleared) {
  for (const Hold& h : holds) {
    if (h.state != HoldState::kActive || !h.blocks_changes) continue;
    if (cleared && h.type == *cleared) continue;
    return Status::Conflict("changes_blocked", "a " + std::string(Name(h.type)) +
                                                   " hold blocks changes to this account");
  }
  return Status::Ok();
}

std::optional<HoldType> HoldClearedBy(RequestType type) {
  if (type == RequestType::kPersonalInfoUpdate) return HoldType::kDataOutdated;
  return std::nullopt;
}

Status CheckAccountOpen(const Account& account) {
  if (account.lifecycle == AccountLifecycle::kClosed) {
    return Status::Conflict("account_closed", "account " + account.id + " is closed");
  }
  return Status::Ok();
}

Result<AccountLifecycle> ApplyLifecycleMove(AccountLifecycle from, LifecycleMove move) {
  using L = AccountLifecycle;
  std::optional<L> to;
  std::string verb;
  switch (move) {
    case LifecycleMove::kActivate:
      verb = "activate";
      if (from == L::kPendingActivation) to = L::kActive;
      break;
    case LifecycleMove::kClose:
      verb = "close";
      if (from != L::kClosed) to = L::kClosed;
      break;
    case LifecycleMove::kMarkDormant:
      verb = "mark dormant";
      if (from == L::kActive) to = L::kDormant;
      break;
    case LifecycleMove::kReactivate:
      verb = "reactivate";
      if (from == L::kDormant) to = L::kActive;
      break;
  }
  if (!to) {
    return Status::Conflict("illegal_transition",
                            "cannot " + verb + " an account that is " + std::string(Name(from)));
  }
  return *to;
}

Status ValidateNewHold(const Hold& hold, const Account& account,
                       const std::optional<Service>& service, Timestamp now) {
  SB_RETURN_IF_ERROR(CheckAccountOpen(account));
  if (service) {
    if (service->account_id != account.id) return Status::NotFound("service", "service_id");
    if (service->status == ServiceStatus::kTerminated) {
      return Status::Conflict("service_terminated", "service " + service->id + " is terminated",
                              "service_id");
    }
  }
  if (hold.expires_at && *hold.expires_at <= now) {
    return Status::Invalid("expires_at", "expires_at must be in the future");
  }
  if (!hold.blocks_service && !hold.blocks_billing && !hold.blocks_changes) {
    return Status::Invalid("blocks_service", "a hold must block service, billing or changes");
  }
  return Status::Ok();
}

}  // namespace sb::domain
