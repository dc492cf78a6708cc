#include "domain/checks.h"

#include <gtest/gtest.h>

#include <functional>

namespace sb::domain {
namespace {

constexpr Timestamp kNow = 1'780'000'000'000;  // 2026-05-28
constexpr Timestamp kMinute = kMillisPerMinute;

// What the checks see, made easy to bend per case.
struct World {
  Account account;
  std::vector<Hold> holds;
  std::vector<Verification> verifications;
  std::vector<Decision> decisions;
  std::optional<std::string> service_id;
  std::int64_t same_type_recent = 0;
  std::optional<Role> approval_role;

  World() {
    account.id = "acc_1";
    account.currency = "EUR";
    account.kyc_level = 1;
    account.created_at = kNow - 400 * kMillisPerDay;
  }

  CheckFacts Facts() const {
    CheckFacts f;
    f.now = kNow;
    f.account = &account;
    f.active_holds = &holds;
    f.service_id = service_id;
    f.verifications = &verifications;
    f.request_id = "req_1";
    f.maker = {ActorType::kApiKey, "key_maker", Role::kAgent};
    f.decisions = &decisions;
    f.same_type_recent = same_type_recent;
    f.policy_approval_role = approval_role;
    return f;
  }
};

Hold HoldOf(HoldType type, std::optional<std::string> service = std::nullopt) {
  Hold h;
  h.type = type;
  h.service_id = std::move(service);
  return h;
}

Verification Identity(std::string party, int level, Timestamp at) {
  Verification v;
  v.id = "ver_" + party;
  v.kind = VerificationKind::kIdentity;
  v.party = std::move(party);
  v.method = "otp_sms";
  v.level = level;
  v.verified_at = at;
  return v;
}

Verification Consent(std::string request_id, Timestamp at) {
  Verification v;
  v.id = "ver_consent";
  v.kind = VerificationKind::kConsent;
  v.method = "recorded_call";
  v.request_id = std::move(request_id);
  v.verified_at = at;
  return v;
}

Decision Approved(std::string actor_id, Role role) {
  return {{ActorType::kApiKey, std::move(actor_id), role}, true, "", "", kNow};
}

struct CheckCase {
  const char* name;
  CheckSpec spec;
  std::function<void(World&)> arrange;
  bool passed;
  RequestState waits_for;  // ignored when passed
};

CheckSpec Spec(CheckKind kind) {
  CheckSpec s;
  s.kind = kind;
  return s;
}

CheckSpec IdentitySpec(int level, std::int64_t max_age, std::string party = "owner") {
  CheckSpec s;
  s.kind = CheckKind::kIdentityVerified;
  s.level = level;
  s.max_age_minutes = max_age;
  s.party = std::move(party);
  return s;
}

CheckSpec ApprovalSpec(bool maker_checker, std::optional<Role> role = std::nullopt) {
  CheckSpec s;
  s.kind = CheckKind::kApproval;
  s.maker_checker = maker_checker;
  s.role = role;
  return s;
}

CheckSpec CoolingOff(int window_days, int max_count) {
  CheckSpec s;
  s.kind = CheckKind::kCoolingOff;
  s.window_days = window_days;
  s.max_count = max_count;
  return s;
}

CheckSpec Kyc(int level) {
  CheckSpec s;
  s.kind = CheckKind::kKycComplete;
  s.min_kyc_level = level;
  return s;
}

CheckSpec DataCurrentSpec(std::int64_t max_age) {
  CheckSpec s;
  s.kind = CheckKind::kDataCurrent;
  s.max_age_minutes = max_age;
  return s;
}

const auto kNothing = [](World&) {};

TEST(Checks, EachCheckPassesOrSaysWhatItWaitsFor) {
  using S = RequestState;
  const std::vector<CheckCase> cases = {
      {"paid up", Spec(CheckKind::kPaymentCleared), kNothing, true, S::kApproved},
      {"money due", Spec(CheckKind::kPaymentCleared),
       [](World& w) { w.account.amount_due_minor = 1; }, false, S::kAwaitingPayment},
      {"kyc enough", Kyc(1), kNothing, true, S::kApproved},
      {"kyc short", Kyc(2), kNothing, false, S::kAwaitingCustomer},
      {"identity fresh", IdentitySpec(2, 60),
       [](World& w) { w.verifications.push_back(Identity("owner", 2, kNow - 59 * kMinute)); }, true,
       S::kApproved},
      {"identity too old", IdentitySpec(2, 60),
       [](World& w) { w.verifications.push_back(Identity("owner", 2, kNow - 61 * kMinute)); },
       false, S::kAwaitingCustomer},
      {"identity too weak", IdentitySpec(2, 60),
       [](World& w) { w.verifications.push_back(Identity("owner", 1, kNow)); }, false,
       S::kAwaitingCustomer},
      {"identity in the future", IdentitySpec(1, 60),
       [](World& w) { w.verifications.push_back(Identity("owner", 3, kNow + kMinute)); }, false,
       S::kAwaitingCustomer},
      {"owner proven, new owner asked", IdentitySpec(2, 60, "new_owner"),
       [](World& w) { w.verifications.push_back(Identity("owner", 3, kNow)); }, false,
       S::kAwaitingCustomer},
      {"new owner proven", IdentitySpec(2, 60, "new_owner"),
       [](World& w) { w.verifications.push_back(Identity("new_owner", 2, kNow)); }, true,
       S::kApproved},
      {"no fraud hold", Spec(CheckKind::kNoFraudHold),
       [](World& w) { w.holds.push_back(HoldOf(HoldType::kNonPayment)); }, true, S::kApproved},
      {"fraud review open", Spec(CheckKind::kNoFraudHold),
       [](World& w) { w.holds.push_back(HoldOf(HoldType::kFraudReview)); }, false, S::kVerifying},
      {"consent for this request", Spec(CheckKind::kConsentRecorded),
       [](World& w) { w.verifications.push_back(Consent("req_1", kNow - 30 * kMillisPerDay)); },
       true, S::kApproved},
      {"consent for another request", Spec(CheckKind::kConsentRecorded),
       [](World& w) { w.verifications.push_back(Consent("req_2", kNow)); }, false,
       S::kAwaitingCustomer},
      {"general consent today", Spec(CheckKind::kConsentRecorded),
       [](World& w) { w.verifications.push_back(Consent("", kNow - 23 * 60 * kMinute)); }, true,
       S::kApproved},
      {"general consent stale", Spec(CheckKind::kConsentRecorded),
       [](World& w) { w.verifications.push_back(Consent("", kNow - 25 * 60 * kMinute)); }, false,
       S::kAwaitingCustomer},
      {"under the cooling-off limit", CoolingOff(30, 2), [](World& w) { w.same_type_recent = 1; },
       true, S::kApproved},
      {"cooling-off limit reached", CoolingOff(30, 2), [](World& w) { w.same_type_recent = 2; },
       false, S::kRejected},
      {"no approval yet", ApprovalSpec(true), kNothing, false, S::kAwaitingApproval},
      {"approved by another admin", ApprovalSpec(true),
       [](World& w) { w.decisions.push_back(Approved("key_checker", Role::kAdmin)); }, true,
       S::kApproved},
      {"approved by the maker", ApprovalSpec(true),
       [](World& w) { w.decisions.push_back(Approved("key_maker", Role::kAdmin)); }, false,
       S::kAwaitingApproval},
      {"maker may approve without maker-checker", ApprovalSpec(false),
       [](World& w) { w.decisions.push_back(Approved("key_maker", Role::kAdmin)); }, true,
       S::kApproved},
      {"approver lacks the policy role", ApprovalSpec(true),
       [](World& w) {
         w.approval_role = Role::kAdmin;
         w.decisions.push_back(Approved("key_checker", Role::kAgent));
       },
       false, S::kAwaitingApproval},
      {"agent role asked, agent approves", ApprovalSpec(true, Role::kAgent),
       [](World& w) { w.decisions.push_back(Approved("key_checker", Role::kAgent)); }, true,
       S::kApproved},
      {"data entered recently", DataCurrentSpec(60),
       [](World& w) { w.account.created_at = kNow - 10 * kMinute; }, true, S::kApproved},
      {"data old and unconfirmed", DataCurrentSpec(60), kNothing, false, S::kAwaitingCustomer},
      {"data confirmed", DataCurrentSpec(60),
       [](World& w) {
         Verification v = Consent("", kNow - kMinute);
         v.kind = VerificationKind::kDataConfirmation;
         w.verifications.push_back(v);
       },
       true, S::kApproved},
      {"fault on another service", Spec(CheckKind::kTechnicalFaultResolved),
       [](World& w) {
         w.service_id = "svc_a";
         w.holds.push_back(HoldOf(HoldType::kTechnicalFault, "svc_b"));
       },
       true, S::kApproved},
      {"fault on this service", Spec(CheckKind::kTechnicalFaultResolved),
       [](World& w) {
         w.service_id = "svc_a";
         w.holds.push_back(HoldOf(HoldType::kTechnicalFault, "svc_a"));
       },
       false, S::kVerifying},
      {"fault on the whole account", Spec(CheckKind::kTechnicalFaultResolved),
       [](World& w) {
         w.service_id = "svc_a";
         w.holds.push_back(HoldOf(HoldType::kTechnicalFault));
       },
       false, S::kVerifying},
  };
  for (const CheckCase& c : cases) {
    SCOPED_TRACE(c.name);
    World w;
    c.arrange(w);
    CheckResult r = RunCheck(c.spec, w.Facts());
    EXPECT_EQ(r.kind, c.spec.kind);
    EXPECT_EQ(r.passed, c.passed) << r.detail;
    EXPECT_FALSE(r.detail.empty());
    if (!c.passed) {
      EXPECT_EQ(r.waits_for, c.waits_for) << r.detail;
    }
  }
}

CheckResult Failing(RequestState waits_for) {
  return {CheckKind::kPaymentCleared, false, "missing", "", waits_for};
}
CheckResult Passing() {
  return {CheckKind::kPaymentCleared, true, "ok", "", RequestState::kApproved};
}

TEST(Checks, VerdictWaitsForWhatOnlyThatPartyCanBring) {
  using S = RequestState;
  struct Case {
    const char* name;
    std::vector<CheckResult> results;
    AutoApproval auto_approve;
    bool decided;
    S expected;
  };
  const std::vector<Case> cases = {
      {"all pass", {Passing(), Passing()}, AutoApproval::kWhenChecksPass, false, S::kApproved},
      {"nothing to check", {}, AutoApproval::kWhenChecksPass, false, S::kApproved},
      {"never auto-approves", {Passing()}, AutoApproval::kNever, false, S::kAwaitingApproval},
      {"never, but decided", {Passing()}, AutoApproval::kNever, true, S::kApproved},
      {"approval last",
       {Failing(S::kAwaitingApproval), Failing(S::kVerifying)},
       AutoApproval::kWhenChecksPass,
       false,
       S::kVerifying},
      {"customer before another team",
       {Failing(S::kVerifying), Failing(S::kAwaitingCustomer)},
       AutoApproval::kWhenChecksPass,
       false,
       S::kAwaitingCustomer},
      {"payment before the customer",
       {Failing(S::kAwaitingCustomer), Failing(S::kAwaitingPayment)},
       AutoApproval::kWhenChecksPass,
       false,
       S::kAwaitingPayment},
      {"cooling off rejects whatever else waits",
       {Failing(S::kAwaitingPayment), Failing(S::kRejected)},
       AutoApproval::kAlways,
       true,
       S::kRejected},
      {"always still waits for what is missing",
       {Failing(S::kAwaitingPayment)},
       AutoApproval::kAlways,
       false,
       S::kAwaitingPayment},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Verdict(c.results, c.auto_approve, c.decided), c.expected);
  }
}

Verification ByMethod(std::string method, int level, Timestamp at, std::string party = "owner") {
  Verification v = Identity(std::move(party), level, at);
  v.id = "ver_" + method;
  v.method = std::move(method);
  return v;
}

// Knowledge questions only add to another factor: alone they never prove an identity, beside
// a stand-alone verification of the same party within the max age they do.
TEST(Checks, AKnowledgeAnswerCountsOnlyBesideAStandAloneFactor) {
  struct Case {
    const char* name;
    std::vector<Verification> verifications;
    bool passed;
  };
  const std::vector<Case> cases = {
      {"knowledge alone", {ByMethod("knowledge", 1, kNow - kMinute)}, false},
      {"knowledge with a fresh code",
       {ByMethod("knowledge", 1, kNow - kMinute), ByMethod("otp_sms", 1, kNow - 2 * kMinute)},
       true},
      {"knowledge with a code too old for the check",
       {ByMethod("knowledge", 1, kNow - kMinute), ByMethod("otp_sms", 1, kNow - 90 * kMinute)},
       false},
      {"knowledge with the other party's code",
       {ByMethod("knowledge", 1, kNow - kMinute),
        ByMethod("otp_sms", 1, kNow - kMinute, "new_owner")},
       false},
      {"a code alone", {ByMethod("otp_email", 1, kNow - kMinute)}, true},
      {"a method no longer in the pack stands alone", {ByMethod("document", 1, kNow)}, true},
  };
  for (const Case& c : cases) {
    World w;
    w.verifications = c.verifications;
    CheckResult r = RunCheck(IdentitySpec(1, 60), w.Facts());
    EXPECT_EQ(r.passed, c.passed) << c.name << ": " << r.detail;
  }
}

// The pack decides which methods stand alone.
TEST(Checks, ThePackSaysWhichMethodsStandAlone) {
  World w;
  w.verifications = {ByMethod("knowledge", 1, kNow - kMinute)};
  std::map<std::string, IdentityMethod> methods = DefaultIdentityMethods();
  methods["knowledge"].alone = true;
  CheckFacts f = w.Facts();
  f.identity_methods = &methods;
  EXPECT_TRUE(RunCheck(IdentitySpec(1, 60), f).passed);
  methods["otp_sms"].alone = false;
  methods["knowledge"].alone = false;
  w.verifications.push_back(ByMethod("otp_sms", 1, kNow - kMinute));
  f = w.Facts();
  f.identity_methods = &methods;
  EXPECT_FALSE(RunCheck(IdentitySpec(1, 60), f).passed) << "two factors that add, none alone";
}

TEST(Checks, CoolingOffWindowIsTheLargestOfTheSpecs) {
  EXPECT_EQ(CoolingOffWindowDays({Spec(CheckKind::kPaymentCleared)}), 0);
  EXPECT_EQ(
      CoolingOffWindowDays({CoolingOff(30, 2), Spec(CheckKind::kApproval), CoolingOff(365, 3)}),
      365);
}

TEST(Checks, AdminSatisfiesEveryRoleAndNobodyElseStandsIn) {
  EXPECT_TRUE(RoleSatisfies(Role::kAdmin, Role::kAgent));
  EXPECT_TRUE(RoleSatisfies(Role::kAgent, Role::kAgent));
  EXPECT_FALSE(RoleSatisfies(Role::kAgent, Role::kAdmin));
  EXPECT_FALSE(RoleSatisfies(Role::kAuditor, Role::kAgent));
  EXPECT_FALSE(RoleSatisfies(std::nullopt, Role::kAgent));
}

}  // namespace
}  // namespace sb::domain
