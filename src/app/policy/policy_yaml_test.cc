#include "app/policy/policy_yaml.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace sb::app {
namespace {

using domain::CheckKind;
using domain::RequestType;

// The 1-based line on which `marker` starts in `text`; a leading newline in the marker
// only anchors it to the start of a line.
int LineOf(const std::string& text, const std::string& marker) {
  size_t pos = text.find(marker);
  if (pos == std::string::npos) return -1;
  if (marker[0] == '\n') ++pos;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

TEST(PolicyYaml, DefaultPackParsesAndValidates) {
  auto pack = ParsePolicyPack(DefaultPolicyPackYaml());
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  EXPECT_EQ(pack->requests.size(), 15u);
  EXPECT_EQ(pack->calendars.at("paris_business").time_zone, "Europe/Paris");
  EXPECT_EQ(pack->calendars.at("paris_business").holidays.size(), 22u);
  EXPECT_EQ(pack->calendars.at("paris_business").week[0].open_minute, 9 * 60);
  EXPECT_EQ(pack->calendars.at("paris_business").week[5].close_minute, 0);

  const auto& reconnection = pack->requests.at(RequestType::kReconnection);
  ASSERT_EQ(reconnection.checks.size(), 2u);
  EXPECT_EQ(reconnection.checks[0].kind, CheckKind::kPaymentCleared);
  EXPECT_EQ(reconnection.auto_approve, domain::AutoApproval::kWhenChecksPass);
  EXPECT_EQ(reconnection.sla.at("urgent").clock, domain::SlaClock::kCalendarHours);

  const auto& transfer = pack->requests.at(RequestType::kOwnershipTransfer);
  EXPECT_EQ(transfer.approval_role, domain::Role::kAdmin);
  EXPECT_EQ(transfer.checks.back().kind, CheckKind::kApproval);
  EXPECT_TRUE(transfer.checks.back().maker_checker);
  EXPECT_EQ(transfer.checks[1].party, "new_owner");

  EXPECT_EQ(pack->requests.at(RequestType::kReactivation).fee_minor, 1500);
  EXPECT_EQ(pack->requests.at(RequestType::kReactivation).checks[0].max_age_minutes, 43200);
  EXPECT_EQ(pack->requests.at(RequestType::kTermination).offers.at(0).code, "retention_discount");

  const domain::AssistantPolicy& assistant = pack->assistant;
  EXPECT_TRUE(assistant.enabled);
  EXPECT_EQ(assistant.intents.size(), 6u);
  EXPECT_EQ(assistant.handover_type, RequestType::kStatusSync);
  EXPECT_EQ(domain::MatchIntent(assistant, "fr", "Ma ligne est coupée, rétablissez-la",
                                {domain::Intent::kReconnect, domain::Intent::kStatus}),
            domain::Intent::kReconnect)
      << "the pack's words are folded as they are read";
}

TEST(PolicyYaml, DefaultPackEscalatesEveryTypeAndSetsTriggers) {
  auto pack = ParsePolicyPack(DefaultPolicyPackYaml());
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  for (const auto& [type, policy] : pack->requests) {
    EXPECT_EQ(policy.escalate_at_risk.notify_role, domain::Role::kAdmin) << domain::Name(type);
    EXPECT_FALSE(policy.escalate_at_risk.raise_priority) << domain::Name(type);
    EXPECT_TRUE(policy.escalate_breached.raise_priority) << domain::Name(type);
    EXPECT_EQ(policy.escalate_breached.reassign_to, "supervisors") << domain::Name(type);
    EXPECT_EQ(policy.escalate_breached.notify_role, domain::Role::kAdmin) << domain::Name(type);
    EXPECT_EQ(policy.at_risk_percent, 80) << domain::Name(type);
  }
  for (RequestType t :
       {RequestType::kReconnection, RequestType::kActivation, RequestType::kReactivation}) {
    const auto& p = pack->requests.at(t).provisioning;
    EXPECT_FALSE(p.required) << domain::Name(t);
    EXPECT_EQ(p.timeout_minutes, 240) << domain::Name(t);
    EXPECT_EQ(p.on_failure, domain::ProvisioningFailure::kEscalate) << domain::Name(t);
  }
  EXPECT_EQ(pack->triggers.payment_failed_threshold, 3);
  EXPECT_EQ(pack->triggers.dormancy_inactive_days, 180);
  EXPECT_EQ(pack->triggers.dormancy_offer, "welcome_back");
}

TEST(PolicyYaml, ReadsProvisioningWhereTheTenantTurnsItOn) {
  std::string text = DefaultPolicyPackYaml();
  const std::string from = "provisioning: &provisioning_optional\n      required: false";
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "provisioning: &provisioning_optional\n      required: true");
  at = text.find("timeout_minutes: 240");
  text.replace(at, 20, "timeout_minutes: 90");
  auto pack = ParsePolicyPack(text);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  // The anchor carries the change to activation and reactivation too.
  for (RequestType t :
       {RequestType::kReconnection, RequestType::kActivation, RequestType::kReactivation}) {
    EXPECT_TRUE(pack->requests.at(t).provisioning.required) << domain::Name(t);
    EXPECT_EQ(pack->requests.at(t).provisioning.timeout_minutes, 90) << domain::Name(t);
  }
  EXPECT_FALSE(pack->requests.at(RequestType::kSuspension).provisioning.required);
}

TEST(PolicyYaml, DefaultPackUsesOnlySeededReasonCodes) {
  // The reason codes every new tenant starts with (app/admin.cc).
  const std::set<std::string> seeded{"non_payment",      "payment_received", "customer_request",
                                     "fraud_suspected",  "fraud_cleared",    "policy_violation",
                                     "technical_fault",  "fault_resolved",   "kyc_pending",
                                     "kyc_completed",    "data_outdated",    "inactivity",
                                     "regulatory_order", "agent_correction", "account_closure",
                                     "hold_expired",     "reconciliation"};
  auto pack = ParsePolicyPack(DefaultPolicyPackYaml());
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  for (const auto& [type, policy] : pack->requests) {
    EXPECT_FALSE(policy.reason_codes.empty()) << domain::Name(type);
    for (const auto& code : policy.reason_codes)
      EXPECT_TRUE(seeded.count(code)) << domain::Name(type) << ": " << code;
  }
}

struct Broken {
  const char* name;
  std::string find;     // text of the default pack to replace
  std::string replace;  // what replaces it
  std::string param;    // the field path the error must name
  std::string marker;   // text on the line the error must name
};

TEST(PolicyYaml, RefusesBrokenPacksNamingFieldAndLine) {
  const Broken cases[] = {
      {"unknown key",
       "  reconnection:\n    checks:", "  reconnection:\n    priority_boost: 2\n    checks:",
       "requests.reconnection.priority_boost", "priority_boost"},
      {"wrong type", "fee_minor: 1500", "fee_minor: fifteen", "requests.reactivation.fee_minor",
       "fee_minor: fifteen"},
      {"list expected", "    checks:\n      - kind: technical_fault_resolved",
       "    checks: technical_fault_resolved", "requests.status_sync.checks",
       "checks: technical_fault_resolved"},
      {"unknown check kind", "- kind: technical_fault_resolved", "- kind: credit_score",
       "requests.status_sync.checks[0].kind", "credit_score"},
      {"parameter foreign to the kind",
       "- kind: no_fraud_hold\n    auto_approve: when_checks_pass\n    sla: *sla_standard\n"
       "    reason_codes: [customer_request, kyc_completed]",
       "- kind: no_fraud_hold\n        level: 2\n    auto_approve: when_checks_pass\n"
       "    sla: *sla_standard\n    reason_codes: [customer_request, kyc_completed]",
       "requests.activation.checks[2].level", "        level: 2\n    auto_approve"},
      {"unknown request type", "\n  status_sync:", "\n  status_synch:", "requests.status_synch",
       "status_synch:"},
      {"approval without role", "    approval_role: admin\n    sla: *sla_standard",
       "    sla: *sla_standard", "requests.billing_adjustment.approval_role",
       "\n  billing_adjustment:"},
      {"negative fee", "fee_minor: 2500", "fee_minor: -2500",
       "requests.ownership_transfer.fee_minor", "fee_minor: -2500"},
      {"bad currency", "currency: EUR\n    reason_codes: [customer_request, payment",
       "currency: EURO\n    reason_codes: [customer_request, payment",
       "requests.reactivation.currency", "currency: EURO"},
      {"unknown calendar", "urgent: {target_minutes: 540}",
       "urgent: {target_minutes: 540, calendar: lyon}",
       "requests.ownership_transfer.sla.urgent.calendar", "calendar: lyon"},
      {"bad time zone", "    time_zone: Europe/Paris", "    time_zone: CET+1",
       "calendars.paris_business.time_zone", "time_zone: CET+1"},
      {"bad holiday date", "- \"2026-04-06\"", "- \"2026-04-31\"",
       "calendars.paris_business.holidays[1]", "2026-04-31"},
      {"bad opening hours", "monday: \"09:00-18:00\"", "monday: \"9h-18h\"",
       "calendars.paris_business.hours.monday", "9h-18h"},
      {"bad priority", "urgent: {target_minutes: 15, clock: calendar_hours}",
       "critical: {target_minutes: 15, clock: calendar_hours}", "requests.status_sync.sla.critical",
       "critical:"},
      {"unknown origin", "involuntary: {skip: [cooling_off]}", "impulsive: {skip: [cooling_off]}",
       "requests.suspension.overrides.origins.impulsive", "impulsive:"},
      {"bad effective date", "effective_from: \"2026-01-01T00:00:00Z\"",
       "effective_from: \"January 2026\"", "effective_from", "January 2026"},
      {"unknown provisioning key", "      on_failure: escalate",
       "      on_failure: escalate\n      retries: 3", "requests.reconnection.provisioning.retries",
       "retries: 3"},
      {"provisioning timeout not a number", "timeout_minutes: 240  # 4 hours",
       "timeout_minutes: soon", "requests.reconnection.provisioning.timeout_minutes",
       "timeout_minutes: soon"},
      {"provisioning timeout over 30 days", "timeout_minutes: 240  # 4 hours",
       "timeout_minutes: 43201", "requests.reconnection.provisioning.timeout_minutes",
       "timeout_minutes: 43201"},
      {"unknown failure rule", "on_failure: escalate", "on_failure: retry",
       "requests.reconnection.provisioning.on_failure", "on_failure: retry"},
      {"provisioning on a type without network work",
       "      - regulatory_order\n    notifications: [request.completed]\n",
       "      - regulatory_order\n    notifications: [request.completed]\n"
       "    provisioning: {required: true}\n",
       "requests.suspension.provisioning.required", "provisioning: {required: true}"},
      {"unknown escalation moment", "at_risk: {notify_role: admin}",
       "at_risk: {notify_role: admin}\n      overdue: {notify_role: admin}",
       "requests.reconnection.escalation.overdue", "overdue:"},
      {"unknown escalation action", "at_risk: {notify_role: admin}",
       "at_risk: {notify_role: admin, page: oncall}",
       "requests.reconnection.escalation.at_risk.page", "page: oncall"},
      {"unknown notify role", "at_risk: {notify_role: admin}", "at_risk: {notify_role: manager}",
       "requests.reconnection.escalation.at_risk.notify_role", "notify_role: manager"},
      {"raise_priority not a boolean", "raise_priority: true", "raise_priority: twice",
       "requests.reconnection.escalation.breached.raise_priority", "raise_priority: twice"},
      {"reassign to a display name", "reassign_to: supervisors", "reassign_to: \"Night Shift\"",
       "requests.reconnection.escalation.breached.reassign_to", "Night Shift"},
      {"at risk at 100%", "at_risk_percent: 80", "at_risk_percent: 100",
       "requests.reconnection.at_risk_percent", "at_risk_percent: 100"},
      {"unknown plan restore", "restore_plans: at_closure", "restore_plans: newest",
       "requests.reactivation.restore_plans", "restore_plans: newest"},
      {"plan restore on a type that restores nothing",
       "      - regulatory_order\n    notifications: [request.completed]\n",
       "      - regulatory_order\n    notifications: [request.completed]\n"
       "    restore_plans: previous\n",
       "requests.suspension.restore_plans", "restore_plans: previous"},
      {"unknown trigger", "  payment_failed_threshold: 3",
       "  payment_failed_threshold: 3\n  kyc_reminder_days: 7", "triggers.kyc_reminder_days",
       "kyc_reminder_days"},
      {"payment threshold over 100", "payment_failed_threshold: 3", "payment_failed_threshold: 101",
       "triggers.payment_failed_threshold", "payment_failed_threshold: 101"},
      {"dormancy over ten years", "inactive_days: 180", "inactive_days: 4000",
       "triggers.dormancy.inactive_days", "inactive_days: 4000"},
      {"dormancy offer reactivation lacks", "offer: welcome_back", "offer: free_month",
       "triggers.dormancy.offer", "offer: free_month"},
      {"dormancy not a map", "  dormancy:\n    inactive_days: 180\n    offer: welcome_back",
       "  dormancy: 180", "triggers.dormancy", "dormancy: 180"},
      {"assistant intent unknown", "    \"no\":\n", "    maybe:\n", "assistant.intents.maybe",
       "maybe:"},
      {"assistant without french words",
       "fr:\n        keywords: [non, annuler, stop]\n        synonyms: [\"pas maintenant\", \"non "
       "merci\"]",
       "fr: {keywords: []}", "assistant.intents.no.fr", "fr: {keywords: []}"},
      {"assistant files a type its intent may not", "request_types: [reactivation]",
       "request_types: [termination]", "assistant.intents.reactivate.request_types",
       "request_types: [termination]"},
      {"assistant unmatched turns out of range", "max_unmatched_turns: 2", "max_unmatched_turns: 0",
       "assistant.max_unmatched_turns", "max_unmatched_turns: 0"},
      {"assistant reason a filed type lacks", "reason_code: customer_request",
       "reason_code: fault_resolved", "assistant.reason_code", "reason_code: fault_resolved"},
      {"frustration threshold over 1", "frustration_threshold: 0.6", "frustration_threshold: 1.5",
       "sentiment.frustration_threshold", "frustration_threshold: 1.5"},
      {"frustration threshold not a number", "frustration_threshold: 0.6",
       "frustration_threshold: high", "sentiment.frustration_threshold",
       "frustration_threshold: high"},
      {"raise when angry not a boolean", "raise_priority_when_angry: false",
       "raise_priority_when_angry: sometimes", "sentiment.raise_priority_when_angry",
       "raise_priority_when_angry: sometimes"},
      {"unknown sentiment key", "  frustration_threshold: 0.6",
       "  frustration_threshold: 0.6\n  mood: calm", "sentiment.mood", "mood: calm"},
      {"malformed YAML", "version: \"2026.1\"", "version: [\"2026.1\"\nbroken: {", "policy",
       "broken: {"},
  };
  for (const auto& c : cases) {
    std::string text = DefaultPolicyPackYaml();
    size_t at = text.find(c.find);
    ASSERT_NE(at, std::string::npos) << c.name;
    ASSERT_EQ(text.find(c.find, at + 1), std::string::npos) << c.name << ": ambiguous find";
    text.replace(at, c.find.size(), c.replace);
    auto pack = ParsePolicyPack(text);
    ASSERT_FALSE(pack.ok()) << c.name;
    EXPECT_EQ(pack.status().code(), Code::kInvalidArgument) << c.name;
    EXPECT_EQ(pack.status().param(), c.param) << c.name << ": " << pack.status().message();
    int line = LineOf(text, c.marker);
    EXPECT_NE(pack.status().message().find("line " + std::to_string(line) + ":"), std::string::npos)
        << c.name << ": wanted line " << line << " in " << pack.status().message();
  }
}

TEST(PolicyYaml, SentimentSectionIsOffByDefaultAndReadWhenGiven) {
  std::string yaml = DefaultPolicyPackYaml();
  auto pack = ParsePolicyPack(yaml);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  EXPECT_FALSE(pack->sentiment.raise_priority_when_angry);
  size_t at = yaml.find("\nsentiment:");
  ASSERT_NE(at, std::string::npos);
  std::string head = yaml.substr(0, at + 1);
  auto without = ParsePolicyPack(head);
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  EXPECT_FALSE(without->sentiment.raise_priority_when_angry);
  EXPECT_DOUBLE_EQ(without->sentiment.frustration_threshold, 0.6);
  auto on = ParsePolicyPack(
      head + "sentiment:\n  raise_priority_when_angry: true\n  frustration_threshold: 0.45\n");
  ASSERT_TRUE(on.ok()) << on.status().ToString();
  EXPECT_TRUE(on->sentiment.raise_priority_when_angry);
  EXPECT_DOUBLE_EQ(on->sentiment.frustration_threshold, 0.45);
}

TEST(PolicyYaml, HoldsSectionNamesTheRoleThatLiftsAProtectedHold) {
  std::string yaml = DefaultPolicyPackYaml();
  auto pack = ParsePolicyPack(yaml);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  using domain::HoldType;
  using domain::Role;
  EXPECT_EQ(domain::ProtectedHoldRole(*pack, HoldType::kFraudReview), Role::kSupervisor);
  EXPECT_EQ(domain::ProtectedHoldRole(*pack, HoldType::kLegal), Role::kSupervisor);
  EXPECT_EQ(domain::ProtectedHoldRole(*pack, HoldType::kNonPayment), std::nullopt);

  size_t at = yaml.find("\nholds:");
  ASSERT_NE(at, std::string::npos);
  std::string head = yaml.substr(0, at + 1);
  auto admin_only = ParsePolicyPack(head + "holds:\n  protected:\n    regulatory: admin\n");
  ASSERT_TRUE(admin_only.ok()) << admin_only.status().ToString();
  EXPECT_EQ(domain::ProtectedHoldRole(*admin_only, HoldType::kRegulatory), Role::kAdmin);
  EXPECT_EQ(domain::ProtectedHoldRole(*admin_only, HoldType::kFraudReview), std::nullopt);
  // Without the section, the three default types stay protected.
  EXPECT_EQ(domain::ProtectedHoldRole(*ParsePolicyPack(head), HoldType::kRegulatory),
            Role::kSupervisor);

  auto bad_type = ParsePolicyPack(head + "holds:\n  protected:\n    vacation: admin\n");
  EXPECT_EQ(bad_type.status().param(), "holds.protected.vacation");
  auto bad_key = ParsePolicyPack(head + "holds:\n  locked: {}\n");
  EXPECT_EQ(bad_key.status().code(), Code::kInvalidArgument);
}

// The identity methods: the default pack's, the defaults without the section, a section of
// the tenant's own replacing them whole, and the refusals naming the field.
TEST(PolicyYaml, IdentityMethodsGiveEachMethodItsLevelAndWhetherItStandsAlone) {
  std::string yaml = DefaultPolicyPackYaml();
  auto pack = ParsePolicyPack(yaml);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  const auto& m = pack->identity_methods;
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m.at("otp_email").level, 1);
  EXPECT_EQ(m.at("otp_sms").level, 1);
  EXPECT_EQ(m.at("document_check").level, 2);
  EXPECT_EQ(m.at("in_person").level, 3);
  EXPECT_EQ(m.at("knowledge").level, 1);
  EXPECT_FALSE(m.at("knowledge").alone);
  EXPECT_TRUE(m.at("otp_sms").alone);

  size_t at = yaml.find("\nidentity_methods:");
  ASSERT_NE(at, std::string::npos);
  std::string head = yaml.substr(0, at + 1);
  auto without = ParsePolicyPack(head);
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  EXPECT_EQ(without->identity_methods.size(), 5u) << "a pack without the section: the defaults";
  EXPECT_FALSE(without->identity_methods.at("knowledge").alone);

  auto own = ParsePolicyPack(head + "identity_methods:\n  video_call: {level: 2}\n");
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->identity_methods.size(), 1u);
  EXPECT_EQ(own->identity_methods.at("video_call").level, 2);

  struct Bad {
    std::string section;
    std::string param;
  };
  for (const Bad& b : std::vector<Bad>{
           {"  otp_sms: {level: 4}\n", "identity_methods.otp_sms.level"},
           {"  otp_sms: {level: 0}\n", "identity_methods.otp_sms.level"},
           {"  otp_sms: {}\n", "identity_methods.otp_sms.level"},
           {"  otp_sms: {level: 1, strength: 2}\n", "identity_methods.otp_sms.strength"},
           {"  otp_sms: {level: 1, alone: maybe}\n", "identity_methods.otp_sms.alone"},
           {"  Bad-Name: {level: 1}\n", "identity_methods.Bad-Name"},
           {"  knowledge: {level: 1, alone: false}\n", "identity_methods"},
           {"  {}\n", "identity_methods"},
       }) {
    auto refused = ParsePolicyPack(head + "identity_methods:\n" + b.section);
    ASSERT_FALSE(refused.ok()) << b.section;
    EXPECT_EQ(refused.status().param(), b.param) << b.section << refused.status().ToString();
  }
}

// The fraud rules: the default pack turns the three on; a pack without the section fires none;
// the refusals name the field.
TEST(PolicyYaml, FraudSectionTurnsEachRuleOnWithItsFigures) {
  std::string yaml = DefaultPolicyPackYaml();
  auto pack = ParsePolicyPack(yaml);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  const domain::FraudPolicy& f = pack->fraud;
  EXPECT_TRUE(f.reactivation_velocity.enabled);
  EXPECT_EQ(f.reactivation_velocity.max_count, 2);
  EXPECT_EQ(f.reactivation_velocity.window_minutes, 43200);
  EXPECT_FALSE(f.reactivation_velocity.hold);
  EXPECT_TRUE(f.contact_then_payment_change.enabled);
  EXPECT_EQ(f.contact_then_payment_change.window_minutes, 1440);
  EXPECT_TRUE(f.contact_then_payment_change.hold);
  EXPECT_EQ(f.failed_codes.max_count, 10);
  EXPECT_TRUE(f.failed_codes.hold);

  size_t at = yaml.find("\nfraud:");
  ASSERT_NE(at, std::string::npos);
  std::string head = yaml.substr(0, at + 1);
  auto without = ParsePolicyPack(head);
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  EXPECT_FALSE(without->fraud.reactivation_velocity.enabled);
  EXPECT_FALSE(without->fraud.contact_then_payment_change.enabled);
  EXPECT_FALSE(without->fraud.failed_codes.enabled);

  auto off = ParsePolicyPack(
      head + "fraud:\n  failed_codes: {enabled: false, max_count: 3, window_minutes: 10}\n");
  ASSERT_TRUE(off.ok()) << off.status().ToString();
  EXPECT_FALSE(off->fraud.failed_codes.enabled);

  struct Bad {
    std::string section;
    std::string param;
  };
  for (const Bad& b : std::vector<Bad>{
           {"  failed_codes: {max_count: 0, window_minutes: 10}\n", "fraud.failed_codes.max_count"},
           {"  failed_codes: {max_count: 3}\n", "fraud.failed_codes.window_minutes"},
           {"  failed_codes: {max_count: 3, window_minutes: 600000}\n",
            "fraud.failed_codes.window_minutes"},
           {"  failed_codes: {max_count: 3, window_minutes: 10, action: ban}\n",
            "fraud.failed_codes.action"},
           {"  login_velocity: {window_minutes: 10}\n", "fraud.login_velocity"},
       }) {
    auto refused = ParsePolicyPack(head + "fraud:\n" + b.section);
    ASSERT_FALSE(refused.ok()) << b.section;
    EXPECT_EQ(refused.status().param(), b.param) << b.section << refused.status().ToString();
  }
}

TEST(PolicyYaml, RefusesAPackMissingARequestType) {
  std::string text = DefaultPolicyPackYaml();
  size_t at = text.find("\n  # Bringing status in line");
  ASSERT_NE(at, std::string::npos);
  text.erase(at + 1);
  auto pack = ParsePolicyPack(text);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().param(), "requests.status_sync");
  EXPECT_NE(pack.status().message().find("line " + std::to_string(LineOf(text, "\nrequests:"))),
            std::string::npos)
      << pack.status().message();
}

TEST(PolicyYaml, RefusesNonMapDocuments) {
  for (const char* text : {"", "- a\n- b\n", "just text"}) {
    auto pack = ParsePolicyPack(text);
    ASSERT_FALSE(pack.ok()) << text;
    EXPECT_EQ(pack.status().code(), Code::kInvalidArgument) << text;
  }
}

// The default pack with the first `from` replaced by `to`, parsed (a failure when there is none).
Result<domain::PolicyPack> ParseDefaultWith(const std::string& from, const std::string& to) {
  std::string t = DefaultPolicyPackYaml();
  size_t at = t.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return ParsePolicyPack(t.replace(at, from.size(), to));
}

TEST(PolicyYaml, ReadsReconciliationRulesAndRefusesRepairingAStatusTheSourceIsRightAbout) {
  auto with = ParseDefaultWith;
  const std::string amount = "amount_due: {truth: source, repair: queue}";
  auto repaired = with(amount, "amount_due: {truth: source, repair: repair}");
  ASSERT_TRUE(repaired.ok()) << repaired.status().ToString();
  EXPECT_EQ(repaired->reconciliation.amount_due.repair, domain::DriftRepair::kRepair);
  EXPECT_EQ(with(amount, "amount_due: {truth: billing, repair: queue}").status().param(),
            "reconciliation.amount_due.truth");
  EXPECT_EQ(with(amount, "amount_due: {truth: source, repair: later}").status().param(),
            "reconciliation.amount_due.repair");
  EXPECT_EQ(with(amount, "amount_owed: {truth: source}").status().param(),
            "reconciliation.amount_owed");
  const std::string status = "account_status: {truth: switchboard, repair: queue}";
  EXPECT_EQ(with(status, "account_status: {truth: source, repair: repair}").status().param(),
            "reconciliation.account_status.repair");
  EXPECT_TRUE(with(status, "account_status: {truth: source, repair: queue}").ok());
}

TEST(PolicyYaml, ReadsRetentionAndDataRights) {
  auto pack = ParsePolicyPack(DefaultPolicyPackYaml());
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  EXPECT_EQ(pack->retention.erase_after_closure_days, 0);
  EXPECT_EQ(pack->data_rights.export_roles, std::vector<domain::Role>{domain::Role::kSupervisor});
  EXPECT_TRUE(pack->data_rights.erasure_blocked_by_open_requests);
  const auto& erasure = pack->requests.at(RequestType::kDataErasure);
  EXPECT_EQ(erasure.approval_role, domain::Role::kSupervisor);

  auto with = ParseDefaultWith;
  EXPECT_EQ(with("erase_after_closure_days: 0", "erase_after_closure_days: 365")
                ->retention.erase_after_closure_days,
            365);
  EXPECT_EQ(with("erase_after_closure_days: 0", "erase_after_closure_days: -1").status().param(),
            "retention.erase_after_closure_days");
  EXPECT_EQ(with("erase_after_closure_days: 0", "erase_after_days: 3").status().param(),
            "retention.erase_after_days");
  EXPECT_EQ(with("export_roles: [supervisor]", "export_roles: [janitor]").status().param(),
            "data_rights.export_roles[0]");
}

TEST(PolicyYaml, GivesAPackWithoutDataRightsEntriesTheShippedOnes) {
  std::string text = DefaultPolicyPackYaml();
  size_t from = text.find("\n  # Subject access:");
  size_t to = text.find("\n# Automated triggers");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  text.erase(from + 1, to - from);
  auto pack = ParsePolicyPack(text);
  ASSERT_TRUE(pack.ok()) << pack.status().ToString();
  const auto& erasure = pack->requests.at(RequestType::kDataErasure);
  EXPECT_EQ(erasure.auto_approve, domain::AutoApproval::kWhenChecksPass);
  EXPECT_EQ(erasure.checks.size(), 3u);
  EXPECT_TRUE(erasure.origin_overrides.count(domain::Origin::kAutomated));
  EXPECT_EQ(pack->requests.at(RequestType::kDataAccess).checks.at(0).kind,
            CheckKind::kIdentityVerified);
}

}  // namespace
}  // namespace sb::app
