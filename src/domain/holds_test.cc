#include "domain/holds.h"

#include <gtest/gtest.h>

namespace sb::domain {
namespace {

Service MakeService(const std::string& id) {
  Service s;
  s.tenant_id = "ten_a";
  s.id = id;
  s.account_id = "acc_1";
  s.status = ServiceStatus::kActive;
  return s;
}

Hold MakeHold(const std::string& id, std::optional<std::string> service_id,
              bool blocks_service = true) {
  Hold h;
  h.tenant_id = "ten_a";
  h.id = id;
  h.account_id = "acc_1";
  h.service_id = std::move(service_id);
  h.blocks_service = blocks_service;
  return h;
}

TEST(AccountHolds, StackedHoldsKeepServiceSuspendedUntilLastIsLifted) {
  Service svc = MakeService("svc_1");
  std::vector<Hold> holds{MakeHold("h1", "svc_1"), MakeHold("h2", std::nullopt)};
  EXPECT_EQ(DeriveServiceStatus(svc, holds, AccountLifecycle::kActive), ServiceStatus::kSuspended);
  holds[0].state = HoldState::kLifted;
  EXPECT_EQ(DeriveServiceStatus(svc, holds, AccountLifecycle::kActive), ServiceStatus::kSuspended);
  holds[1].state = HoldState::kExpired;
  EXPECT_EQ(DeriveServiceStatus(svc, holds, AccountLifecycle::kActive), ServiceStatus::kActive);
}

TEST(AccountHolds, ServiceHoldDoesNotTouchOtherServices) {
  std::vector<Hold> holds{MakeHold("h1", "svc_1")};
  EXPECT_EQ(DeriveServiceStatus(MakeService("svc_2"), holds, AccountLifecycle::kActive),
            ServiceStatus::kActive);
  EXPECT_EQ(DeriveAccountStatus(AccountLifecycle::kActive, holds), AccountStatus::kActive);
}

TEST(AccountHolds, HoldThatDoesNotBlockServiceLeavesItActive) {
  std::vector<Hold> holds{MakeHold("h1", std::nullopt, /*blocks_service=*/false)};
  EXPECT_EQ(DeriveServiceStatus(MakeService("svc_1"), holds, AccountLifecycle::kActive),
            ServiceStatus::kActive);
  EXPECT_EQ(DeriveAccountStatus(AccountLifecycle::kActive, holds), AccountStatus::kActive);
}

TEST(AccountHolds, AccountWideHoldSuspendsAccount) {
  std::vector<Hold> holds{MakeHold("h1", std::nullopt)};
  EXPECT_EQ(DeriveAccountStatus(AccountLifecycle::kActive, holds), AccountStatus::kSuspended);
  EXPECT_EQ(DeriveAccountStatus(AccountLifecycle::kClosed, holds), AccountStatus::kClosed);
}

TEST(AccountHolds, TerminatedServiceStaysTerminated) {
  Service svc = MakeService("svc_1");
  svc.status = ServiceStatus::kTerminated;
  EXPECT_EQ(DeriveServiceStatus(svc, {}, AccountLifecycle::kActive), ServiceStatus::kTerminated);
}

TEST(AccountHolds, ValidateRefusesHoldOnTerminatedServiceAndPastExpiry) {
  Account acc;
  acc.id = "acc_1";
  Service svc = MakeService("svc_1");
  svc.status = ServiceStatus::kTerminated;
  Hold h = MakeHold("h1", "svc_1");
  EXPECT_EQ(ValidateNewHold(h, acc, svc, 1000).reason(), "service_terminated");
  h.expires_at = 500;
  EXPECT_EQ(ValidateNewHold(h, acc, std::nullopt, 1000).param(), "expires_at");
  acc.lifecycle = AccountLifecycle::kClosed;
  EXPECT_EQ(ValidateNewHold(h, acc, std::nullopt, 1000).reason(), "account_closed");
}

TEST(AccountHolds, DefaultFlagsFollowTheHoldType) {
  EXPECT_TRUE(DefaultFlags(HoldType::kNonPayment).blocks_service);
  EXPECT_FALSE(DefaultFlags(HoldType::kDataOutdated).blocks_service);
  EXPECT_TRUE(DefaultFlags(HoldType::kFraudReview).blocks_changes);
  EXPECT_TRUE(DefaultFlags(HoldType::kVoluntaryPause).blocks_billing);
  EXPECT_EQ(OriginFor(HoldType::kVoluntaryPause), Origin::kVoluntary);
  EXPECT_EQ(OriginFor(HoldType::kTechnicalFault), Origin::kTechnical);
}

struct MoveCase {
  AccountLifecycle from;
  LifecycleMove move;
  std::optional<AccountLifecycle> to;  // nullopt: refused
};

// The change that clears a hold is never blocked by it, and no other change gets through.
TEST(AccountHolds, ADataOutdatedHoldBlocksEveryChangeButTheOneThatClearsIt) {
  Hold outdated = MakeHold("hld_d", std::nullopt, false);
  outdated.type = HoldType::kDataOutdated;
  outdated.blocks_changes = true;
  Hold fraud = MakeHold("hld_f", std::nullopt);
  fraud.type = HoldType::kFraudReview;
  fraud.blocks_changes = true;
  struct Case {
    std::vector<Hold> holds;
    RequestType type;
    bool allowed;
  } cases[] = {
      {{outdated}, RequestType::kPersonalInfoUpdate, true},
      {{outdated}, RequestType::kOwnershipTransfer, false},
      {{outdated}, RequestType::kPlanChange, false},
      {{outdated, fraud}, RequestType::kPersonalInfoUpdate, false},
      {{fraud}, RequestType::kPersonalInfoUpdate, false},
      {{}, RequestType::kOwnershipTransfer, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(Name(c.type)) + " under " + std::to_string(c.holds.size()));
    Status s = CheckChangesAllowed(c.holds, HoldClearedBy(c.type));
    EXPECT_EQ(s.ok(), c.allowed) << s.ToString();
    if (!c.allowed) {
      EXPECT_EQ(s.reason(), "changes_blocked");
    }
  }
  EXPECT_EQ(HoldClearedBy(RequestType::kPersonalInfoUpdate), HoldType::kDataOutdated);
  EXPECT_EQ(HoldClearedBy(RequestType::kReconnection), std::nullopt);
}

TEST(AccountLifecycleMoves, OnlyLegalTransitionsAreAllowed) {
  using L = AccountLifecycle;
  using M = LifecycleMove;
  const MoveCase cases[] = {
      {L::kPendingActivation, M::kActivate, L::kActive},
      {L::kActive, M::kActivate, std::nullopt},
      {L::kActive, M::kMarkDormant, L::kDormant},
      {L::kDormant, M::kReactivate, L::kActive},
      {L::kActive, M::kReactivate, std::nullopt},
      {L::kActive, M::kClose, L::kClosed},
      {L::kDormant, M::kClose, L::kClosed},
      {L::kClosed, M::kClose, std::nullopt},
      {L::kClosed, M::kReactivate, std::nullopt},
      {L::kClosed, M::kActivate, std::nullopt},
      {L::kPendingActivation, M::kMarkDormant, std::nullopt},
  };
  for (const MoveCase& c : cases) {
    auto r = ApplyLifecycleMove(c.from, c.move);
    SCOPED_TRACE(std::string(Name(c.from)));
    if (c.to) {
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(*r, *c.to);
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status().reason(), "illegal_transition");
    }
  }
}

}  // namespace
}  // namespace sb::domain
