#include "domain/checks.h"

#include <algorithm>

namespace sb::domain {
namespace {

CheckResult Pass(CheckKind kind, std::string detail) {
  return {kind, true, std::move(detail), "", RequestState::kApproved};
}

CheckResult Wait(CheckKind kind, RequestState waits_for, std::string detail) {
  return {kind, false, std::move(detail), "", waits_for};
}

bool HasActiveHold(const CheckFacts& f, HoldType type, bool service_scoped) {
  for (const Hold& h : *f.active_holds) {
    if (h.type != type) continue;
    if (!service_scoped || !h.service_id || !f.service_id || *h.service_id == *f.service_id)
      return true;
  }
  return false;
}

// Whether `method` may prove an identity on its own under `methods` (null: the defaults).
bool StandsAlone(const std::map<std::string, IdentityMethod>* methods, const std::string& method) {
  static const std::map<std::string, IdentityMethod> kDefaults = DefaultIdentityMethods();
  const auto& all = methods ? *methods : kDefaults;
  auto it = all.find(method);
  return it == all.end() || it->second.alone;
}

CheckResult IdentityVerified(const CheckSpec& spec, const CheckFacts& f) {
  std::string party = spec.party.value_or("owner");
  int level = spec.level.value_or(1);
  Timestamp oldest = spec.max_age_minutes ? f.now - *spec.max_age_minutes * kMillisPerMinute : 0;
  CheckResult r;
  r.kind = CheckKind::kIdentityVerified;
  r.party = party;
  auto in_time = [&](const Verification& v) {
    return v.kind == VerificationKind::kIdentity && v.party == party && v.verified_at >= oldest &&
           v.verified_at <= f.now;
  };
  // A factor that may not stand alone (knowledge questions) counts only beside one that may.
  const Verification* alone = nullptr;
  for (const Verification& v : *f.verifications) {
    if (in_time(v) && StandsAlone(f.identity_methods, v.method)) {
      alone = &v;
      break;
    }
  }
  for (const Verification& v : *f.verifications) {
    if (!in_time(v) || v.level < level) continue;
    bool stands = StandsAlone(f.identity_methods, v.method);
    if (!stands && alone == nullptr) continue;
    r.passed = true;
    r.waits_for = RequestState::kApproved;
    r.detail = party + " identity verified by " + v.method + " at level " +
               std::to_string(v.level) + " (" + v.id + ")";
    if (!stands) r.detail += " beside " + alone->method + " (" + alone->id + ")";
    return r;
  }
  r.waits_for = RequestState::kAwaitingCustomer;
  r.detail = "needs the " + party + "'s identity verified at level " + std::to_string(level);
  if (spec.max_age_minutes) {
    r.detail += " within the last " + std::to_string(*spec.max_age_minutes) + " minutes";
  }
  return r;
}

CheckResult ConsentRecorded(const CheckFacts& f) {
  for (const Verification& v : *f.verifications) {
    if (v.kind != VerificationKind::kConsent) continue;
    bool for_this = !f.request_id.empty() && v.request_id == f.request_id;
    bool recent_general = v.request_id.empty() && v.verified_at >= f.now - kMillisPerDay;
    if (for_this || recent_general) {
      return Pass(CheckKind::kConsentRecorded,
                  "consent recorded by " + v.method + " (" + v.id + ")");
    }
  }
  return Wait(CheckKind::kConsentRecorded, RequestState::kAwaitingCustomer,
              "needs the customer's consent for this request");
}

CheckResult DataCurrent(const CheckSpec& spec, const CheckFacts& f) {
  Timestamp oldest = spec.max_age_minutes ? f.now - *spec.max_age_minutes * kMillisPerMinute : 0;
  if (f.account->created_at >= oldest) {
    return Pass(CheckKind::kDataCurrent, "the account's data was entered recently");
  }
  for (const Verification& v : *f.verifications) {
    if (v.kind == VerificationKind::kDataConfirmation && v.verified_at >= oldest) {
      return Pass(CheckKind::kDataCurrent, "data confirmed by " + v.method + " (" + v.id + ")");
    }
  }
  return Wait(CheckKind::kDataCurrent, RequestState::kAwaitingCustomer,
              "needs the customer to confirm their data is current");
}

CheckResult Approval(const CheckSpec& spec, const CheckFacts& f) {
  Role role = spec.role ? *spec.role : f.policy_approval_role.value_or(Role::kAdmin);
  for (const Decision& d : *f.decisions) {
    if (!d.approved) continue;
    if (spec.maker_checker && d.actor.id == f.maker.id) continue;
    if (!RoleSatisfies(d.actor.role, role)) continue;
    return Pass(CheckKind::kApproval, "approved by " + d.actor.id);
  }
  return Wait(CheckKind::kApproval, RequestState::kAwaitingApproval,
              "needs approval by " + std::string(Name(role)) +
                  (spec.maker_checker ? " other than the requester" : ""));
}

}  // namespace

bool RoleSatisfies(std::optional<Role> role, Role required) {
  if (!role) return false;
  if (*role == required || *role == Role::kAdmin) return true;
  // A supervisor does every agent's work besides their own.
  return *role == Role::kSupervisor && required == Role::kAgent;
}

CheckResult RunCheck(const CheckSpec& spec, const CheckFacts& f) {
  switch (spec.kind) {
    case CheckKind::kPaymentCleared:
      if (f.account->amount_due_minor <= 0) return Pass(spec.kind, "nothing is due on the account");
      return Wait(spec.kind, RequestState::kAwaitingPayment,
                  std::to_string(f.account->amount_due_minor) + " " + f.account->currency +
                      " (minor units) still due");
    case CheckKind::kKycComplete: {
      int min = spec.min_kyc_level.value_or(1);
      if (f.account->kyc_level >= min)
        return Pass(spec.kind, "KYC level " + std::to_string(f.account->kyc_level));
      return Wait(spec.kind, RequestState::kAwaitingCustomer,
                  "needs KYC level " + std::to_string(min) + ", account is at " +
                      std::to_string(f.account->kyc_level));
    }
    case CheckKind::kIdentityVerified:
      return IdentityVerified(spec, f);
    case CheckKind::kNoFraudHold:
      if (!HasActiveHold(f, HoldType::kFraudReview, false))
        return Pass(spec.kind, "no fraud review hold");
      return Wait(spec.kind, RequestState::kVerifying,
                  "a fraud review hold is active; waits for the fraud team to lift it");
    case CheckKind::kConsentRecorded:
      return ConsentRecorded(f);
    case CheckKind::kCoolingOff: {
      std::int64_t max = spec.max_count.value_or(1);
      std::string window = std::to_string(spec.window_days.value_or(0)) + " days";
      if (f.same_type_recent < max)
        return Pass(spec.kind, std::to_string(f.same_type_recent) + " in the last " + window);
      return Wait(spec.kind, RequestState::kRejected,
                  "already " + std::to_string(f.same_type_recent) + " in the last " + window +
                      " (at most " + std::to_string(max) + ")");
    }
    case CheckKind::kApproval:
      return Approval(spec, f);
    case CheckKind::kDataCurrent:
      return DataCurrent(spec, f);
    case CheckKind::kTechnicalFaultResolved:
      if (!HasActiveHold(f, HoldType::kTechnicalFault, true))
        return Pass(spec.kind, "no open technical fault");
      return Wait(spec.kind, RequestState::kVerifying,
                  "a technical fault is open; waits for fault.resolved");
  }
  return Wait(spec.kind, RequestState::kRejected, "unknown check");
}

std::vector<CheckResult> RunChecks(const std::vector<CheckSpec>& specs, const CheckFacts& facts) {
  std::vector<CheckResult> out;
  out.reserve(specs.size());
  for (const CheckSpec& s : specs) out.push_back(RunCheck(s, facts));
  return out;
}

RequestState Verdict(const std::vector<CheckResult>& results, AutoApproval auto_approve,
                     bool decided) {
  constexpr RequestState kOrder[] = {RequestState::kRejected, RequestState::kAwaitingPayment,
                                     RequestState::kAwaitingCustomer, RequestState::kVerifying,
                                     RequestState::kAwaitingApproval};
  for (RequestState s : kOrder) {
    for (const CheckResult& r : results) {
      if (!r.passed && r.waits_for == s) return s;
    }
  }
  if (auto_approve == AutoApproval::kNever && !decided) return RequestState::kAwaitingApproval;
  return RequestState::kApproved;
}

int CoolingOffWindowDays(const std::vector<CheckSpec>& specs) {
  int days = 0;
  for (const CheckSpec& s : specs) {
    if (s.kind == CheckKind::kCoolingOff) days = std::max(days, s.window_days.value_or(0));
  }
  return days;
}

}  // namespace sb::domain
