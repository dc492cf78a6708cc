#pragma once

// The storage port. `storage/sqlite` and `storage/postgres` implement it; `app` uses it.
// Every method of Tx that touches tenant data takes the tenant id and filters on it: nothing
// crosses tenants. Lists are newest first (ids are time-ordered, see crypto/random.h) and
// take a cursor `starting_after` (an id; empty for the first page) and a `limit`.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/assistant.h"
#include "domain/bulk.h"
#include "domain/merkle.h"
#include "domain/model.h"
#include "domain/people.h"
#include "domain/reconciliation.h"
#include "domain/reports.h"
#include "domain/scoring.h"

namespace sb::domain {

struct AccountFilter {
  std::optional<AccountStatus> status;
  std::optional<std::string> external_ref;
  std::optional<std::string> region;
  std::string starting_after;
  int limit = 20;
};

struct RequestFilter {
  std::optional<std::string> account_id;
  std::optional<RequestState> state;
  std::optional<RequestType> type;
  std::optional<SlaStatus> sla_status;
  std::optional<std::string> assignee;  // "" matches unassigned requests
  std::optional<std::string> priority;
  std::optional<std::string> team;  // requests assigned to a member of the team
  // false: newest first (by id). true: the work queue order, due_at ascending (requests
  // without due_at last), then id; the cursor is still the id of the last item, and one that
  // names no request of the tenant fails with kInvalidArgument (param "starting_after").
  bool by_due = false;
  std::string starting_after;
  int limit = 20;
};

// One request reduced to what KPIs need.
struct RequestStat {
  std::string id;  // read only by ListRequestReportStats, for its cursor
  RequestType type = RequestType::kStatusSync;
  RequestState state = RequestState::kReceived;
  Timestamp created_at = 0;
  std::optional<Timestamp> completed_at;
  std::optional<Timestamp> due_at;
  // What a KPI breakdown groups by, read only by ListRequestReportStats (empty or defaults
  // from ListRequestStats): the assignee, the account's region ("" for none).
  Origin origin = Origin::kVoluntary;
  Channel channel = Channel::kApi;
  std::string assignee;
  std::string region;
  std::optional<int> csat_score;  // the customer's answer (csat_answers), when they gave one
  std::string team;  // the assignee's team, set by the caller from the staff users ("" for none)
};

// The requests a report reads (ListRequestReport): created in [from, to), and each
// optional filter equal when set. `actor_id` is who filed the request; `region` its account's.
struct RequestReportFilter {
  Timestamp from = 0;
  Timestamp to = 0;
  std::optional<RequestType> type;
  std::optional<RequestState> state;
  std::optional<Origin> origin;
  std::optional<Channel> channel;
  std::optional<std::string> actor_id;
  std::optional<std::string> region;
};

// Where the next page of a report starts: the (created_at, id) of the last row read. An empty
// id starts from the newest row.
struct ReportCursor {
  Timestamp created_at = 0;
  std::string id;
};

// One request as a report shows it: no payload, comments or anything else a caller types in.
struct RequestReportRow {
  std::string id;
  std::string account_id;
  std::string region;  // the account's; "" for none
  std::optional<std::string> service_id;
  RequestType type = RequestType::kStatusSync;
  Origin origin = Origin::kVoluntary;
  Channel channel = Channel::kApi;
  RequestState state = RequestState::kReceived;
  std::string priority;
  Actor actor;
  std::string reason_code;
  std::string correlation_id;
  std::string assignee;
  SlaStatus sla_status = SlaStatus::kOnTrack;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::optional<Timestamp> completed_at;
  std::optional<Timestamp> due_at;
};

// How many open requests of one type sit in one state.
struct BacklogCount {
  RequestType type = RequestType::kStatusSync;
  RequestState state = RequestState::kReceived;
  std::int64_t count = 0;
};

struct OutboxFilter {
  std::optional<std::string> account_id;
  std::optional<std::string> request_id;
  std::optional<std::string> event_type;
  std::optional<OutboxState> state;    // e.g. kDead: the dead-letter list
  std::optional<std::string> channel;  // "webhook", "email" or "sms"
  std::string starting_after;
  int limit = 20;
};

// Where a list of notification templates starts (ListNotificationTemplates).
struct NotificationTemplateKey {
  std::string notification;
  std::string channel;
  std::string locale;
};

struct AuditFilter {
  std::optional<std::string> account_id;
  std::optional<AuditCategory> category;
  std::optional<std::string> request_id;
  std::string starting_after;
  int limit = 20;
  std::optional<Timestamp> created_from;  // created_at >= created_from
  std::optional<Timestamp> created_to;    // created_at < created_to
  std::optional<std::string> actor_id;
};

// One transaction's view of the database. Not thread-safe; valid only inside the callback
// given to Store::Write or Store::Read. In a read transaction, write methods fail with
// kInternal. Methods return kNotFound for a missing row and kConflict ("duplicate") when a
// unique key is already taken; any other failure is kInternal.
class Tx {
 public:
  virtual ~Tx() = default;
  Tx() = default;
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  // Tenants and API keys.
  virtual Status InsertTenant(const Tenant& t) = 0;
  virtual Result<Tenant> GetTenant(std::string_view tenant_id) = 0;
  virtual Result<std::vector<Tenant>> ListTenants() = 0;
  virtual Status InsertApiKey(const ApiKey& k) = 0;
  // Looks a key up by its secret hash across tenants (authentication). Revoked keys are
  // returned too; the caller checks revoked_at.
  virtual Result<ApiKey> FindApiKeyByHash(std::string_view secret_hash) = 0;
  virtual Result<std::vector<ApiKey>> ListApiKeys(std::string_view tenant_id) = 0;
  virtual Status RevokeApiKey(std::string_view tenant_id, std::string_view key_id,
                              Timestamp at) = 0;

  // Staff users and sessions (domain/people.h). InsertUser fails with kConflict when the
  // tenant already has a user with that email; UpdateUser replaces every field of the row of
  // (tenant_id, id) (kNotFound when none). FindUserByInvitation: the user whose unused
  // invitation has that hash. RevokeSessionsOf revokes every live session of one subject
  // and returns how many.
  virtual Status InsertUser(const StaffUser& u) = 0;
  virtual Status UpdateUser(const StaffUser& u) = 0;
  virtual Result<StaffUser> GetUser(std::string_view tenant_id, std::string_view user_id) = 0;
  virtual Result<StaffUser> FindUserByEmail(std::string_view tenant_id, std::string_view email) = 0;
  virtual Result<StaffUser> FindUserByInvitation(std::string_view tenant_id,
                                                 std::string_view invitation_hash) = 0;
  virtual Result<std::vector<StaffUser>> ListUsers(std::string_view tenant_id) = 0;
  virtual Status InsertSession(const Session& s) = 0;
  virtual Result<Session> GetSession(std::string_view tenant_id, std::string_view id_hash) = 0;
  virtual Status TouchSession(std::string_view tenant_id, std::string_view id_hash,
                              Timestamp at) = 0;
  virtual Status RevokeSession(std::string_view tenant_id, std::string_view id_hash,
                               Timestamp at) = 0;
  virtual Result<int> RevokeSessionsOf(std::string_view tenant_id, ActorType subject_type,
                                       std::string_view subject_id, Timestamp at) = 0;
  // kNotFound when that email and address have no failure on record.
  virtual Result<SignInThrottle> GetSignInThrottle(std::string_view tenant_id,
                                                   std::string_view key) = 0;
  // Inserts or replaces the row of (tenant_id, key).
  virtual Status PutSignInThrottle(const SignInThrottle& t) = 0;
  // Across tenants: deletes the sessions revoked or past their absolute timeout before
  // `ended_before` or last seen before `idle_before`, and the sign-in throttle rows neither
  // locked nor updated since `ended_before`; returns how many rows went.
  virtual Result<std::int64_t> PurgeEndedSessions(Timestamp ended_before,
                                                  Timestamp idle_before) = 0;

  // Reason codes and plans (per tenant catalogues).
  virtual Status UpsertReasonCode(const ReasonCode& r) = 0;
  virtual Result<std::vector<ReasonCode>> ListReasonCodes(std::string_view tenant_id) = 0;
  virtual Status UpsertPlan(const Plan& p) = 0;
  virtual Result<Plan> GetPlan(std::string_view tenant_id, std::string_view code) = 0;
  virtual Result<std::vector<Plan>> ListPlans(std::string_view tenant_id) = 0;

  // Every Update* below writes the fields that can change. What a row is created with and
  // keeps for life (its key, account, type, external_ref, created_at, a job's subject) is
  // not rewritten: REQUIRES callers leave those fields as they were read.
  //
  // Accounts. UpdateAccount writes `a` only if the stored version equals
  // `expected_version` (else kPreconditionFailed), and stores a.version as given.
  virtual Status InsertAccount(const Account& a) = 0;
  // `for_update` locks the row until the transaction ends (PostgreSQL); SQLite has one writer.
  virtual Result<Account> GetAccount(std::string_view tenant_id, std::string_view id,
                                     bool for_update = false) = 0;
  virtual Result<Account> GetAccountByRef(std::string_view tenant_id,
                                          std::string_view external_ref) = 0;
  // The tenant's accounts among `keys` (account ids, or external_refs when `by_ref`), in no
  // particular order; a key the tenant has no account for is left out. For reading many rows'
  // accounts in one round trip (reconciliation batches of up to 1,000).
  virtual Result<std::vector<Account>> GetAccounts(std::string_view tenant_id,
                                                   const std::vector<std::string>& keys,
                                                   bool by_ref) = 0;
  virtual Status UpdateAccount(const Account& a, std::int64_t expected_version) = 0;
  virtual Result<Page<Account>> ListAccounts(std::string_view tenant_id,
                                             const AccountFilter& f) = 0;

  // Services.
  virtual Status InsertService(const Service& s) = 0;
  virtual Result<Service> GetService(std::string_view tenant_id, std::string_view id) = 0;
  virtual Status UpdateService(const Service& s) = 0;
  virtual Result<std::vector<Service>> ListServices(std::string_view tenant_id,
                                                    std::string_view account_id) = 0;
  // The services of every account in `account_ids`, in no particular order.
  virtual Result<std::vector<Service>> ListServicesOf(
      std::string_view tenant_id, const std::vector<std::string>& account_ids) = 0;
  // Plan history (append only): InsertPlanHistory fails with kConflict on a duplicate id.
  // ListPlanHistory gives every entry of the account's services, oldest first (by `at`, then
  // id), all services mixed.
  virtual Status InsertPlanHistory(const PlanHistoryEntry& e) = 0;
  virtual Result<std::vector<PlanHistoryEntry>> ListPlanHistory(std::string_view tenant_id,
                                                                std::string_view account_id) = 0;

  // Holds.
  virtual Status InsertHold(const Hold& h) = 0;
  virtual Result<Hold> GetHold(std::string_view tenant_id, std::string_view id) = 0;
  virtual Status UpdateHold(const Hold& h) = 0;
  // All holds of an account (both scopes), newest first; only active ones if `active_only`.
  virtual Result<std::vector<Hold>> ListHolds(std::string_view tenant_id,
                                              std::string_view account_id, bool active_only) = 0;

  // Requests (history, checks, payload and result stored with the row).
  virtual Status InsertRequest(const Request& r) = 0;
  virtual Status UpdateRequest(const Request& r) = 0;
  virtual Result<Request> GetRequest(std::string_view tenant_id, std::string_view id) = 0;
  virtual Result<Page<Request>> ListRequests(std::string_view tenant_id,
                                             const RequestFilter& f) = 0;
  // Every request of the account that is not in a terminal state, oldest first.
  virtual Result<std::vector<Request>> ListOpenRequests(std::string_view tenant_id,
                                                        std::string_view account_id) = 0;
  // How many requests of `type` on the account were created at or after `since`, not
  // counting rejected, cancelled and failed ones (the cooling_off check).
  virtual Result<std::int64_t> CountRequestsSince(std::string_view tenant_id,
                                                  std::string_view account_id, RequestType type,
                                                  Timestamp since) = 0;
  // Requests created in [from, to), any order (KPIs).
  virtual Result<std::vector<RequestStat>> ListRequestStats(std::string_view tenant_id,
                                                            Timestamp from, Timestamp to) = 0;
  // Requests created in [from, to) with an id after `after_id` ("" for the first), by id, at
  // most `limit`, each with its check_inputs_json: the decisions a policy simulation replays.
  virtual Result<std::vector<Request>> ListRequestsForReplay(std::string_view tenant_id,
                                                             Timestamp from, Timestamp to,
                                                             std::string_view after_id,
                                                             int limit) = 0;
  // Open (non-terminal) requests counted by type and state; only non-zero counts.
  virtual Result<std::vector<BacklogCount>> CountBacklog(std::string_view tenant_id) = 0;

  // Verifications (identity, consent, data confirmation) of an account, newest first by
  // verified_at, then id.
  virtual Status InsertVerification(const Verification& v) = 0;
  virtual Result<std::vector<Verification>> ListVerifications(std::string_view tenant_id,
                                                              std::string_view account_id) = 0;

  // One-time verification codes and their checks (app/verification/). Both lists are newest
  // first (by created_at / at, then id) and cover every purpose of the account's `channel`
  // ("" for every channel) from `since` on.
  virtual Status InsertVerificationCode(const VerificationCode& c) = 0;
  virtual Result<std::vector<VerificationCode>> ListVerificationCodes(std::string_view tenant_id,
                                                                      std::string_view account_id,
                                                                      std::string_view channel,
                                                                      Timestamp since) = 0;

  // Fraud signals (app/fraud/), newest first (by id) with the usual cursor.
  virtual Status InsertFraudSignal(const FraudSignal& s) = 0;
  virtual Result<Page<FraudSignal>> ListFraudSignals(std::string_view tenant_id,
                                                     const FraudSignalFilter& f) = 0;
  // Sets the code's used_at to `at` when it is still unused; kNotFound otherwise, so that one
  // code passes one check however many race for it.
  virtual Status MarkVerificationCodeUsed(std::string_view tenant_id, std::string_view id,
                                          Timestamp at) = 0;
  virtual Status InsertCodeCheck(const CodeCheck& c) = 0;
  virtual Result<std::vector<CodeCheck>> ListCodeChecks(std::string_view tenant_id,
                                                        std::string_view account_id,
                                                        std::string_view channel,
                                                        Timestamp since) = 0;

  // Outbox messages. ListOutbox is newest first with the usual cursor.
  virtual Status InsertOutbox(const OutboxMessage& m) = 0;
  virtual Result<Page<OutboxMessage>> ListOutbox(std::string_view tenant_id,
                                                 const OutboxFilter& f) = 0;
  virtual Result<OutboxMessage> GetOutbox(std::string_view tenant_id, std::string_view id) = 0;
  // The account's newest `limit` email and SMS messages (webhook events left out), newest
  // first, as stamps: served by an index that holds every field they carry.
  virtual Result<std::vector<CustomerMessageStamp>> ListCustomerMessageStamps(
      std::string_view tenant_id, std::string_view account_id, int limit) = 0;
  // Notifications waiting to be composed. ListNotificationIntents: the tenant's oldest
  // `limit`, in id order; on PostgreSQL locked FOR UPDATE SKIP LOCKED, so that two processes
  // composing at once take disjoint sets. DeleteNotificationIntent: kNotFound when it is not
  // there. TenantsWithNotificationIntents: every tenant with at least one, in id order.
  virtual Status InsertNotificationIntent(const NotificationIntent& n) = 0;
  virtual Result<std::vector<NotificationIntent>> ListNotificationIntents(
      std::string_view tenant_id, int limit) = 0;
  virtual Status DeleteNotificationIntent(std::string_view tenant_id, std::string_view id) = 0;
  virtual Result<std::vector<std::string>> TenantsWithNotificationIntents() = 0;
  // Every tenant's intents (GET /metrics).
  virtual Result<std::int64_t> CountNotificationIntents() = 0;
  // Stores what delivery changes (state, attempts, next_attempt_at, last_error, delivered_at,
  // locked_until, delivered_to) of each message, all or nothing; kNotFound when one does not
  // exist. A dispatcher's whole claim or round of attempts in one call (one statement per
  // tenant on PostgreSQL).
  virtual Status UpdateOutboxDeliveries(const std::vector<OutboxMessage>& messages) = 0;
  Status UpdateOutboxDelivery(const OutboxMessage& m) { return UpdateOutboxDeliveries({m}); }
  // Claims up to `limit` messages of one channel ("webhook", "email", "sms") of any tenant
  // that are pending, due (next_attempt_at <= now) and not leased (locked_until empty or
  // <= now): sets locked_until = now + lease_ms and returns them, the longest due first. On
  // PostgreSQL with FOR UPDATE SKIP LOCKED, so that several processes claim disjoint sets
  // without waiting. Each channel's dispatcher claims only its own, so that a slow channel
  // holds up no other.
  virtual Result<std::vector<OutboxMessage>> ClaimDueOutbox(std::string_view channel, Timestamp now,
                                                            int limit, Timestamp lease_ms) = 0;

  // The tenant's suppression list of addresses that bounced for good, by keyed hash only
  // (app/notifications/suppression_list.h). InsertSuppression of a hash already listed is OK
  // and keeps the first entry.
  virtual Status InsertSuppression(std::string_view tenant_id, std::string_view address_hash,
                                   std::string_view message_id, Timestamp at) = 0;
  virtual Result<bool> IsSuppressed(std::string_view tenant_id, std::string_view address_hash) = 0;
  // The id a provider (an SMS gateway) gave an outbox message it accepted. InsertProviderRef
  // fails with kConflict when the tenant already has that provider id; MessageIdByProviderRef
  // is kNotFound for an id never stored.
  virtual Status InsertProviderRef(std::string_view tenant_id, std::string_view provider_ref,
                                   std::string_view message_id, Timestamp at) = 0;
  virtual Result<std::string> MessageIdByProviderRef(std::string_view tenant_id,
                                                     std::string_view provider_ref) = 0;

  // Webhook endpoints. InsertWebhookEndpoint fails with kConflict on a taken id.
  // ListWebhookEndpoints: the tenant's enabled endpoints, newest first. DisableWebhookEndpoint
  // sets disabled_at; kNotFound when the tenant has no enabled endpoint with that id.
  virtual Status InsertWebhookEndpoint(const WebhookEndpoint& e) = 0;
  virtual Result<WebhookEndpoint> GetWebhookEndpoint(std::string_view tenant_id,
                                                     std::string_view id) = 0;
  virtual Result<std::vector<WebhookEndpoint>> ListWebhookEndpoints(std::string_view tenant_id) = 0;
  virtual Status DisableWebhookEndpoint(std::string_view tenant_id, std::string_view id,
                                        Timestamp at) = 0;

  // Tenant notification templates, keyed by (notification, channel, locale).
  // PutNotificationTemplate inserts the row of t's key or replaces every field of it.
  // GetNotificationTemplate returns the row, deleted or not; kNotFound when the tenant never
  // stored that key. ListNotificationTemplates: up to `limit` of the tenant's templates that
  // are not deleted, in key order (notification, channel, locale, compared as bytes),
  // starting after the key `after` (all empty: from the first). CountNotificationTemplates:
  // how many are not deleted.
  virtual Status PutNotificationTemplate(const NotificationTemplate& t) = 0;
  virtual Result<NotificationTemplate> GetNotificationTemplate(std::string_view tenant_id,
                                                               std::string_view notification,
                                                               std::string_view channel,
                                                               std::string_view locale) = 0;
  virtual Result<std::vector<NotificationTemplate>> ListNotificationTemplates(
      std::string_view tenant_id, const NotificationTemplateKey& after, int limit) = 0;
  virtual Result<std::int64_t> CountNotificationTemplates(std::string_view tenant_id) = 0;

  // Accounts whose lifecycle is `active` and that have not changed since before `before`
  // (updated_at < before), oldest updated_at first, at most `limit` (the dormancy scan).
  virtual Result<std::vector<Account>> ListInactiveAccounts(std::string_view tenant_id,
                                                            Timestamp before, int limit) = 0;

  // True when no other write transaction can run while this one does (SQLite's single
  // writer): work that would otherwise take a shared lock, such as giving audit entries
  // their place in the tenant's log, can then be done inside the write itself.
  virtual bool WritesAreSerialized() const = 0;

  // Audit entries. InsertAuditEntry stores `e` as given: unsequenced when leaf_index is
  // empty, else already in the log with its leaf_index and leaf_hash (kConflict when that
  // index is taken).
  virtual Status InsertAuditEntry(const AuditEntry& e) = 0;
  virtual Result<AuditEntry> GetAuditEntry(std::string_view tenant_id, std::string_view id) = 0;
  virtual Result<Page<AuditEntry>> ListAuditEntries(std::string_view tenant_id,
                                                    const AuditFilter& f) = 0;
  // Tenants that have unsequenced entries, or a log larger than its latest signed
  // checkpoint (entries sequenced as they were written, not signed yet).
  virtual Result<std::vector<std::string>> TenantsWithUnsequencedAudit() = 0;
  // Up to `limit` unsequenced entries of a tenant, oldest first (created_at, then id).
  virtual Result<std::vector<AuditEntry>> ListUnsequencedAudit(std::string_view tenant_id,
                                                               int limit) = 0;
  // Gives each entry its leaf index and hash, all or nothing: NotFound when an entry is not
  // there, Conflict when an index is taken. The sequencer's whole batch in one call (one
  // statement on PostgreSQL).
  virtual Status SetAuditLeaves(std::string_view tenant_id,
                                const std::vector<AuditLeaf>& leaves) = 0;
  // Sequenced entries with leaf_index in [from, to), in index order.
  virtual Result<std::vector<AuditEntry>> ListAuditByIndex(std::string_view tenant_id,
                                                           std::int64_t from, std::int64_t to) = 0;
  // Up to `limit` sequenced entries of a tenant, read in the order the store keeps them,
  // which is the fastest to read a whole log in and close to leaf-index order without being
  // it (SQLite: by id, the table's own order; PostgreSQL: by leaf index). The next read starts
  // after the last entry returned: pass its id and leaf index (and "", -1 to start). Entries
  // are read into the first elements of `out` (grown when needed), whose storage is reused;
  // returns how many were read.
  virtual Result<std::size_t> ReadAuditInStoreOrder(std::string_view tenant_id,
                                                    std::string_view after_id,
                                                    std::int64_t after_leaf_index,
                                                    std::size_t limit,
                                                    std::vector<AuditEntry>& out) = 0;

  // Merkle log storage: the hash of every complete subtree (level L covers 2^L leaves,
  // `index` counts such subtrees from the left; level 0 are the leaf hashes) and the size.
  // GetLogSize locks the tenant's log row until the transaction ends (PostgreSQL).
  virtual Result<std::int64_t> GetLogSize(std::string_view tenant_id) = 0;
  virtual Status SetLogSize(std::string_view tenant_id, std::int64_t size) = 0;
  // Stores each node, replacing one already at its place. REQUIRES: no two at one place.
  virtual Status PutTreeNodes(std::string_view tenant_id,
                              const std::vector<merkle::TreeNode>& nodes) = 0;
  virtual Result<std::string> GetTreeNode(std::string_view tenant_id, int level,
                                          std::int64_t index) = 0;
  // The stored nodes of `level` with index in [from, to), in index order (missing ones are
  // left out).
  virtual Result<std::vector<merkle::TreeNode>> ListTreeNodes(std::string_view tenant_id, int level,
                                                              std::int64_t from,
                                                              std::int64_t to) = 0;
  // The lowest position whose stored leaf hash (level 0) is `leaf_hash`, or nullopt. Reads
  // every leaf of the tenant: for telling a moved entry from an altered one, not for paths
  // that run on every call.
  virtual Result<std::optional<std::int64_t>> FindLeafPosition(std::string_view tenant_id,
                                                               std::string_view leaf_hash) = 0;
  virtual Status InsertCheckpoint(const Checkpoint& c) = 0;
  // kNotFound when the log has no checkpoint yet.
  virtual Result<Checkpoint> LatestCheckpoint(std::string_view tenant_id) = 0;
  // Up to `limit` checkpoints in (tree_size, created_at) order, those after
  // (after_size, after_created_at); (-1, 0) starts at the first.
  virtual Result<std::vector<Checkpoint>> ListCheckpointsAfter(std::string_view tenant_id,
                                                               std::int64_t after_size,
                                                               Timestamp after_created_at,
                                                               int limit) = 0;

  // Jobs. ClaimDueJobs marks up to `limit` pending jobs with run_at <= now (any tenant) as
  // running with locked_until = now + lease_ms and returns them; on PostgreSQL with
  // FOR UPDATE SKIP LOCKED so several processes share the work. Running jobs whose lease
  // ran out count as pending again.
  virtual Status InsertJob(const Job& j) = 0;
  virtual Result<std::vector<Job>> ClaimDueJobs(Timestamp now, int limit, Timestamp lease_ms) = 0;
  virtual Status UpdateJob(const Job& j) = 0;
  virtual Result<std::vector<Job>> ListJobs(std::string_view tenant_id,
                                            std::string_view subject_id) = 0;

  // Idempotency records. Insert fails with kConflict if the key exists for the tenant.
  virtual Result<IdempotencyRecord> GetIdempotency(std::string_view tenant_id,
                                                   std::string_view key) = 0;
  virtual Status InsertIdempotency(const IdempotencyRecord& r) = 0;
  // Deletes records that expired before `now`; returns how many.
  virtual Result<std::int64_t> PurgeIdempotency(Timestamp now) = 0;

  // Policy packs (versioned, effective-dated; see StoredPolicyPack). InsertPolicyPack fails
  // with kConflict when the tenant already has that version. PolicyPackInForce returns the
  // pack with the latest effective_from <= `at` (ties: the highest version, compared as
  // text), or kNotFound when none is in force yet. ListPolicyPacks: newest first (by
  // effective_from, then version, both descending).
  virtual Status InsertPolicyPack(const StoredPolicyPack& p) = 0;
  virtual Result<StoredPolicyPack> PolicyPackInForce(std::string_view tenant_id, Timestamp at) = 0;
  // Only the version of the pack PolicyPackInForce would return (the request hot path
  // records it on every request and needs none of the pack's text).
  virtual Result<std::string> PolicyVersionInForce(std::string_view tenant_id, Timestamp at) = 0;
  virtual Result<std::vector<StoredPolicyPack>> ListPolicyPacks(std::string_view tenant_id) = 0;

  // Tenant secrets: UpsertTenantSecret replaces the tenant's secret for that purpose (and its
  // created_at); GetTenantSecret is kNotFound when the tenant has none.
  virtual Status UpsertTenantSecret(const TenantSecret& s) = 0;
  virtual Result<TenantSecret> GetTenantSecret(std::string_view tenant_id,
                                               std::string_view purpose) = 0;

  // Inbound events (deduplication). InsertInboundEvent fails with kConflict ("duplicate")
  // when the tenant has already seen that event id.
  virtual Status InsertInboundEvent(const InboundEvent& e) = 0;
  virtual Result<InboundEvent> GetInboundEvent(std::string_view tenant_id,
                                               std::string_view event_id) = 0;

  // Keys.
  virtual Status InsertSubjectKey(const SubjectKey& k) = 0;
  virtual Result<SubjectKey> GetSubjectKey(std::string_view tenant_id,
                                           std::string_view subject_id) = 0;
  virtual Status InsertServerKey(const ServerKey& k) = 0;
  // The newest key for `purpose`; kNotFound when none.
  virtual Result<ServerKey> GetServerKey(std::string_view purpose) = 0;

  // Data rights (app/rights/). DestroySubjectKey marks the subject's data key destroyed at
  // `at` and overwrites its wrapped key with an empty one, so nothing sealed for the subject
  // opens again; a subject that never had a key gets a destroyed row, so none is made for it
  // later. Destroying again keeps the first destroyed_at.
  virtual Status DestroySubjectKey(std::string_view tenant_id, std::string_view subject_id,
                                   Timestamp at) = 0;
  // Subject access exports, one per data_access request: InsertDataExport fails with
  // kConflict when the request already has one; GetDataExport is kNotFound when it has none.
  virtual Status InsertDataExport(const DataExport& e) = 0;
  virtual Result<DataExport> GetDataExport(std::string_view tenant_id,
                                           std::string_view request_id) = 0;
  // Accounts whose lifecycle is `closed`, that have not changed since before `before`
  // (updated_at < before) and whose data key is not destroyed, oldest updated_at first, at
  // most `limit` (the retention scan).
  virtual Result<std::vector<Account>> ListClosedAccountsToErase(std::string_view tenant_id,
                                                                 Timestamp before, int limit) = 0;

  // Bulk jobs (app/bulk/). InsertBulkJob fails with kConflict on a taken id. GetBulkJob with
  // `for_update` locks the job's row until the transaction ends (PostgreSQL), so that a
  // pause and a chunk's counters never overwrite each other. UpdateBulkJob writes state,
  // counters and times (kNotFound when there is no such job).
  virtual Status InsertBulkJob(const BulkJob& j) = 0;
  virtual Result<BulkJob> GetBulkJob(std::string_view tenant_id, std::string_view id,
                                     bool for_update = false) = 0;
  virtual Status UpdateBulkJob(const BulkJob& j) = 0;
  // Adds a chunk's outcomes to a running job's counters and sets its updated_at, in one
  // statement that locks the job's row only from there to the end of the transaction, so that
  // chunks of one job run side by side (app/bulk/). kNotFound when the job is not running (it
  // was paused or cancelled since it was read): the chunk is then rolled back.
  virtual Status CountBulkRows(std::string_view tenant_id, std::string_view job_id,
                               std::int64_t applied, std::int64_t failed, std::int64_t skipped,
                               Timestamp at) = 0;
  // The tenant's jobs, newest first (by id), with the usual cursor.
  virtual Result<Page<BulkJob>> ListBulkJobs(std::string_view tenant_id,
                                             std::string_view starting_after, int limit) = 0;
  // Stores rows of one job as given (kConflict when a row number is taken).
  virtual Status InsertBulkRows(const std::vector<BulkRow>& rows) = 0;
  // Up to `limit` rows of the job with row_no > `after_row`, in row order; only pending ones
  // when `pending_only`.
  virtual Result<std::vector<BulkRow>> ListBulkRows(std::string_view tenant_id,
                                                    std::string_view job_id, std::int64_t after_row,
                                                    int limit, bool pending_only) = 0;
  // Writes a row's outcome (state, request id and state, error, updated_at) only while it is
  // still pending: kNotFound when it is not (another run applied it first), so that a row is
  // never applied twice.
  virtual Status FinishBulkRow(const BulkRow& r) = 0;
  // Remembers that the row keyed `idempotency_key` was applied: kConflict when the tenant's
  // key was already applied by any job. AppliedBulkRowKeys: those of `keys` that were, in no
  // particular order (one read for a batch of an upload's rows).
  virtual Status InsertBulkRowKey(std::string_view tenant_id, std::string_view idempotency_key,
                                  std::string_view job_id, std::int64_t row_no, Timestamp at) = 0;
  virtual Result<std::vector<std::string>> AppliedBulkRowKeys(
      std::string_view tenant_id, const std::vector<std::string>& keys) = 0;

  // Reports (app/reports/). ListRequestReport: up to `limit` of the tenant's requests that
  // match `f`, newest first by (created_at, id), strictly after `after` in that order (an empty
  // after.id: from the newest), each with its account's region. ListRequestReportStats: what
  // ListRequestStats reads for [from, to), with the id, origin, channel, assignee and region
  // too, in pages as ListRequestReport (newest first, up to `limit`, strictly after `after`),
  // so that a window of any size is read in the memory of one page.
  virtual Result<std::vector<RequestReportRow>> ListRequestReport(std::string_view tenant_id,
                                                                  const RequestReportFilter& f,
                                                                  const ReportCursor& after,
                                                                  int limit) = 0;
  virtual Result<std::vector<RequestStat>> ListRequestReportStats(std::string_view tenant_id,
                                                                  Timestamp from, Timestamp to,
                                                                  const ReportCursor& after,
                                                                  int limit) = 0;

  // Customer satisfaction (app/reports/csat.*). InsertCsat stores an unanswered row (kConflict
  // when the request has one). GetCsatByToken: the row whose token hash that is (kNotFound).
  // AnswerCsat writes score, comment and answered_at only while the row is unanswered:
  // kConflict when it was answered already, kNotFound when there is no row.
  virtual Status InsertCsat(const CsatAnswer& a) = 0;
  virtual Result<CsatAnswer> GetCsatByToken(std::string_view tenant_id,
                                            std::string_view token_hash) = 0;
  virtual Status AnswerCsat(const CsatAnswer& a) = 0;

  // Reconciliation (app/reconciliation/). InsertReconciliationRun fails with kConflict on a
  // taken id or when the tenant already has a run of the same source, origin and file hash.
  // UpdateReconciliationRun writes the counters, the rejected rows and finished_at (kNotFound
  // when there is no such run). FindReconciliationRun: the run of that source, origin and hash
  // (kNotFound). ListReconciliationRuns: newest first (by id), the usual cursor.
  virtual Status InsertReconciliationRun(const ReconciliationRun& r) = 0;
  virtual Status UpdateReconciliationRun(const ReconciliationRun& r) = 0;
  virtual Result<ReconciliationRun> GetReconciliationRun(std::string_view tenant_id,
                                                         std::string_view id) = 0;
  virtual Result<ReconciliationRun> FindReconciliationRun(std::string_view tenant_id,
                                                          std::string_view source,
                                                          std::string_view origin,
                                                          std::string_view file_sha256) = 0;
  virtual Result<Page<ReconciliationRun>> ListReconciliationRuns(std::string_view tenant_id,
                                                                 std::string_view starting_after,
                                                                 int limit) = 0;
  // Drift items. InsertDriftItem fails with kConflict on a taken id. UpdateDriftItem writes
  // request_id, open, resolution, note and closed_at (kNotFound when there is none).
  // ListDriftItems: the items matching `f` in id order after f.starting_after, the usual page.
  // ListOpenDriftItems: every open item of the account, any run.
  virtual Status InsertDriftItem(const DriftItem& d) = 0;
  virtual Status UpdateDriftItem(const DriftItem& d) = 0;
  virtual Result<DriftItem> GetDriftItem(std::string_view tenant_id, std::string_view id) = 0;
  virtual Result<Page<DriftItem>> ListDriftItems(std::string_view tenant_id,
                                                 const DriftItemFilter& f) = 0;
  virtual Result<std::vector<DriftItem>> ListOpenDriftItems(std::string_view tenant_id,
                                                            std::string_view account_id) = 0;

  // Conversations of the chat and IVR assistant (app/conversations/). InsertConversation fails
  // with kConflict on a taken id. UpdateConversation writes every field but the id when
  // the stored version is `expected_version` (kPreconditionFailed when it is
  // not, kNotFound when there is none). Turns: InsertConversationTurn fails with kConflict on
  // a taken (conversation, seq); ListConversationTurns gives them in seq order.
  virtual Status InsertConversation(const Conversation& c) = 0;
  virtual Status UpdateConversation(const Conversation& c, std::int64_t expected_version) = 0;
  virtual Result<Conversation> GetConversation(std::string_view tenant_id, std::string_view id) = 0;
  // The tenant's conversations newest first (by id), all or those stored in `state`, after the
  // conversation `starting_after` ("" for the first page); the usual page (cursor: the last id).
  virtual Result<Page<Conversation>> ListConversations(std::string_view tenant_id,
                                                       std::optional<ConversationState> state,
                                                       std::string_view starting_after,
                                                       int limit) = 0;
  virtual Status InsertConversationTurn(const ConversationTurn& t) = 0;
  virtual Result<std::vector<ConversationTurn>> ListConversationTurns(
      std::string_view tenant_id, std::string_view conversation_id) = 0;

  // Scoring (app/scoring/). InsertScoringModel fails with kConflict when the tenant already
  // has that version. LatestScoringModel: the highest version (kNotFound when none).
  // ListScoringModels: highest version first, those below `below_version` (0 for the first
  // page), the usual page (its cursor a version as text).
  virtual Status InsertScoringModel(const ScoringModel& m) = 0;
  virtual Result<ScoringModel> LatestScoringModel(std::string_view tenant_id) = 0;
  virtual Result<Page<ScoringModel>> ListScoringModels(std::string_view tenant_id,
                                                       std::int64_t below_version, int limit) = 0;
  // The completed lifecycle steps of the accounts among `account_ids` (up to 1,000): their
  // suspension, reconnection and reactivation requests, and the status_sync requests that
  // marked them dormant, by account, then completed_at, then id. A suspension carries the
  // amount due its checks read (check_inputs), -1 when none was kept.
  virtual Result<std::vector<LifecycleStep>> ListLifecycleSteps(
      std::string_view tenant_id, const std::vector<std::string>& account_ids) = 0;
  // The payment.failed audit entries of the accounts among `account_ids` (up to 1,000), as
  // (account, time), by account then time.
  virtual Result<std::vector<PaymentFailure>> ListPaymentFailures(
      std::string_view tenant_id, const std::vector<std::string>& account_ids) = 0;
  // The outreach list's stored scores. UpsertAccountScores writes each one (an account already
  // scored is replaced). DeleteAccountScoresBefore removes the tenant's scores stamped before
  // `scored_at` and says how many. GetAccountScore: kNotFound when the account has none.
  // ListOutreach: the scores of the tenant's accounts that are suspended or dormant now, by
  // rank_ppb highest first then account id, those after `after` in that order (null for the
  // first page), each with its account's external_ref and status; the usual page (its cursor
  // the last account id).
  virtual Status UpsertAccountScores(const std::vector<StoredScore>& scores) = 0;
  virtual Result<std::int64_t> DeleteAccountScoresBefore(std::string_view tenant_id,
                                                         Timestamp scored_at) = 0;
  virtual Result<StoredScore> GetAccountScore(std::string_view tenant_id,
                                              std::string_view account_id) = 0;
  virtual Result<Page<StoredScore>> ListOutreach(std::string_view tenant_id,
                                                 const StoredScore* after, int limit) = 0;
};

// The database. Thread-safe.
class Store {
 public:
  virtual ~Store() = default;
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  using TxFn = std::function<Status(Tx&)>;

  // Whether a write's `fn` may run more than once. kAllowed promises that `fn` acts only
  // through its Tx and sets everything it hands back anew on each run, so that only its last
  // run counts; the store may then run it again, from the start, in a new transaction
  // (SQLite: after a call of its batch, it or another, failed after writing; PostgreSQL:
  // after a deadlock).
  enum class Rerun { kNo, kAllowed };

  // Runs `fn` in a write transaction. If `fn` returns OK the change is committed and
  // durable before Write returns OK; otherwise (or if it throws) nothing of it is kept and
  // its Status is returned (an exception becomes kInternal). `fn` may run on another thread
  // (SQLite: the single writer, which commits several callers' work together; each call
  // runs in its own savepoint, except calls that may run again, which share the
  // transaction's until one fails after writing, docs/DESIGN-NOTES.md, "Storage"). Return
  // Status::Aborted() from `fn` to roll back on purpose (dry runs); a write that does so
  // after writing is kNo, or its whole batch would run again each time.
  virtual Status Write(const TxFn& fn, Rerun rerun) = 0;
  Status Write(const TxFn& fn) { return Write(fn, Rerun::kNo); }

  // Runs `fn` in a read-only snapshot.
  virtual Status Read(const TxFn& fn) = 0;

  // "sqlite" or "postgres".
  virtual std::string_view Backend() const = 0;

  // OK when the database answers (readiness).
  virtual Status Ping() = 0;
};

}  // namespace sb::domain
