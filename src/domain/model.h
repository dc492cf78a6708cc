#pragma once

// The records Switchboard keeps (docs/ARCHITECTURE.md, "Domain"). Plain values: storage reads and
// writes them, `app` changes them under the rules in domain/, `http` maps them to JSON.
// Every record carries `tenant_id`; ids are prefixed random strings (see crypto/random.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/enums.h"
#include "domain/policy.h"
#include "domain/sentiment.h"

namespace sb::domain {

struct Tenant {
  std::string id;  // "ten_..."
  std::string name;
  Timestamp created_at = 0;
};

// An API key. The secret itself is never stored: `secret_hash` is the hex SHA-256 of it.
struct ApiKey {
  std::string tenant_id;
  std::string id;  // "key_..."
  std::string name;
  Role role = Role::kAgent;
  std::string secret_hash;  // hex SHA-256 of the full secret; unique across tenants
  std::string prefix;       // first characters of the secret, shown in listings
  Timestamp created_at = 0;
  std::optional<Timestamp> revoked_at;
};

// A reason code a tenant allows in `X-Reason` (the policy pack will own these later).
struct ReasonCode {
  std::string tenant_id;
  std::string code;
  std::string description;
};

struct Plan {
  std::string tenant_id;
  std::string code;
  std::string name;
  std::int64_t price_minor = 0;  // per billing period, in minor units of `currency`
  std::string currency;
  bool active = true;
};

// A stored payment card: only the processor's token and what a person may see of it. The
// full card number is never accepted (see domain/card_numbers.h).
struct PaymentMethod {
  std::string token;  // the billing processor's token, e.g. "tok_..."
  std::string brand;  // "visa", "mastercard", ...
  std::string last4;
  int exp_month = 0;
  int exp_year = 0;
};

// Someone the owner allows to act on the account, and how far.
struct AuthorizedUser {
  std::string id;  // "usr_..."
  std::string name;
  std::string email;
  std::string permission;  // "view", "manage" or "full"
};

// Account security settings a customer may change.
struct SecuritySettings {
  bool two_factor = false;
  std::string two_factor_method;  // "sms", "totp", "" when off
  std::optional<Timestamp> pin_reset_at;
  std::optional<Timestamp> password_reset_at;
};

// The customer's say in the notifications they get (docs/NOTIFICATIONS.md, "The customer's
// say"). The defaults are what a customer who never said anything gets: the pack's locale and
// time zone, every channel, no marketing.
struct NotificationPreferences {
  std::string locale;                // one of kNotificationLocales; empty: the pack's default
  std::string time_zone;             // an IANA name; empty: the pack's default
  std::vector<std::string> opt_out;  // channels (kNotificationChannels) not to use, sorted
  bool marketing_consent = false;    // offers (a rule with marketing: true) may be sent
  std::optional<Timestamp> marketing_consent_at;  // when the consent was given; unset without
};

// Customer personal data. Lives only sealed (encrypted) at rest: see Account::profile_sealed.
// The name/email/phone/address are the owner's.
struct Profile {
  std::string name;
  std::string email;
  std::string phone;
  std::string address;
  std::string billing_address;
  std::optional<PaymentMethod> payment_method;
  std::vector<AuthorizedUser> authorized_users;
  SecuritySettings security;
  NotificationPreferences notifications;
};

// Account lifecycle as set by explicit requests; `status` adds the hold-derived suspension.
enum class AccountLifecycle { kPendingActivation, kActive, kDormant, kClosed };
std::string_view Name(AccountLifecycle v);
template <>
std::optional<AccountLifecycle> Parse<AccountLifecycle>(std::string_view text);

struct Account {
  std::string tenant_id;
  std::string id;            // "acc_..."
  std::string external_ref;  // the client's account number; unique per tenant
  std::string
      profile_sealed;  // AEAD ciphertext of the Profile (binary), under the account's data key
  AccountLifecycle lifecycle = AccountLifecycle::kActive;
  AccountStatus status =
      AccountStatus::kActive;  // derived (holds + lifecycle), stored for filtering
  std::int64_t amount_due_minor = 0;
  std::string currency = "EUR";
  std::optional<Timestamp> last_payment_at;
  int kyc_level = 0;        // 0 none .. 3 full
  int failed_payments = 0;  // consecutive payment.failed events since the last payment
  // Where the customer is served, for reports (a code of the tenant's own, not personal data);
  // set when the account is created and kept for life. Empty when none was given.
  std::string region;
  std::int64_t version = 1;  // bumped on every change; the ETag
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
};

struct Service {
  std::string tenant_id;
  std::string id;  // "svc_..."
  std::string account_id;
  std::string plan_code;
  ServiceStatus status = ServiceStatus::kActive;  // derived from holds unless terminated
  std::int64_t version = 1;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::optional<Timestamp> terminated_at;
};

// One step of a service's plan history: from `at` on, the service was on `plan_code`, set by
// request `request_id` (adding the service, a plan change, a reactivation restoring a plan).
// Rows are only ever added, so a reactivation can find the plan a service had before.
struct PlanHistoryEntry {
  std::string tenant_id;
  std::string id;  // "plh_..."
  std::string account_id;
  std::string service_id;
  std::string plan_code;
  std::string request_id;  // empty for the rows migration 0011 wrote for existing services
  Timestamp at = 0;
};

struct Hold {
  std::string tenant_id;
  std::string id;  // "hld_..."
  std::string account_id;
  std::optional<std::string> service_id;  // nullopt: the hold covers the whole account
  HoldType type = HoldType::kNonPayment;
  bool blocks_service = true;
  bool blocks_billing = false;
  bool blocks_changes = false;
  std::string source;  // who placed it: "agent", "client_system", "system", "customer"
  std::string owner;   // team or person responsible for lifting it
  std::string reason_code;
  std::string comment;
  HoldState state = HoldState::kActive;
  Timestamp placed_at = 0;
  std::optional<Timestamp> expires_at;
  std::optional<Timestamp> released_at;  // lifted or expired
  std::string released_reason_code;
  std::string placed_by_request_id;
  std::string released_by_request_id;
};

// Who did something.
struct Actor {
  ActorType type = ActorType::kSystem;
  std::string id;  // key id, user id, customer id, or "system"
  std::optional<Role> role;
};

struct StateChange {
  RequestState state;
  Timestamp at = 0;
};

// A person's decision on a request that waits for approval.
struct Decision {
  Actor actor;
  bool approved = false;
  std::string reason_code;
  std::string comment;
  Timestamp at = 0;
};

// A note an agent left on a request.
struct RequestComment {
  Actor actor;
  std::string text;
  Timestamp at = 0;
  // Its sentiment, scored when it was written (unset on comments stored before scoring).
  std::optional<SentimentScore> sentiment;
  // It raised the request's priority under the pack's `sentiment:` rule (once per request).
  bool raised_priority = false;
};

// The SLA rule a request's clock runs under, fixed when the clock starts: an escalation that
// raises the priority, or a new pack version, does not change how its pauses are measured.
struct SlaTerms {
  SlaClock clock = SlaClock::kBusinessHours;
  std::int64_t target_minutes = 0;
  // The business calendar counted in, by name in the pack the request was filed under
  // (Request::policy_version, which never changes); empty for calendar hours.
  std::string calendar;
};

struct Request {
  std::string tenant_id;
  std::string id;  // "req_..."
  std::string account_id;
  std::optional<std::string> service_id;
  RequestType type = RequestType::kStatusSync;
  Origin origin = Origin::kVoluntary;
  Channel channel = Channel::kApi;
  RequestState state = RequestState::kReceived;
  std::string priority = "normal";
  Actor actor;
  std::string reason_code;
  std::string comment;
  std::string correlation_id;
  std::string idempotency_key;
  std::string policy_version;        // version of the pack in force when recorded; empty if none
  std::string payload_json;          // what was asked (no personal data in clear)
  std::string checks_json;           // results of eligibility checks ("[]" when none ran)
  std::string result_json;           // what it did
  std::vector<StateChange> history;  // every transition, oldest first
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::optional<Timestamp> completed_at;
  std::optional<Timestamp> due_at;         // SLA deadline; moves later while paused
  std::optional<Timestamp> at_risk_at;     // when the SLA turns at_risk
  std::optional<Timestamp> sla_paused_at;  // set while the SLA clock is paused
  SlaStatus sla_status = SlaStatus::kOnTrack;
  std::optional<SlaTerms> sla_terms;  // set with due_at when the SLA starts
  // While paused: the SLA time that was left when the clock stopped, in milliseconds counted
  // in `sla_terms` (negative once past due_at). Unset while the clock runs.
  std::optional<Timestamp> sla_left_ms;
  std::string assignee;                  // agent or queue working it; empty when unassigned
  std::vector<Decision> decisions;       // approvals and rejections, oldest first
  std::vector<RequestComment> comments;  // oldest first
  // What its latest evaluation's checks read and decided (app/requests/check_inputs.h), written
  // with the request; read back only by Tx::ListRequestsForReplay ("" otherwise).
  std::string check_inputs_json;
};

// Evidence about an account's customer (see VerificationKind). `party` is "owner" or
// "new_owner" (ownership transfers prove both). A consent may be tied to one request
// (`request_id`); an empty request_id means it covers any request.
struct Verification {
  std::string tenant_id;
  std::string id;  // "ver_..."
  std::string account_id;
  VerificationKind kind = VerificationKind::kIdentity;
  std::string party = "owner";
  std::string method;  // e.g. "otp_sms", "document", "recorded_call"
  int level = 0;       // identity assurance 1..3; 0 for consent and data confirmation
  Timestamp verified_at = 0;
  std::string request_id;
  Actor actor;  // who recorded it
  Timestamp created_at = 0;
};

// A message to deliver after the commit that wrote it: a webhook event to the client's
// systems or a notification to the customer. `payload_json` is the event envelope, sent
// verbatim. A webhook fans out to every endpoint subscribed to its type; `delivered_to` lists
// the endpoints that acknowledged it, so a retry goes only to the others.
struct OutboxMessage {
  std::string tenant_id;
  std::string id;          // "msg_..."
  std::string channel;     // "webhook", "email", "sms"
  std::string event_type;  // e.g. "request.completed", "provisioning.requested"
  std::string account_id;  // empty if none
  std::string request_id;  // empty if none
  std::string payload_json;
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  Timestamp next_attempt_at = 0;
  std::string last_error;
  Timestamp created_at = 0;
  std::optional<Timestamp> delivered_at;
  std::optional<Timestamp> locked_until;  // a dispatcher holds it until then (its lease)
  std::vector<std::string> delivered_to;  // endpoint ids that answered 2xx, in answer order
};

// What the rate limit and "already told" read of a message already written to a customer
// (email or SMS): no payload, so that every change that notifies reads only an index.
struct CustomerMessageStamp {
  std::string id;
  std::string channel;
  std::string event_type;
  std::string request_id;
  OutboxState state = OutboxState::kPending;
  Timestamp next_attempt_at = 0;
};

// A notification waiting to be composed: what a change that tells a customer writes in its
// own transaction (app/notifications/notification_queue.h). No personal data.
struct NotificationIntent {
  std::string tenant_id;
  std::string id;  // "ntf_...", in the order they were written
  std::string event_type;
  std::string account_id;
  std::string request_id;     // empty: the event is about no request
  std::string request_state;  // the request's state when the event was written
  std::string data_json;      // the event's data
  std::string context_json;   // who made the change: actor, channel, correlation id
  Timestamp created_at = 0;
};

// A URL of a client system that receives the tenant's webhook events, each delivery signed
// with the endpoint's own secret (Standard Webhooks). Removing an endpoint disables it: the
// row stays for the audit trail and gets nothing more.
struct WebhookEndpoint {
  std::string tenant_id;
  std::string id;  // "whe_..."
  std::string url;
  std::vector<std::string> event_types;  // event names, or {"*"} for every type
  std::string description;
  WebhookFormat format = WebhookFormat::kSwitchboard;  // the body it receives
  std::string secret_sealed;  // binary: the signing secret sealed under the master key
  Timestamp created_at = 0;
  std::optional<Timestamp> disabled_at;
};

// A tenant's own template for one notification, channel and locale
// (app/notifications/tenant_templates.h). Its key never changes; storing again replaces
// `body` and counts `version` up; deleting sets `deleted_at` and keeps the row, so that a
// later store continues the versions.
struct NotificationTemplate {
  std::string tenant_id;
  std::string notification;  // an event name, "service.suspended"
  std::string channel;       // "email" or "sms"
  std::string locale;        // one of kNotificationLocales
  std::string body;          // the Mustache text, checked by app::ParseTemplate
  std::int64_t version = 0;  // 1 for the first store
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::optional<Timestamp> deleted_at;
};

// One change, as the audit log records it. The leaf of the Merkle log is
// SHA-256(0x00 || CanonicalAuditBytes(entry)) (see domain/audit_entry.h).
struct AuditEntry {
  std::string tenant_id;
  std::string id;  // "aud_..."
  AuditCategory category = AuditCategory::kAccountStatus;
  std::string action;  // e.g. "hold.placed", "account.created"
  Actor actor;
  Channel channel = Channel::kApi;
  std::string reason_code;
  std::string comment;
  std::string request_id;
  std::string correlation_id;
  std::string subject_type;  // "account", "service", "hold", "api_key", "tenant"
  std::string subject_id;
  std::string account_id;   // the account the change concerns, empty if none
  std::string before_json;  // personal data only as ciphertext or hash
  std::string after_json;
  Timestamp created_at = 0;
  std::optional<std::int64_t> leaf_index;  // set when sequenced into the log
  std::string leaf_hash;                   // 32 raw bytes once sequenced
};

// The place an audit entry takes in its tenant's log (Tx::SetAuditLeaves).
struct AuditLeaf {
  std::string entry_id;
  std::int64_t leaf_index = 0;
  std::string leaf_hash;  // 32 raw bytes
};

// A signed statement of the log's state.
struct Checkpoint {
  std::string tenant_id;
  std::int64_t tree_size = 0;
  std::string root_hash;  // 32 raw bytes
  Timestamp created_at = 0;
  std::string key_id;
  std::string signature;  // 64 raw bytes, Ed25519 over CheckpointSignedBytes()
};

// A durable timer or task, written in the same transaction as the change that wants it.
struct Job {
  std::string tenant_id;
  std::string id;    // "job_..."
  std::string kind;  // e.g. "hold.expire"
  std::string subject_id;
  std::string payload_json;
  JobState state = JobState::kPending;
  Timestamp run_at = 0;
  int attempts = 0;
  std::optional<Timestamp> locked_until;
  std::string last_error;
  Timestamp created_at = 0;
};

// A stored answer for an Idempotency-Key, written in the same transaction as the change.
struct IdempotencyRecord {
  std::string tenant_id;
  std::string key;
  std::string fingerprint;  // hex SHA-256 of method, path and body
  int status_code = 0;
  std::string response_headers_json;
  std::string response_body;
  Timestamp created_at = 0;
  Timestamp expires_at = 0;
};

// A per-subject data key (wrapped by the master key). Destroying it erases the subject's
// personal data while the audit log keeps verifying.
struct SubjectKey {
  std::string tenant_id;
  std::string subject_id;
  std::string wrapped_key;  // binary
  std::optional<Timestamp> destroyed_at;
};

// A subject access export (app/rights/data_export.h): everything held about an account's
// customer as one JSON document, sealed under the account's data key, kept with the
// data_access request that produced it. An erasure makes it unreadable with the rest.
struct DataExport {
  std::string tenant_id;
  std::string request_id;
  std::string account_id;
  std::string sealed;  // binary: the document sealed by Keyring::SealFor
  Timestamp created_at = 0;
};

// A server-wide key (e.g. the audit signing key), its secret part sealed by the master key.
struct ServerKey {
  std::string id;
  std::string purpose;        // "audit_signing"
  std::string public_key;     // binary
  std::string secret_sealed;  // binary
  Timestamp created_at = 0;
};

// One stored version of a tenant's policy pack. The YAML text is kept verbatim (it is what
// was validated and what GET returns); `version` and `effective_from` are copied out of it
// so that the pack in force can be found without parsing.
struct StoredPolicyPack {
  std::string tenant_id;
  std::string version;  // the pack's own version string, unique per tenant
  Timestamp effective_from = 0;
  std::string yaml_text;
  Timestamp created_at = 0;
  std::string created_by;  // actor id: API key id or "system"
};

// A per-tenant secret, sealed under the master key (Keyring::WrapSecret). One per purpose:
// "inbound_events" signs the events client systems push to the tenant.
struct TenantSecret {
  std::string tenant_id;
  std::string purpose;
  std::string secret_sealed;  // binary
  Timestamp created_at = 0;
};

// An inbound event seen once, kept so that a redelivery of the same id changes nothing.
// `outcome` is what handling it did ("applied", "ignored"); `request_ids` every request it
// created, in the order they were made (a redelivery answers all of them).
struct InboundEvent {
  std::string tenant_id;
  std::string event_id;
  std::string type;
  Timestamp received_at = 0;
  std::vector<std::string> request_ids;
  std::string outcome;
};

// Cursor page of a list endpoint.
template <typename T>
struct Page {
  std::vector<T> items;
  bool has_more = false;
  std::string next_cursor;  // id of the last item when has_more
};

// A one-time code sent to the email or phone on record in an account's profile
// (app/verification/verification_codes.h). The code itself is never stored: `code_hash` is the
// hex HMAC-SHA-256, under a key derived from the master key, of the code's id and the code.
// Only the newest code of an account, channel and purpose can be checked.
struct VerificationCode {
  std::string tenant_id;
  std::string id;  // "vcode_..."
  std::string account_id;
  std::string channel;  // "email" or "sms"
  std::string purpose;  // "verification" or "sign_in"
  std::string code_hash;
  std::string message_id;  // the outbox message that carries it
  Timestamp created_at = 0;
  Timestamp expires_at = 0;
  std::optional<Timestamp> used_at;  // set by the one check that passed
};

// One evaluated check of a code on an account and channel: passed, or failed (a wrong,
// expired or used code, or none live). Checks refused by the lock are not evaluated and leave
// no row; failed ones are what the lock and the fraud rules count.
struct CodeCheck {
  std::string tenant_id;
  std::string id;  // "vcheck_..."
  std::string account_id;
  std::string channel;
  std::string purpose;
  std::string code_id;  // the code compared against; empty when none was live
  bool passed = false;
  Timestamp at = 0;
};

// A fraud rule that fired (app/fraud/fraud_rules.h), or a fraud alert a client system sent:
// which rule, on which account and request, what it did and the figures that matched.
struct FraudSignal {
  std::string tenant_id;
  std::string id;    // "fsig_..."
  std::string rule;  // reactivation_velocity, contact_then_payment_change, failed_codes, alert
  std::string account_id;
  std::string request_id;       // the request sent to review; empty when none
  std::string hold_request_id;  // the suspension that placed the fraud_review hold; empty: none
  std::string figures_json;     // what matched, e.g. {"count":3,"max_count":2,...}
  Timestamp created_at = 0;
};

struct FraudSignalFilter {
  std::string account_id;  // empty: every account
  std::string starting_after;
  int limit = 20;
};

}  // namespace sb::domain
