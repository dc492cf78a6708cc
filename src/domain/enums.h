#pragma once

#include <optional>
#include <string_view>

namespace sb::domain {

// Every enum here has a stable snake_case wire name (used in JSON, SQL and audit entries):
// `Name(x)` gives it, `Parse<E>(text)` reads it back (nullopt for unknown text).

enum class Role { kAdmin, kAgent, kSystem, kAuditor, kSupervisor };

enum class AccountStatus { kPendingActivation, kActive, kSuspended, kDormant, kClosed };

enum class ServiceStatus { kPending, kActive, kSuspended, kTerminated };

enum class HoldType {
  kNonPayment,
  kPolicyViolation,
  kFraudReview,
  kVoluntaryPause,
  kTechnicalFault,
  kKycIncomplete,
  kDataOutdated,
  kInactivity,
  kRegulatory,
  kLegal,
};

enum class HoldState { kActive, kLifted, kExpired };

enum class RequestType {
  kReconnection,
  kReactivation,
  kActivation,
  kSuspension,
  kTermination,
  kPlanChange,
  kPersonalInfoUpdate,
  kBillingInfoUpdate,
  kAccessChange,
  kOwnershipTransfer,
  kSecuritySettingsChange,
  kBillingAdjustment,
  kStatusSync,
  kDataAccess,
  kDataErasure,
};

enum class Origin { kVoluntary, kInvoluntary, kAutomated, kTechnical, kBulk, kConditional };

// kPortal: a customer on the self-service portal (only a customer's session acts on it).
enum class Channel { kVoice, kEmail, kChat, kWeb, kIvr, kSms, kApi, kSystem, kPortal };

enum class RequestState {
  kReceived,
  kVerifying,
  kAwaitingCustomer,
  kAwaitingApproval,
  kAwaitingPayment,
  kApproved,
  kProvisioning,
  kCompleted,
  kRejected,
  kCancelled,
  kFailed,
};

enum class AuditCategory {
  kSubscription,
  kServicePlan,
  kAccountStatus,
  kCustomerData,
  kPayment,
  kAccess,
  kSecurity,
};

enum class ActorType { kUser, kApiKey, kCustomer, kSystem };

enum class JobState { kPending, kRunning, kDone, kFailed };

// Where a request stands against its SLA: at_risk once most of its time is used, breached
// past due_at. Each of the last two is reached once.
enum class SlaStatus { kOnTrack, kAtRisk, kBreached };

// Evidence about a customer that checks read: identity proven (by some method, to some
// assurance level), consent given, personal data confirmed current.
enum class VerificationKind { kIdentity, kConsent, kDataConfirmation };

// Delivery state of an outbox message. `skipped`: a webhook that fell due while no endpoint
// of its tenant subscribed to its type; it is not tried again unless replayed.
// pending: waits for its next attempt; sent: a channel accepted it (SMTP, SMS gateway) and its
// delivery receipt may still come; delivered: acknowledged (webhook 2xx, a delivered receipt);
// failed: a receipt said it was not delivered; dead: out of retries; suppressed: never sent
// (opt-out, suppression list, erased data); skipped: a webhook with no endpoint subscribed.
enum class OutboxState { kPending, kSent, kDelivered, kFailed, kDead, kSuppressed, kSkipped };

// The body a webhook endpoint receives: kSwitchboard, the event envelope (docs/ARCHITECTURE.md,
// "Events and webhooks"); kTmf641, TM Forum's service order events (app/webhooks/tmf641_event.h).
enum class WebhookFormat { kSwitchboard, kTmf641 };

std::string_view Name(Role v);
std::string_view Name(AccountStatus v);
std::string_view Name(ServiceStatus v);
std::string_view Name(HoldType v);
std::string_view Name(HoldState v);
std::string_view Name(RequestType v);
std::string_view Name(Origin v);
std::string_view Name(Channel v);
std::string_view Name(RequestState v);
std::string_view Name(AuditCategory v);
std::string_view Name(ActorType v);
std::string_view Name(JobState v);
std::string_view Name(SlaStatus v);
std::string_view Name(VerificationKind v);
std::string_view Name(OutboxState v);
std::string_view Name(WebhookFormat v);

template <typename E>
std::optional<E> Parse(std::string_view text);

// True for the states a request never leaves.
bool IsTerminal(RequestState s);

}  // namespace sb::domain
