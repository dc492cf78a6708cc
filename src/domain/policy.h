#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/assistant.h"
#include "domain/enums.h"
#include "domain/reconciliation_policy.h"

namespace sb::domain {

// The policy pack: per tenant, versioned and effective-dated rules that say, for each
// request type, which checks run, who approves, how fast it must be done, what it costs
// and whom to tell. Plain values with no behaviour beyond validation; the YAML reader
// lives in app/policy/policy_yaml.h.

// The catalogue of eligibility checks a policy can require (docs/ARCHITECTURE.md, "Domain").
enum class CheckKind {
  kPaymentCleared,
  kKycComplete,
  kIdentityVerified,
  kNoFraudHold,
  kConsentRecorded,
  kCoolingOff,
  kApproval,
  kDataCurrent,
  kTechnicalFaultResolved,
};

// Stable snake_case name of a check kind, e.g. "payment_cleared".
std::string_view Name(CheckKind v);
// The check kind named `text`; nullopt for unknown text.
template <>
std::optional<CheckKind> Parse<CheckKind>(std::string_view text);

// One required check with its parameters. Which parameters apply depends on `kind`;
// the ones that do not apply stay unset.
struct CheckSpec {
  CheckKind kind = CheckKind::kPaymentCleared;
  std::optional<int> min_kyc_level;             // kyc_complete
  std::optional<int> level;                     // identity_verified: minimum assurance level
  std::optional<std::int64_t> max_age_minutes;  // identity_verified, data_current
  std::optional<std::string> party;             // identity_verified: "owner" or "new_owner"
  std::optional<int> window_days;               // cooling_off
  std::optional<int> max_count;                 // cooling_off: at most this many in the window
  std::optional<Role> role;                     // approval: overrides the policy's approval_role
  bool maker_checker = true;                    // approval: the approver is not the requester
};

// When a request whose checks ran may be approved without a person.
enum class AutoApproval { kAlways, kNever, kWhenChecksPass };

// Stable name: "always", "never", "when_checks_pass".
std::string_view Name(AutoApproval v);
// The rule named `text`; nullopt for unknown text.
template <>
std::optional<AutoApproval> Parse<AutoApproval>(std::string_view text);

// Whether an SLA target counts every minute or only a calendar's working minutes.
enum class SlaClock { kBusinessHours, kCalendarHours };

// Stable name: "business_hours", "calendar_hours".
std::string_view Name(SlaClock v);
// The clock named `text`; nullopt for unknown text.
template <>
std::optional<SlaClock> Parse<SlaClock>(std::string_view text);

// The priorities an SLA is given for, lowest first.
inline constexpr std::string_view kPriorities[] = {"low", "normal", "high", "urgent"};

// How long a request of one priority may take.
struct SlaTarget {
  std::int64_t target_minutes = 0;
  SlaClock clock = SlaClock::kBusinessHours;
  // Name of the calendar counted in; empty means the pack's calendar_default. Only
  // meaningful for business hours.
  std::string calendar;
};

// Opening hours of one day, in minutes since local midnight. A day whose open equals its
// close (both 0 by default) is closed.
struct WorkingHours {
  int open_minute = 0;
  int close_minute = 0;
};

// A business calendar: working hours per weekday in a time zone, minus holidays.
struct Calendar {
  std::string time_zone;              // IANA name, e.g. "Europe/Paris"
  std::vector<WorkingHours> week;     // 7 entries, 0 = Monday .. 6 = Sunday
  std::vector<std::string> holidays;  // local dates, "YYYY-MM-DD"
};

// A retention or reactivation offer an agent may propose.
struct Offer {
  std::string code;
  std::string description;
  int discount_percent = 0;
  int duration_months = 0;
};

// Checks skipped and added for one origin or channel.
struct CheckOverride {
  std::vector<CheckKind> skip;
  std::vector<CheckSpec> add;
};

// What happens when a request's SLA turns at_risk or breached (each fires once). The
// request.sla_at_risk / request.sla_breached event is always emitted; these add to it.
struct EscalationAction {
  bool raise_priority = false;      // one step up kPriorities (urgent stays urgent)
  std::string reassign_to;          // queue or agent to hand it to; empty keeps the assignee
  std::optional<Role> notify_role;  // a notification to everyone with this role
};

// Network work after approval (reconnection, activation, reactivation): the request waits
// in `provisioning` until the client's provisioning system reports back.
enum class ProvisioningFailure { kFail, kEscalate };
std::string_view Name(ProvisioningFailure v);  // "fail", "escalate"
template <>
std::optional<ProvisioningFailure> Parse<ProvisioningFailure>(std::string_view text);

struct ProvisioningPolicy {
  bool required = false;
  std::int64_t timeout_minutes = 240;  // wall-clock minutes after the hand-off
  // On provisioning.failed or timeout: fail the request, or keep it in provisioning and
  // escalate it as `escalation.breached` says.
  ProvisioningFailure on_failure = ProvisioningFailure::kFail;
};

// Which plan a reactivation gives back to each service a closed account had: the one it had
// at closure, or the one before its last plan change (a customer who downgraded on the way
// out gets the plan they had before). Only reactivation policies may say `previous`.
enum class PlanRestore { kAtClosure, kPrevious };
std::string_view Name(PlanRestore v);  // "at_closure", "previous"
template <>
std::optional<PlanRestore> Parse<PlanRestore>(std::string_view text);

// The events every derived status change writes (app/accounts/account_state.h, Reconcile),
// whoever caused it; a pack cannot list them, so no fact is announced twice.
inline constexpr std::string_view kStatusFactEvents[] = {
    "service.suspended", "service.reconnected", "service.terminated", "account.status_changed"};

// Everything the policy says about one request type.
struct RequestPolicy {
  std::vector<CheckSpec> checks;
  AutoApproval auto_approve = AutoApproval::kWhenChecksPass;
  std::optional<Role> approval_role;
  std::map<std::string, SlaTarget> sla;  // keyed by priority, see kPriorities
  std::int64_t fee_minor = 0;
  std::string currency;  // ISO 4217; required when fee_minor > 0
  std::vector<std::string> reason_codes;
  // Event names written as the request moves: "request.<state>" on reaching that state, any
  // other name (e.g. "customer.data_changed") on completion. Never one of kStatusFactEvents:
  // those are written by every status change itself, whatever caused it.
  std::vector<std::string> notifications;
  std::vector<Offer> offers;
  std::map<Origin, CheckOverride> origin_overrides;
  std::map<Channel, CheckOverride> channel_overrides;
  ProvisioningPolicy provisioning;
  EscalationAction escalate_at_risk;
  EscalationAction escalate_breached;
  // Share of the SLA target after which the request is at_risk, in percent (1..99).
  int at_risk_percent = 80;
  PlanRestore restore_plans = PlanRestore::kAtClosure;  // reactivation only
};

// Automated triggers that are not tied to one request type.
struct TriggerPolicy {
  // A payment.failed event that brings an account's consecutive failures to this count
  // places a non_payment hold (involuntary suspension). 0 disables it.
  int payment_failed_threshold = 3;
  // The dormancy scan marks active accounts dormant after this many days without any
  // change, and invites them back with `dormancy_offer` (a reactivation offer code; empty
  // for none). 0 disables the scan.
  int dormancy_inactive_days = 0;
  std::string dormancy_offer;
};

// Hold types whose lifting needs a role (the pack's `holds.protected`): lifting one by hand
// or by a reconnection that names it needs that role (admin satisfies any). The system actor
// (inbound events, jobs) is exempt: it lifts what its own rules placed. A pack without a
// `holds:` section protects fraud_review, regulatory and legal with the supervisor role.
struct HoldPolicy {
  std::map<HoldType, Role> protected_holds = {{HoldType::kFraudReview, Role::kSupervisor},
                                              {HoldType::kRegulatory, Role::kSupervisor},
                                              {HoldType::kLegal, Role::kSupervisor}};
};

// How one event tells the customer it concerns (the pack's `notify.customer.<event>`): the
// event is any name the engine writes (request.<state>, service.suspended,
// account.reactivation_invited...), whoever caused it, so an automatic change tells as a
// manual one.
struct NotificationRule {
  std::vector<std::string> channels;       // "email", "sms"; at least one
  bool urgent = false;                     // sent during the customer's quiet hours too
  bool marketing = false;                  // needs the customer's marketing consent
  std::vector<RequestType> request_types;  // only for requests of these types; empty: any
};

// The pack's `notify:` section: which events tell the customer, and the customer's defaults
// until their own preferences say otherwise. A pack without it sends no notification.
struct NotifyPolicy {
  bool enabled = true;  // false: no event tells anyone (the pack's rules are kept)
  std::map<std::string, NotificationRule> customer;  // keyed by event name
  std::string default_locale = "en";                 // also the fallback locale of templates
  std::string default_time_zone = "Europe/Paris";    // IANA name
  // Quiet hours in the customer's local time, minutes since midnight; start after end wraps
  // midnight (21:00-08:00). Equal: none.
  int quiet_start_minute = 21 * 60;
  int quiet_end_minute = 8 * 60;
  // Per recipient and channel, at most this many messages in any `rate_window_minutes`;
  // one more waits for the window (next_attempt_at), it is never dropped.
  int sms_per_window = 5;
  int email_per_window = 20;
  int rate_window_minutes = 60;
  // The customer portal's address, the `portal_link` of templates; may be empty.
  std::string portal_url;
};

// The locales notifications are rendered in (templates exist in each).
inline constexpr std::string_view kNotificationLocales[] = {"en", "fr"};
// The channels a notification rule may name.
inline constexpr std::string_view kNotificationChannels[] = {"email", "sms"};
// The one check of each name a notification template or rule carries: a locale among
// kNotificationLocales, a channel among kNotificationChannels, a notification's event name
// shaped "resource.action" (lower-case letters and '_', one dot, at most 64 bytes).
bool IsNotificationLocale(std::string_view locale);
bool IsNotificationChannel(std::string_view channel);
bool IsNotificationName(std::string_view name);

// How much one way of proving a customer's identity is worth (the pack's `identity_methods:`):
// its assurance level (1..3), and whether it may stand alone. A method that may not (knowledge
// questions) only adds to another factor: it satisfies identity_verified only beside a
// stand-alone identity verification of the same party within the check's max age.
struct IdentityMethod {
  int level = 1;
  bool alone = true;
};

// The methods a pack without an `identity_methods:` section knows: otp_email and otp_sms
// level 1, document_check 2, in_person 3, knowledge 1 and not alone. otp_email and otp_sms
// are recorded only by a code check (app/verification/verification_codes.h).
std::map<std::string, IdentityMethod> DefaultIdentityMethods();

// The identity methods only a one-time code check records, never a person by hand.
inline constexpr std::string_view kCodeMethods[] = {"otp_email", "otp_sms"};
bool IsCodeMethod(std::string_view method);

// The rules of the pack's `identity_methods:` section (domain/policy_identity.cc): at least
// one method, at most 32, names of 1-64 lower-case letters, digits and '_', levels 1..3, and
// at least one method that may stand alone. Called by Validate.
Status ValidateIdentityMethods(const std::map<std::string, IdentityMethod>& methods);

// One rule of the pack's `fraud:` section (app/fraud/fraud_rules.h): when it fires and what it
// does. A rule about a request sends it to `verifying` for a fraud review, which a supervisor's
// approval ends; `hold` also places a fraud_review hold on the account.
struct FraudRule {
  bool enabled = false;
  int max_count = 1;        // reactivation_velocity: more than this; failed_codes: this many
  int window_minutes = 60;  // how far back the rule counts
  bool hold = false;
};

// The pack's `fraud:` section. A pack without it fires no rule.
struct FraudPolicy {
  // More than max_count reactivations of one account within the window (this one included).
  FraudRule reactivation_velocity;
  // A billing_info_update filed within the window after a personal_info_update that changed
  // the email or phone.
  FraudRule contact_then_payment_change;
  // max_count failed code checks on one account within the window.
  FraudRule failed_codes;
};

// The pack's `sentiment:` section: a customer's frustration, read from the comments written on
// a request (domain/sentiment.h), may raise its priority. A pack without it raises nothing.
struct SentimentPolicy {
  // Raise the priority one step (EscalationAction::raise_priority), once per request, when a
  // comment scores negative with a frustration of at least frustration_threshold.
  bool raise_priority_when_angry = false;
  double frustration_threshold = 0.6;  // 0..1
};

// The rules of the pack's `fraud:` section (domain/policy_identity.cc): max_count 1..1000,
// window_minutes 1..525600 (a year). Called by Validate.
Status ValidateFraud(const FraudPolicy& fraud);

// The pack's `retention:` section: how long personal data outlives the account.
struct RetentionPolicy {
  // A closed account not changed for this many days is erased (a `data_erasure` request
  // filed by the retention scan, app/rights/retention.h). 0 (or no section): never.
  int erase_after_closure_days = 0;
};

// The pack's `data_rights:` section: who reads a subject access export and what holds an
// erasure back.
struct DataRightsPolicy {
  // Roles that may download a completed data_access request's export besides admin and
  // auditor (who always may). Empty: only those two.
  std::vector<Role> export_roles;
  // An erasure is refused (409 "open_requests") while another request of the account is
  // open: the open one would need the data the erasure destroys.
  bool erasure_blocked_by_open_requests = true;
};

// A whole pack for one tenant.
struct PolicyPack {
  std::string version;
  Timestamp effective_from = 0;  // 0 means unset
  std::string calendar_default;
  std::map<std::string, Calendar> calendars;
  std::map<RequestType, RequestPolicy> requests;
  TriggerPolicy triggers;
  HoldPolicy holds;
  NotifyPolicy notify;
  std::map<std::string, IdentityMethod> identity_methods = DefaultIdentityMethods();
  FraudPolicy fraud;
  RetentionPolicy retention;
  DataRightsPolicy data_rights;
  ReconciliationPolicy reconciliation;
  AssistantPolicy assistant;  // the chat and IVR assistant (domain/assistant.h)
  SentimentPolicy sentiment;
};

// The role lifting a hold of `type` needs under `pack`; nullopt when the type is not protected.
std::optional<Role> ProtectedHoldRole(const PolicyPack& pack, HoldType type);

// The Invalid status of a pack's field: `param` is the field's path ("notify.sms_per_window"),
// the message starts with it.
Status PackFieldError(const std::string& path, const std::string& message);

// Checks the cross-field rules a parser cannot see: every request type present, approval
// checks have a role, calendars named exist and are well formed (time zone, hours,
// holiday dates), SLA targets positive for every priority, fees non-negative with a
// 3-letter currency, offers sane, effective_from set, provisioning timeouts within 30 days
// and required only for reconnection/activation/reactivation, escalations reassigning to a
// short lower-case name, at_risk_percent in 1..99, triggers and retention.erase_after_closure_days
// (0..36500) in range and the dormancy offer one of the reactivation offers, restore_plans other
// than at_closure only for reactivation, sentiment.frustration_threshold within 0..1. Returns the
// first violation as an Invalid status whose param is the field path, e.g.
// "requests.plan_change.sla.high.target_minutes".
Status Validate(const PolicyPack& pack);

// The rules of the pack's `notify:` section (domain/policy_notify.cc): event names shaped
// resource.action and never customer.notification, channels among kNotificationChannels,
// locale among kNotificationLocales, quiet hours within a day, rate limits 1..1000 in a window
// of 1..1440 minutes. The time zone is checked where it is loaded. Called by Validate.
Status ValidateNotify(const NotifyPolicy& notify);

// The checks that apply to a request of this policy arriving by `origin` over
// `channel`: the base checks, then the origin's override, then the channel's; each
// override removes every check of a kind it skips and appends the checks it adds.
// Order is otherwise kept.
std::vector<CheckSpec> EffectiveChecks(const RequestPolicy& policy, Origin origin, Channel channel);

}  // namespace sb::domain
