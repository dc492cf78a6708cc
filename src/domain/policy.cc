#include "domain/policy.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "domain/enum_table.h"
#include "domain/request_types.h"

namespace sb::domain {
namespace {

template <typename E, size_t N>
using Table = EnumTable<E, N>;

constexpr Table<CheckKind, 9> kCheckKinds{
    {{CheckKind::kPaymentCleared, "payment_cleared"},
     {CheckKind::kKycComplete, "kyc_complete"},
     {CheckKind::kIdentityVerified, "identity_verified"},
     {CheckKind::kNoFraudHold, "no_fraud_hold"},
     {CheckKind::kConsentRecorded, "consent_recorded"},
     {CheckKind::kCoolingOff, "cooling_off"},
     {CheckKind::kApproval, "approval"},
     {CheckKind::kDataCurrent, "data_current"},
     {CheckKind::kTechnicalFaultResolved, "technical_fault_resolved"}}};
constexpr Table<AutoApproval, 3> kAutoApprovals{
    {{AutoApproval::kAlways, "always"},
     {AutoApproval::kNever, "never"},
     {AutoApproval::kWhenChecksPass, "when_checks_pass"}}};
constexpr Table<ProvisioningFailure, 2> kProvisioningFailures{
    {{ProvisioningFailure::kFail, "fail"}, {ProvisioningFailure::kEscalate, "escalate"}}};
constexpr Table<PlanRestore, 2> kPlanRestores{
    {{PlanRestore::kAtClosure, "at_closure"}, {PlanRestore::kPrevious, "previous"}}};
constexpr Table<SlaClock, 2> kSlaClocks{
    {{SlaClock::kBusinessHours, "business_hours"}, {SlaClock::kCalendarHours, "calendar_hours"}}};

// The range of each number a pack can hold. Minutes and money from a pack are added to
// times and balances: past these bounds that arithmetic could overflow, and no real
// policy comes near them.
struct Range {
  std::int64_t lo;
  std::int64_t hi;
};
constexpr Range kLevelRange{1, 10};            // identity assurance levels
constexpr Range kKycLevelRange{0, 10};         // KYC levels (accounts use 0 to 3)
constexpr Range kMaxAgeRange{1, 10 * 525600};  // ten years of minutes
constexpr Range kWindowDaysRange{1, 3650};     // ten years
constexpr Range kMaxCountRange{1, 1000};
constexpr Range kSlaMinutesRange{1, 525600};           // a year
constexpr Range kFeeMinorRange{0, 1'000'000'000'000};  // as for any amount (event data)
constexpr Range kOfferMonthsRange{1, 120};

Status InRange(const std::string& path, std::int64_t v, Range r) {
  if (v >= r.lo && v <= r.hi) return Status::Ok();
  return PackFieldError(path,
                        "must be between " + std::to_string(r.lo) + " and " + std::to_string(r.hi));
}

template <typename T>
Status InRange(const std::string& path, const std::optional<T>& v, Range r) {
  return v ? InRange(path, static_cast<std::int64_t>(*v), r) : Status::Ok();
}

bool IsLowerIdentifier(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// "request.completed": two or more dot-separated lower-case identifiers.
bool IsEventName(std::string_view s) {
  if (s.find('.') == std::string_view::npos) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    if (!IsLowerIdentifier(s.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// An IANA zone name: "UTC", or Area/Location segments starting with an upper-case letter
// and made of letters, digits, '_', '-' and '+' ("America/Argentina/Buenos_Aires").
bool IsTimeZoneName(std::string_view s) {
  if (s == "UTC" || s == "GMT") return true;
  if (s.find('/') == std::string_view::npos) return false;
  size_t start = 0;
  while (true) {
    size_t slash = s.find('/', start);
    std::string_view seg = s.substr(start, slash - start);
    if (seg.empty() || seg[0] < 'A' || seg[0] > 'Z') return false;
    for (char c : seg) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '+';
      if (!ok) return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

// A real calendar date written "YYYY-MM-DD".
bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int y = std::stoi(std::string(s.substr(0, 4)));
  int m = std::stoi(std::string(s.substr(5, 2)));
  int d = std::stoi(std::string(s.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return d <= kDays[m - 1] + ((m == 2 && leap) ? 1 : 0);
}

bool IsCurrencyCode(std::string_view s) {
  return s.size() == 3 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

Status ValidateCalendar(const Calendar& cal, const std::string& path) {
  if (!IsTimeZoneName(cal.time_zone))
    return PackFieldError(path + ".time_zone", "not an IANA time zone name (e.g. Europe/Paris): '" +
                                                   cal.time_zone + "'");
  if (cal.week.size() != 7) return PackFieldError(path + ".hours", "needs exactly 7 weekdays");
  for (size_t d = 0; d < cal.week.size(); ++d) {
    const WorkingHours& h = cal.week[d];
    if (h.open_minute < 0 || h.close_minute > 24 * 60 || h.open_minute > h.close_minute)
      return PackFieldError(path + ".hours[" + std::to_string(d) + "]",
                            "opening must precede closing");
  }
  for (size_t i = 0; i < cal.holidays.size(); ++i) {
    if (!IsIsoDate(cal.holidays[i]))
      return PackFieldError(path + ".holidays[" + std::to_string(i) + "]",
                            "not a YYYY-MM-DD date: '" + cal.holidays[i] + "'");
  }
  return Status::Ok();
}

Status ValidateCheck(const CheckSpec& c, const RequestPolicy& p, const std::string& path) {
  SB_RETURN_IF_ERROR(InRange(path + ".level", c.level, kLevelRange));
  SB_RETURN_IF_ERROR(InRange(path + ".max_age_minutes", c.max_age_minutes, kMaxAgeRange));
  SB_RETURN_IF_ERROR(InRange(path + ".window_days", c.window_days, kWindowDaysRange));
  SB_RETURN_IF_ERROR(InRange(path + ".max_count", c.max_count, kMaxCountRange));
  SB_RETURN_IF_ERROR(InRange(path + ".min_kyc_level", c.min_kyc_level, kKycLevelRange));
  if (c.party && *c.party != "owner" && *c.party != "new_owner")
    return PackFieldError(path + ".party", "must be owner or new_owner");
  if (c.kind == CheckKind::kCoolingOff && (!c.window_days || !c.max_count))
    return PackFieldError(path, "cooling_off needs window_days and max_count");
  if (c.kind == CheckKind::kApproval && !c.role && !p.approval_role)
    return PackFieldError(path.substr(0, path.rfind(".checks")) + ".approval_role",
                          "an approval check needs an approval_role");
  return Status::Ok();
}

Status ValidateChecks(const std::vector<CheckSpec>& checks, const RequestPolicy& p,
                      const std::string& path) {
  for (size_t i = 0; i < checks.size(); ++i)
    SB_RETURN_IF_ERROR(ValidateCheck(checks[i], p, path + "[" + std::to_string(i) + "]"));
  return Status::Ok();
}

Status ValidateOverride(const CheckOverride& o, const RequestPolicy& p, const std::string& path) {
  for (size_t i = 0; i < o.skip.size(); ++i) {
    bool present = std::any_of(p.checks.begin(), p.checks.end(),
                               [&](const CheckSpec& c) { return c.kind == o.skip[i]; });
    if (!present)
      return PackFieldError(path + ".skip[" + std::to_string(i) + "]",
                            std::string("skips ") + std::string(Name(o.skip[i])) +
                                ", which the request does not check");
  }
  // Checks are located relative to the request so the approval rule names approval_role.
  std::string add_path = path + ".add";
  std::string request_path = path.substr(0, path.rfind(".overrides"));
  for (size_t i = 0; i < o.add.size(); ++i) {
    const CheckSpec& c = o.add[i];
    if (c.kind == CheckKind::kApproval && !c.role && !p.approval_role)
      return PackFieldError(request_path + ".approval_role",
                            "an approval check needs an approval_role");
    SB_RETURN_IF_ERROR(ValidateCheck(c, p, add_path + "[" + std::to_string(i) + "]"));
  }
  return Status::Ok();
}

Status ValidateSla(const PolicyPack& pack, const RequestPolicy& p, const std::string& path) {
  for (const auto& [priority, target] : p.sla) {
    if (std::find(std::begin(kPriorities), std::end(kPriorities), priority) ==
        std::end(kPriorities))
      return PackFieldError(path + "." + priority,
                            "unknown priority; use low, normal, high or urgent");
    std::string tpath = path + "." + priority;
    SB_RETURN_IF_ERROR(InRange(tpath + ".target_minutes", target.target_minutes, kSlaMinutesRange));
    if (target.clock != SlaClock::kBusinessHours) continue;
    const std::string& cal = target.calendar.empty() ? pack.calendar_default : target.calendar;
    if (!pack.calendars.count(cal))
      return PackFieldError(tpath + ".calendar", "unknown calendar '" + cal + "'");
  }
  for (std::string_view priority : kPriorities) {
    if (!p.sla.count(std::string(priority)))
      return PackFieldError(path + "." + std::string(priority), "missing SLA target");
  }
  return Status::Ok();
}

Status ValidateMoneyAndTexts(const RequestPolicy& p, const std::string& path) {
  SB_RETURN_IF_ERROR(InRange(path + ".fee_minor", p.fee_minor, kFeeMinorRange));
  if ((p.fee_minor > 0 || !p.currency.empty()) && !IsCurrencyCode(p.currency))
    return PackFieldError(path + ".currency", "must be a 3-letter ISO 4217 code such as EUR");
  for (size_t i = 0; i < p.reason_codes.size(); ++i) {
    if (!IsLowerIdentifier(p.reason_codes[i]))
      return PackFieldError(path + ".reason_codes[" + std::to_string(i) + "]", "not a reason code");
  }
  for (size_t i = 0; i < p.notifications.size(); ++i) {
    if (!IsEventName(p.notifications[i]))
      return PackFieldError(path + ".notifications[" + std::to_string(i) + "]",
                            "not an event name such as request.completed");
  }
  for (size_t i = 0; i < p.offers.size(); ++i) {
    const Offer& o = p.offers[i];
    std::string opath = path + ".offers[" + std::to_string(i) + "]";
    if (!IsLowerIdentifier(o.code)) return PackFieldError(opath + ".code", "not an offer code");
    if (o.discount_percent < 0 || o.discount_percent > 100)
      return PackFieldError(opath + ".discount_percent", "must be between 0 and 100");
    SB_RETURN_IF_ERROR(InRange(opath + ".duration_months", o.duration_months, kOfferMonthsRange));
  }
  return Status::Ok();
}

// Provisioning waits at most this long: past it a forgotten hand-off is a bug, not a plan.
constexpr std::int64_t kMaxProvisioningMinutes = 30 * 24 * 60;
// Queue and agent names an escalation may hand a request to.
constexpr size_t kMaxReassignLength = 64;

// "reconnection, reactivation and activation": the types whose registry row allows it.
std::string ProvisionedTypeNames() {
  std::vector<std::string_view> names;
  for (const RequestTypeInfo& row : RequestTypes()) {
    if (row.provisioning_allowed) names.push_back(row.name);
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

Status ValidateProvisioning(RequestType type, const ProvisioningPolicy& p,
                            const std::string& path) {
  if (p.timeout_minutes <= 0 || p.timeout_minutes > kMaxProvisioningMinutes)
    return PackFieldError(path + ".timeout_minutes", "must be between 1 and 43200 (30 days)");
  if (p.required && !InfoOf(type).provisioning_allowed)
    return PackFieldError(path + ".required",
                          "only " + ProvisionedTypeNames() + " wait for provisioning");
  return Status::Ok();
}

Status ValidateEscalation(const EscalationAction& a, const std::string& path) {
  if (a.reassign_to.empty()) return Status::Ok();
  if (a.reassign_to.size() > kMaxReassignLength || !IsLowerIdentifier(a.reassign_to))
    return PackFieldError(path + ".reassign_to",
                          "must be a queue or agent name of at most 64 characters a-z, 0-9 and _");
  return Status::Ok();
}

Status ValidateAutomation(RequestType type, const RequestPolicy& p, const std::string& path) {
  SB_RETURN_IF_ERROR(ValidateProvisioning(type, p.provisioning, path + ".provisioning"));
  SB_RETURN_IF_ERROR(ValidateEscalation(p.escalate_at_risk, path + ".escalation.at_risk"));
  SB_RETURN_IF_ERROR(ValidateEscalation(p.escalate_breached, path + ".escalation.breached"));
  if (p.at_risk_percent < 1 || p.at_risk_percent > 99)
    return PackFieldError(path + ".at_risk_percent", "must be between 1 and 99");
  if (p.restore_plans != PlanRestore::kAtClosure && type != RequestType::kReactivation)
    return PackFieldError(path + ".restore_plans", "only reactivation restores plans");
  return Status::Ok();
}

Status ValidateTriggers(const PolicyPack& pack) {
  const TriggerPolicy& t = pack.triggers;
  if (t.payment_failed_threshold < 0 || t.payment_failed_threshold > 100)
    return PackFieldError("triggers.payment_failed_threshold", "must be between 0 and 100");
  if (t.dormancy_inactive_days < 0 || t.dormancy_inactive_days > 3650)
    return PackFieldError("triggers.dormancy.inactive_days", "must be between 0 and 3650");
  if (t.dormancy_offer.empty()) return Status::Ok();
  auto it = pack.requests.find(RequestType::kReactivation);
  bool known = it != pack.requests.end() &&
               std::any_of(it->second.offers.begin(), it->second.offers.end(),
                           [&](const Offer& o) { return o.code == t.dormancy_offer; });
  if (!known)
    return PackFieldError("triggers.dormancy.offer",
                          "'" + t.dormancy_offer + "' is not one of requests.reactivation.offers");
  return Status::Ok();
}

Status ValidateRequest(const PolicyPack& pack, RequestType type, const RequestPolicy& p,
                       const std::string& path) {
  SB_RETURN_IF_ERROR(ValidateChecks(p.checks, p, path + ".checks"));
  if (p.auto_approve == AutoApproval::kNever && !p.approval_role)
    return PackFieldError(path + ".approval_role",
                          "a request never auto-approved needs an approval_role");
  SB_RETURN_IF_ERROR(ValidateSla(pack, p, path + ".sla"));
  SB_RETURN_IF_ERROR(ValidateMoneyAndTexts(p, path));
  SB_RETURN_IF_ERROR(ValidateAutomation(type, p, path));
  for (const auto& [origin, o] : p.origin_overrides)
    SB_RETURN_IF_ERROR(
        ValidateOverride(o, p, path + ".overrides.origins." + std::string(Name(origin))));
  for (const auto& [channel, o] : p.channel_overrides)
    SB_RETURN_IF_ERROR(
        ValidateOverride(o, p, path + ".overrides.channels." + std::string(Name(channel))));
  return Status::Ok();
}

void ApplyOverride(const CheckOverride& o, std::vector<CheckSpec>& checks) {
  std::erase_if(checks, [&](const CheckSpec& c) {
    return std::find(o.skip.begin(), o.skip.end(), c.kind) != o.skip.end();
  });
  checks.insert(checks.end(), o.add.begin(), o.add.end());
}

}  // namespace

std::string_view Name(CheckKind v) { return EnumName(kCheckKinds, v); }
template <>
std::optional<CheckKind> Parse<CheckKind>(std::string_view text) {
  return EnumParse(kCheckKinds, text);
}
std::string_view Name(AutoApproval v) { return EnumName(kAutoApprovals, v); }
template <>
std::optional<AutoApproval> Parse<AutoApproval>(std::string_view text) {
  return EnumParse(kAutoApprovals, text);
}
std::string_view Name(ProvisioningFailure v) { return EnumName(kProvisioningFailures, v); }
template <>
std::optional<ProvisioningFailure> Parse<ProvisioningFailure>(std::string_view text) {
  return EnumParse(kProvisioningFailures, text);
}
std::string_view Name(PlanRestore v) { return EnumName(kPlanRestores, v); }
template <>
std::optional<PlanRestore> Parse<PlanRestore>(std::string_view text) {
  return EnumParse(kPlanRestores, text);
}
std::string_view Name(SlaClock v) { return EnumName(kSlaClocks, v); }
template <>
std::optional<SlaClock> Parse<SlaClock>(std::string_view text) {
  return EnumParse(kSlaClocks, text);
}

Status Validate(const PolicyPack& pack) {
  if (pack.version.empty()) return PackFieldError("version", "must not be empty");
  if (pack.effective_from <= 0) return PackFieldError("effective_from", "must be set");
  for (const auto& [name, cal] : pack.calendars) {
    if (!IsLowerIdentifier(name)) return PackFieldError("calendars." + name, "not a calendar name");
    SB_RETURN_IF_ERROR(ValidateCalendar(cal, "calendars." + name));
  }
  if (!pack.calendar_default.empty() && !pack.calendars.count(pack.calendar_default))
    return PackFieldError("calendar_default", "unknown calendar '" + pack.calendar_default + "'");
  for (const RequestTypeInfo& row : RequestTypes()) {
    RequestType type = row.type;
    std::string path = "requests." + std::string(row.name);
    auto it = pack.requests.find(type);
    if (it == pack.requests.end())
      return PackFieldError(path, "missing policy for this request type");
    SB_RETURN_IF_ERROR(ValidateRequest(pack, type, it->second, path));
  }
  SB_RETURN_IF_ERROR(ValidateTriggers(pack));
  if (pack.retention.erase_after_closure_days < 0 ||
      pack.retention.erase_after_closure_days > 36500)
    return PackFieldError("retention.erase_after_closure_days", "must be between 0 and 36500");
  if (!IsTimeZoneName(pack.notify.default_time_zone))
    return PackFieldError("notify.time_zone", "not an IANA time zone name (e.g. Europe/Paris): '" +
                                                  pack.notify.default_time_zone + "'");
  SB_RETURN_IF_ERROR(ValidateIdentityMethods(pack.identity_methods));
  SB_RETURN_IF_ERROR(ValidateFraud(pack.fraud));
  std::map<RequestType, std::vector<std::string>> reason_codes;
  for (const auto& [type, rp] : pack.requests) reason_codes[type] = rp.reason_codes;
  SB_RETURN_IF_ERROR(ValidateAssistant(pack.assistant, reason_codes));
  double threshold = pack.sentiment.frustration_threshold;
  if (!(threshold >= 0 && threshold <= 1))
    return PackFieldError("sentiment.frustration_threshold", "must be between 0 and 1");
  return ValidateNotify(pack.notify);
}

std::vector<CheckSpec> EffectiveChecks(const RequestPolicy& policy, Origin origin,
                                       Channel channel) {
  std::vector<CheckSpec> checks = policy.checks;
  auto o = policy.origin_overrides.find(origin);
  auto c = policy.channel_overrides.find(channel);
  if (o != policy.origin_overrides.end()) ApplyOverride(o->second, checks);
  if (c != policy.channel_overrides.end()) ApplyOverride(c->second, checks);
  return checks;
}

std::optional<Role> ProtectedHoldRole(const PolicyPack& pack, HoldType type) {
  auto it = pack.holds.protected_holds.find(type);
  if (it == pack.holds.protected_holds.end()) return std::nullopt;
  return it->second;
}

Status PackFieldError(const std::string& path, const std::string& message) {
  return Status::Invalid(path, path + ": " + message);
}

}  // namespace sb::domain
