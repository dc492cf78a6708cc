#include "domain/enums.h"

#include <array>
#include <utility>

#include "domain/enum_table.h"
#include "domain/request_types.h"

namespace sb::domain {
namespace {

template <typename E, size_t N>
using Table = EnumTable<E, N>;

constexpr Table<Role, 5> kRoles{{{Role::kAdmin, "admin"},
                                 {Role::kAgent, "agent"},
                                 {Role::kSystem, "system"},
                                 {Role::kAuditor, "auditor"},
                                 {Role::kSupervisor, "supervisor"}}};
constexpr Table<AccountStatus, 5> kAccountStatuses{
    {{AccountStatus::kPendingActivation, "pending_activation"},
     {AccountStatus::kActive, "active"},
     {AccountStatus::kSuspended, "suspended"},
     {AccountStatus::kDormant, "dormant"},
     {AccountStatus::kClosed, "closed"}}};
constexpr Table<ServiceStatus, 4> kServiceStatuses{{{ServiceStatus::kPending, "pending"},
                                                    {ServiceStatus::kActive, "active"},
                                                    {ServiceStatus::kSuspended, "suspended"},
                                                    {ServiceStatus::kTerminated, "terminated"}}};
constexpr Table<HoldType, 10> kHoldTypes{{{HoldType::kNonPayment, "non_payment"},
                                          {HoldType::kPolicyViolation, "policy_violation"},
                                          {HoldType::kFraudReview, "fraud_review"},
                                          {HoldType::kVoluntaryPause, "voluntary_pause"},
                                          {HoldType::kTechnicalFault, "technical_fault"},
                                          {HoldType::kKycIncomplete, "kyc_incomplete"},
                                          {HoldType::kDataOutdated, "data_outdated"},
                                          {HoldType::kInactivity, "inactivity"},
                                          {HoldType::kRegulatory, "regulatory"},
                                          {HoldType::kLegal, "legal"}}};
constexpr Table<HoldState, 3> kHoldStates{{{HoldState::kActive, "active"},
                                           {HoldState::kLifted, "lifted"},
                                           {HoldState::kExpired, "expired"}}};
constexpr Table<Origin, 6> kOrigins{{{Origin::kVoluntary, "voluntary"},
                                     {Origin::kInvoluntary, "involuntary"},
                                     {Origin::kAutomated, "automated"},
                                     {Origin::kTechnical, "technical"},
                                     {Origin::kBulk, "bulk"},
                                     {Origin::kConditional, "conditional"}}};
constexpr Table<Channel, 9> kChannels{{{Channel::kVoice, "voice"},
                                       {Channel::kEmail, "email"},
                                       {Channel::kChat, "chat"},
                                       {Channel::kWeb, "web"},
                                       {Channel::kIvr, "ivr"},
                                       {Channel::kSms, "sms"},
                                       {Channel::kApi, "api"},
                                       {Channel::kSystem, "system"},
                                       {Channel::kPortal, "portal"}}};
constexpr Table<RequestState, 11> kRequestStates{
    {{RequestState::kReceived, "received"},
     {RequestState::kVerifying, "verifying"},
     {RequestState::kAwaitingCustomer, "awaiting_customer"},
     {RequestState::kAwaitingApproval, "awaiting_approval"},
     {RequestState::kAwaitingPayment, "awaiting_payment"},
     {RequestState::kApproved, "approved"},
     {RequestState::kProvisioning, "provisioning"},
     {RequestState::kCompleted, "completed"},
     {RequestState::kRejected, "rejected"},
     {RequestState::kCancelled, "cancelled"},
     {RequestState::kFailed, "failed"}}};
constexpr Table<AuditCategory, 7> kCategories{{{AuditCategory::kSubscription, "subscription"},
                                               {AuditCategory::kServicePlan, "service_plan"},
                                               {AuditCategory::kAccountStatus, "account_status"},
                                               {AuditCategory::kCustomerData, "customer_data"},
                                               {AuditCategory::kPayment, "payment"},
                                               {AuditCategory::kAccess, "access"},
                                               {AuditCategory::kSecurity, "security"}}};
constexpr Table<ActorType, 4> kActorTypes{{{ActorType::kUser, "user"},
                                           {ActorType::kApiKey, "api_key"},
                                           {ActorType::kCustomer, "customer"},
                                           {ActorType::kSystem, "system"}}};
constexpr Table<JobState, 4> kJobStates{{{JobState::kPending, "pending"},
                                         {JobState::kRunning, "running"},
                                         {JobState::kDone, "done"},
                                         {JobState::kFailed, "failed"}}};
constexpr Table<SlaStatus, 3> kSlaStatuses{{{SlaStatus::kOnTrack, "on_track"},
                                            {SlaStatus::kAtRisk, "at_risk"},
                                            {SlaStatus::kBreached, "breached"}}};
constexpr Table<VerificationKind, 3> kVerificationKinds{
    {{VerificationKind::kIdentity, "identity"},
     {VerificationKind::kConsent, "consent"},
     {VerificationKind::kDataConfirmation, "data_confirmation"}}};
constexpr Table<OutboxState, 7> kOutboxStates{{{OutboxState::kPending, "pending"},
                                               {OutboxState::kSent, "sent"},
                                               {OutboxState::kDelivered, "delivered"},
                                               {OutboxState::kFailed, "failed"},
                                               {OutboxState::kDead, "dead"},
                                               {OutboxState::kSuppressed, "suppressed"},
                                               {OutboxState::kSkipped, "skipped"}}};
constexpr Table<WebhookFormat, 2> kWebhookFormats{
    {{WebhookFormat::kSwitchboard, "switchboard"}, {WebhookFormat::kTmf641, "tmf641"}}};

}  // namespace

#define SB_ENUM_FUNCS(E, table)                             \
  std::string_view Name(E v) { return EnumName(table, v); } \
  template <>                                               \
  std::optional<E> Parse<E>(std::string_view text) {        \
    return EnumParse(table, text);                          \
  }

SB_ENUM_FUNCS(Role, kRoles)
SB_ENUM_FUNCS(AccountStatus, kAccountStatuses)
SB_ENUM_FUNCS(ServiceStatus, kServiceStatuses)
SB_ENUM_FUNCS(HoldType, kHoldTypes)
SB_ENUM_FUNCS(HoldState, kHoldStates)
// Request types take their names from the registry (domain/request_types.h).
std::string_view Name(RequestType v) {
  for (const RequestTypeInfo& row : RequestTypes()) {
    if (row.type == v) return row.name;
  }
  return "unknown";
}
template <>
std::optional<RequestType> Parse<RequestType>(std::string_view text) {
  for (const RequestTypeInfo& row : RequestTypes()) {
    if (row.name == text) return row.type;
  }
  return std::nullopt;
}
SB_ENUM_FUNCS(Origin, kOrigins)
SB_ENUM_FUNCS(Channel, kChannels)
SB_ENUM_FUNCS(RequestState, kRequestStates)
SB_ENUM_FUNCS(AuditCategory, kCategories)
SB_ENUM_FUNCS(ActorType, kActorTypes)
SB_ENUM_FUNCS(JobState, kJobStates)
SB_ENUM_FUNCS(SlaStatus, kSlaStatuses)
SB_ENUM_FUNCS(VerificationKind, kVerificationKinds)
SB_ENUM_FUNCS(OutboxState, kOutboxStates)
SB_ENUM_FUNCS(WebhookFormat, kWebhookFormats)

#undef SB_ENUM_FUNCS

bool IsTerminal(RequestState s) {
  return s == RequestState::kCompleted || s == RequestState::kRejected ||
         s == RequestState::kCancelled || s == RequestState::kFailed;
}

}  // namespace sb::domain

#include "domain/model.h"

namespace sb::domain {
namespace {
constexpr Table<AccountLifecycle, 4> kLifecycles{
    {{AccountLifecycle::kPendingActivation, "pending_activation"},
     {AccountLifecycle::kActive, "active"},
     {AccountLifecycle::kDormant, "dormant"},
     {AccountLifecycle::kClosed, "closed"}}};
}  // namespace

std::string_view Name(AccountLifecycle v) { return EnumName(kLifecycles, v); }
template <>
std::optional<AccountLifecycle> Parse<AccountLifecycle>(std::string_view text) {
  return EnumParse(kLifecycles, text);
}

}  // namespace sb::domain
