#include "domain/policy.h"

#include <gtest/gtest.h>

#include <functional>

#include "domain/request_types.h"

namespace sb::domain {
namespace {

CheckSpec PolicySpec(CheckKind kind) {
  CheckSpec c;
  c.kind = kind;
  return c;
}

SlaTarget Minutes(std::int64_t target) {
  SlaTarget t;
  t.target_minutes = target;
  return t;
}

// A small pack that passes Validate: one calendar, every type with four SLA targets.
PolicyPack ValidPack() {
  PolicyPack pack;
  pack.version = "1";
  pack.effective_from = 1'767'225'600'000;  // 2026-01-01
  pack.calendar_default = "office";
  Calendar cal;
  cal.time_zone = "Europe/Paris";
  cal.week.resize(7);
  for (int d = 0; d < 5; ++d) cal.week[d] = {9 * 60, 18 * 60};
  cal.holidays = {"2026-12-25", "2028-02-29"};
  pack.calendars["office"] = cal;
  for (const RequestTypeInfo& row : RequestTypes()) {
    RequestType t = row.type;
    RequestPolicy p;
    p.checks = {PolicySpec(CheckKind::kNoFraudHold)};
    for (std::string_view prio : kPriorities) p.sla[std::string(prio)] = Minutes(60);
    p.reason_codes = {"customer_request"};
    p.notifications = {"request.completed"};
    pack.requests[t] = p;
  }
  return pack;
}

RequestPolicy& Plan(PolicyPack& p) { return p.requests[RequestType::kPlanChange]; }

struct BrokenCase {
  const char* name;
  std::function<void(PolicyPack&)> breakit;
  const char* param;
};

TEST(PolicyValidate, AcceptsAWellFormedPack) { EXPECT_TRUE(Validate(ValidPack()).ok()); }

TEST(PolicyValidate, RefusesEachBrokenRuleNamingTheField) {
  const BrokenCase cases[] = {
      {"no version", [](PolicyPack& p) { p.version.clear(); }, "version"},
      {"no effective_from", [](PolicyPack& p) { p.effective_from = 0; }, "effective_from"},
      {"missing type", [](PolicyPack& p) { p.requests.erase(RequestType::kStatusSync); },
       "requests.status_sync"},
      {"approval without role",
       [](PolicyPack& p) { Plan(p).checks.push_back(PolicySpec(CheckKind::kApproval)); },
       "requests.plan_change.approval_role"},
      {"never approved without role",
       [](PolicyPack& p) { Plan(p).auto_approve = AutoApproval::kNever; },
       "requests.plan_change.approval_role"},
      {"zero SLA", [](PolicyPack& p) { Plan(p).sla["high"].target_minutes = 0; },
       "requests.plan_change.sla.high.target_minutes"},
      {"missing priority", [](PolicyPack& p) { Plan(p).sla.erase("urgent"); },
       "requests.plan_change.sla.urgent"},
      {"unknown priority", [](PolicyPack& p) { Plan(p).sla["asap"] = Minutes(5); },
       "requests.plan_change.sla.asap"},
      {"unknown SLA calendar", [](PolicyPack& p) { Plan(p).sla["low"].calendar = "nope"; },
       "requests.plan_change.sla.low.calendar"},
      {"unknown default calendar", [](PolicyPack& p) { p.calendar_default = "nope"; },
       "calendar_default"},
      {"negative fee", [](PolicyPack& p) { Plan(p).fee_minor = -1; },
       "requests.plan_change.fee_minor"},
      {"fee without currency", [](PolicyPack& p) { Plan(p).fee_minor = 100; },
       "requests.plan_change.currency"},
      {"lower-case currency",
       [](PolicyPack& p) {
         Plan(p).fee_minor = 100;
         Plan(p).currency = "eur";
       },
       "requests.plan_change.currency"},
      {"bad time zone", [](PolicyPack& p) { p.calendars["office"].time_zone = "+01:00"; },
       "calendars.office.time_zone"},
      {"bare city zone", [](PolicyPack& p) { p.calendars["office"].time_zone = "Paris"; },
       "calendars.office.time_zone"},
      {"not a leap day", [](PolicyPack& p) { p.calendars["office"].holidays[1] = "2027-02-29"; },
       "calendars.office.holidays[1]"},
      {"hours reversed",
       [](PolicyPack& p) {
         p.calendars["office"].week[2] = {600, 500};
       },
       "calendars.office.hours[2]"},
      {"six weekdays", [](PolicyPack& p) { p.calendars["office"].week.pop_back(); },
       "calendars.office.hours"},
      {"cooling_off without window",
       [](PolicyPack& p) { Plan(p).checks.push_back(PolicySpec(CheckKind::kCoolingOff)); },
       "requests.plan_change.checks[1]"},
      {"unknown party",
       [](PolicyPack& p) {
         CheckSpec c = PolicySpec(CheckKind::kIdentityVerified);
         c.party = "friend";
         Plan(p).checks.push_back(c);
       },
       "requests.plan_change.checks[1].party"},
      {"skip of an absent check",
       [](PolicyPack& p) { Plan(p).origin_overrides[Origin::kBulk].skip = {CheckKind::kApproval}; },
       "requests.plan_change.overrides.origins.bulk.skip[0]"},
      {"added approval without role",
       [](PolicyPack& p) {
         Plan(p).channel_overrides[Channel::kSms].add = {PolicySpec(CheckKind::kApproval)};
       },
       "requests.plan_change.approval_role"},
      {"bad event name", [](PolicyPack& p) { Plan(p).notifications = {"Completed"}; },
       "requests.plan_change.notifications[0]"},
      {"discount over 100",
       [](PolicyPack& p) {
         Plan(p).offers = {{"stay", "", 120, 12}};
       },
       "requests.plan_change.offers[0].discount_percent"},
      {"zero provisioning timeout",
       [](PolicyPack& p) {
         p.requests[RequestType::kReconnection].provisioning.timeout_minutes = 0;
       },
       "requests.reconnection.provisioning.timeout_minutes"},
      {"provisioning timeout over 30 days",
       [](PolicyPack& p) {
         p.requests[RequestType::kActivation].provisioning.timeout_minutes = 30 * 24 * 60 + 1;
       },
       "requests.activation.provisioning.timeout_minutes"},
      {"provisioning for a type without network work",
       [](PolicyPack& p) { Plan(p).provisioning.required = true; },
       "requests.plan_change.provisioning.required"},
      {"reassign to a display name",
       [](PolicyPack& p) { Plan(p).escalate_breached.reassign_to = "Night Shift"; },
       "requests.plan_change.escalation.breached.reassign_to"},
      {"reassign to a long name",
       [](PolicyPack& p) { Plan(p).escalate_at_risk.reassign_to = std::string(65, 'q'); },
       "requests.plan_change.escalation.at_risk.reassign_to"},
      {"at risk at 0%", [](PolicyPack& p) { Plan(p).at_risk_percent = 0; },
       "requests.plan_change.at_risk_percent"},
      {"at risk at 100%", [](PolicyPack& p) { Plan(p).at_risk_percent = 100; },
       "requests.plan_change.at_risk_percent"},
      {"negative payment threshold",
       [](PolicyPack& p) { p.triggers.payment_failed_threshold = -1; },
       "triggers.payment_failed_threshold"},
      {"payment threshold over 100",
       [](PolicyPack& p) { p.triggers.payment_failed_threshold = 101; },
       "triggers.payment_failed_threshold"},
      {"dormancy over ten years", [](PolicyPack& p) { p.triggers.dormancy_inactive_days = 3651; },
       "triggers.dormancy.inactive_days"},
      {"negative dormancy", [](PolicyPack& p) { p.triggers.dormancy_inactive_days = -1; },
       "triggers.dormancy.inactive_days"},
      {"dormancy offer reactivation lacks",
       [](PolicyPack& p) { p.triggers.dormancy_offer = "welcome_back"; },
       "triggers.dormancy.offer"},
  };
  for (const auto& c : cases) {
    PolicyPack pack = ValidPack();
    c.breakit(pack);
    Status s = Validate(pack);
    EXPECT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.name;
    EXPECT_EQ(s.param(), c.param) << c.name << ": " << s.message();
  }
}

TEST(PolicyValidate, ApprovalCheckWithItsOwnRoleNeedsNoPolicyRole) {
  PolicyPack pack = ValidPack();
  CheckSpec approval = PolicySpec(CheckKind::kApproval);
  approval.role = Role::kAdmin;
  Plan(pack).checks.push_back(approval);
  EXPECT_TRUE(Validate(pack).ok());
}

TEST(PolicyValidate, AcceptsAutomationAtItsBounds) {
  PolicyPack pack = ValidPack();
  RequestPolicy& reconnection = pack.requests[RequestType::kReconnection];
  reconnection.provisioning = {true, 30 * 24 * 60, ProvisioningFailure::kEscalate};
  reconnection.escalate_breached = {true, std::string(64, 's'), Role::kAdmin};
  reconnection.at_risk_percent = 99;
  Plan(pack).at_risk_percent = 1;
  pack.requests[RequestType::kReactivation].offers = {{"welcome_back", "", 50, 2}};
  pack.triggers = {100, 3650, "welcome_back"};
  EXPECT_TRUE(Validate(pack).ok()) << Validate(pack).ToString();
  pack.triggers = {0, 0, ""};  // both triggers off
  EXPECT_TRUE(Validate(pack).ok()) << Validate(pack).ToString();
}

TEST(PolicyChecks, OverridesSkipAndAddByOriginThenChannel) {
  RequestPolicy p;
  p.checks = {PolicySpec(CheckKind::kPaymentCleared), PolicySpec(CheckKind::kNoFraudHold)};
  p.origin_overrides[Origin::kAutomated].skip = {CheckKind::kPaymentCleared};
  p.channel_overrides[Channel::kIvr].add = {PolicySpec(CheckKind::kIdentityVerified)};

  auto kinds = [](const std::vector<CheckSpec>& checks) {
    std::vector<CheckKind> out;
    for (const auto& c : checks) out.push_back(c.kind);
    return out;
  };
  EXPECT_EQ(kinds(EffectiveChecks(p, Origin::kVoluntary, Channel::kWeb)),
            (std::vector{CheckKind::kPaymentCleared, CheckKind::kNoFraudHold}));
  EXPECT_EQ(kinds(EffectiveChecks(p, Origin::kAutomated, Channel::kIvr)),
            (std::vector{CheckKind::kNoFraudHold, CheckKind::kIdentityVerified}));
}

TEST(PolicyNames, CheckKindsRoundTrip) {
  for (auto k :
       {CheckKind::kPaymentCleared, CheckKind::kCoolingOff, CheckKind::kTechnicalFaultResolved}) {
    EXPECT_EQ(Parse<CheckKind>(Name(k)), k);
  }
  EXPECT_EQ(Name(CheckKind::kNoFraudHold), "no_fraud_hold");
  EXPECT_FALSE(Parse<CheckKind>("credit_score").has_value());
  EXPECT_EQ(Parse<AutoApproval>("when_checks_pass"), AutoApproval::kWhenChecksPass);
  EXPECT_EQ(Parse<SlaClock>("calendar_hours"), SlaClock::kCalendarHours);
  EXPECT_EQ(Parse<ProvisioningFailure>("escalate"), ProvisioningFailure::kEscalate);
  EXPECT_EQ(Name(ProvisioningFailure::kFail), "fail");
  EXPECT_FALSE(Parse<ProvisioningFailure>("retry").has_value());
}

}  // namespace
}  // namespace sb::domain
