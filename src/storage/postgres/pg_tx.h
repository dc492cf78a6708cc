#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/ports/store.h"
#include "storage/postgres/pg_conn.h"

namespace sb::storage::postgres {

// A Tx over one connection inside an open BEGIN ... COMMIT. The statements live beside the
// methods that use them, one file per table group (pg_tx_*.cc). Before each tenant statement
// (Reach::kTenant) the transaction is scoped to that statement's tenant, so row-level security
// hides and refuses every other tenant's rows. Not thread-safe.
class PgTx final : public domain::Tx {
 public:
  // `writable` false: a READ ONLY transaction, where write methods fail with kInternal.
  PgTx(Conn& conn, bool writable) : conn_(conn), writable_(writable) {}

  // Many connections and processes write at once.
  bool WritesAreSerialized() const override { return false; }

  // Writes the audit entries and outbox messages inserted since the last statement that reads
  // or writes their tables (see Pending below). kConflict "duplicate" when one of them was
  // already there, as InsertAuditEntry and InsertOutbox answered when they wrote at once.
  Status FlushPending();
  // Writes what FlushPending writes and commits, in one round trip (Conn::CommitAfter); RunTx
  // calls it. On failure the transaction is left to roll back.
  Status Commit();
  // The most audit entries or outbox messages one INSERT writes.
  static constexpr int kMaxPending = 16;

  Status InsertTenant(const domain::Tenant& t) override;
  Result<domain::Tenant> GetTenant(std::string_view tenant_id) override;
  Result<std::vector<domain::Tenant>> ListTenants() override;
  Status InsertApiKey(const domain::ApiKey& k) override;
  Result<domain::ApiKey> FindApiKeyByHash(std::string_view secret_hash) override;
  Result<std::vector<domain::ApiKey>> ListApiKeys(std::string_view tenant_id) override;
  Status RevokeApiKey(std::string_view tenant_id, std::string_view key_id, Timestamp at) override;
  Status InsertUser(const domain::StaffUser& u) override;
  Status UpdateUser(const domain::StaffUser& u) override;
  Result<domain::StaffUser> GetUser(std::string_view tenant_id, std::string_view user_id) override;
  Result<domain::StaffUser> FindUserByEmail(std::string_view tenant_id,
                                            std::string_view email) override;
  Result<domain::StaffUser> FindUserByInvitation(std::string_view tenant_id,
                                                 std::string_view invitation_hash) override;
  Result<std::vector<domain::StaffUser>> ListUsers(std::string_view tenant_id) override;
  Status InsertSession(const domain::Session& s) override;
  Result<domain::Session> GetSession(std::string_view tenant_id, std::string_view id_hash) override;
  Status TouchSession(std::string_view tenant_id, std::string_view id_hash, Timestamp at) override;
  Status RevokeSession(std::string_view tenant_id, std::string_view id_hash, Timestamp at) override;
  Result<int> RevokeSessionsOf(std::string_view tenant_id, domain::ActorType subject_type,
                               std::string_view subject_id, Timestamp at) override;
  Result<domain::SignInThrottle> GetSignInThrottle(std::string_view tenant_id,
                                                   std::string_view key) override;
  Status PutSignInThrottle(const domain::SignInThrottle& t) override;
  Result<std::int64_t> PurgeEndedSessions(Timestamp ended_before, Timestamp idle_before) override;
  Status UpsertReasonCode(const domain::ReasonCode& r) override;
  Result<std::vector<domain::ReasonCode>> ListReasonCodes(std::string_view tenant_id) override;
  Status UpsertPlan(const domain::Plan& p) override;
  Result<domain::Plan> GetPlan(std::string_view tenant_id, std::string_view code) override;
  Result<std::vector<domain::Plan>> ListPlans(std::string_view tenant_id) override;

  Status InsertAccount(const domain::Account& a) override;
  Result<domain::Account> GetAccount(std::string_view tenant_id, std::string_view id,
                                     bool for_update) override;
  Result<domain::Account> GetAccountByRef(std::string_view tenant_id,
                                          std::string_view external_ref) override;
  Result<std::vector<domain::Account>> GetAccounts(std::string_view tenant_id,
                                                   const std::vector<std::string>& keys,
                                                   bool by_ref) override;
  Status UpdateAccount(const domain::Account& a, std::int64_t expected_version) override;
  Result<domain::Page<domain::Account>> ListAccounts(std::string_view tenant_id,
                                                     const domain::AccountFilter& f) override;
  Status InsertService(const domain::Service& s) override;
  Result<domain::Service> GetService(std::string_view tenant_id, std::string_view id) override;
  Status UpdateService(const domain::Service& s) override;
  Result<std::vector<domain::Service>> ListServices(std::string_view tenant_id,
                                                    std::string_view account_id) override;
  Result<std::vector<domain::Service>> ListServicesOf(
      std::string_view tenant_id, const std::vector<std::string>& account_ids) override;
  Status InsertPlanHistory(const domain::PlanHistoryEntry& e) override;
  Result<std::vector<domain::PlanHistoryEntry>> ListPlanHistory(
      std::string_view tenant_id, std::string_view account_id) override;
  Status InsertHold(const domain::Hold& h) override;
  Result<domain::Hold> GetHold(std::string_view tenant_id, std::string_view id) override;
  Status UpdateHold(const domain::Hold& h) override;
  Result<std::vector<domain::Hold>> ListHolds(std::string_view tenant_id,
                                              std::string_view account_id,
                                              bool active_only) override;

  Status InsertRequest(const domain::Request& r) override;
  Status UpdateRequest(const domain::Request& r) override;
  Result<domain::Request> GetRequest(std::string_view tenant_id, std::string_view id) override;
  Result<domain::Page<domain::Request>> ListRequests(std::string_view tenant_id,
                                                     const domain::RequestFilter& f) override;
  Result<std::vector<domain::Request>> ListOpenRequests(std::string_view tenant_id,
                                                        std::string_view account_id) override;
  Result<std::int64_t> CountRequestsSince(std::string_view tenant_id, std::string_view account_id,
                                          domain::RequestType type, Timestamp since) override;
  Result<std::vector<domain::RequestStat>> ListRequestStats(std::string_view tenant_id,
                                                            Timestamp from, Timestamp to) override;
  Result<std::vector<domain::Request>> ListRequestsForReplay(std::string_view tenant_id,
                                                             Timestamp from, Timestamp to,
                                                             std::string_view after_id,
                                                             int limit) override;
  Result<std::vector<domain::BacklogCount>> CountBacklog(std::string_view tenant_id) override;
  Status InsertVerification(const domain::Verification& v) override;
  Result<std::vector<domain::Verification>> ListVerifications(std::string_view tenant_id,
                                                              std::string_view account_id) override;

  Status InsertVerificationCode(const domain::VerificationCode& c) override;
  Result<std::vector<domain::VerificationCode>> ListVerificationCodes(std::string_view tenant_id,
                                                                      std::string_view account_id,
                                                                      std::string_view channel,
                                                                      Timestamp since) override;
  Status InsertFraudSignal(const domain::FraudSignal& s) override;
  Result<domain::Page<domain::FraudSignal>> ListFraudSignals(
      std::string_view tenant_id, const domain::FraudSignalFilter& f) override;
  Status MarkVerificationCodeUsed(std::string_view tenant_id, std::string_view id,
                                  Timestamp at) override;
  Status InsertCodeCheck(const domain::CodeCheck& c) override;
  Result<std::vector<domain::CodeCheck>> ListCodeChecks(std::string_view tenant_id,
                                                        std::string_view account_id,
                                                        std::string_view channel,
                                                        Timestamp since) override;
  Status InsertOutbox(const domain::OutboxMessage& m) override;
  Result<domain::Page<domain::OutboxMessage>> ListOutbox(std::string_view tenant_id,
                                                         const domain::OutboxFilter& f) override;
  Result<domain::OutboxMessage> GetOutbox(std::string_view tenant_id, std::string_view id) override;
  Result<std::vector<domain::CustomerMessageStamp>> ListCustomerMessageStamps(
      std::string_view tenant_id, std::string_view account_id, int limit) override;
  Status InsertNotificationIntent(const domain::NotificationIntent& n) override;
  Result<std::vector<domain::NotificationIntent>> ListNotificationIntents(
      std::string_view tenant_id, int limit) override;
  Status DeleteNotificationIntent(std::string_view tenant_id, std::string_view id) override;
  Result<std::vector<std::string>> TenantsWithNotificationIntents() override;
  Result<std::int64_t> CountNotificationIntents() override;
  Status UpdateOutboxDeliveries(const std::vector<domain::OutboxMessage>& messages) override;
  Result<std::vector<domain::OutboxMessage>> ClaimDueOutbox(std::string_view channel, Timestamp now,
                                                            int limit, Timestamp lease_ms) override;
  Status InsertSuppression(std::string_view tenant_id, std::string_view address_hash,
                           std::string_view message_id, Timestamp at) override;
  Result<bool> IsSuppressed(std::string_view tenant_id, std::string_view address_hash) override;
  Status InsertProviderRef(std::string_view tenant_id, std::string_view provider_ref,
                           std::string_view message_id, Timestamp at) override;
  Result<std::string> MessageIdByProviderRef(std::string_view tenant_id,
                                             std::string_view provider_ref) override;
  Status InsertWebhookEndpoint(const domain::WebhookEndpoint& e) override;
  Result<domain::WebhookEndpoint> GetWebhookEndpoint(std::string_view tenant_id,
                                                     std::string_view id) override;
  Result<std::vector<domain::WebhookEndpoint>> ListWebhookEndpoints(
      std::string_view tenant_id) override;
  Status DisableWebhookEndpoint(std::string_view tenant_id, std::string_view id,
                                Timestamp at) override;
  Status PutNotificationTemplate(const domain::NotificationTemplate& t) override;
  Result<domain::NotificationTemplate> GetNotificationTemplate(std::string_view tenant_id,
                                                               std::string_view notification,
                                                               std::string_view channel,
                                                               std::string_view locale) override;
  Result<std::vector<domain::NotificationTemplate>> ListNotificationTemplates(
      std::string_view tenant_id, const domain::NotificationTemplateKey& after, int limit) override;
  Result<std::int64_t> CountNotificationTemplates(std::string_view tenant_id) override;
  Result<std::vector<domain::Account>> ListInactiveAccounts(std::string_view tenant_id,
                                                            Timestamp before, int limit) override;

  Status InsertAuditEntry(const domain::AuditEntry& e) override;
  Result<domain::AuditEntry> GetAuditEntry(std::string_view tenant_id,
                                           std::string_view id) override;
  Result<domain::Page<domain::AuditEntry>> ListAuditEntries(std::string_view tenant_id,
                                                            const domain::AuditFilter& f) override;
  Result<std::vector<std::string>> TenantsWithUnsequencedAudit() override;
  Result<std::vector<domain::AuditEntry>> ListUnsequencedAudit(std::string_view tenant_id,
                                                               int limit) override;
  Status SetAuditLeaves(std::string_view tenant_id,
                        const std::vector<domain::AuditLeaf>& leaves) override;
  Result<std::vector<domain::AuditEntry>> ListAuditByIndex(std::string_view tenant_id,
                                                           std::int64_t from,
                                                           std::int64_t to) override;
  Result<std::size_t> ReadAuditInStoreOrder(std::string_view tenant_id, std::string_view after_id,
                                            std::int64_t after_leaf_index, std::size_t limit,
                                            std::vector<domain::AuditEntry>& out) override;
  Result<std::int64_t> GetLogSize(std::string_view tenant_id) override;
  Status SetLogSize(std::string_view tenant_id, std::int64_t size) override;
  Status PutTreeNodes(std::string_view tenant_id,
                      const std::vector<domain::merkle::TreeNode>& nodes) override;
  Result<std::string> GetTreeNode(std::string_view tenant_id, int level,
                                  std::int64_t index) override;
  Result<std::vector<domain::merkle::TreeNode>> ListTreeNodes(std::string_view tenant_id, int level,
                                                              std::int64_t from,
                                                              std::int64_t to) override;
  Result<std::optional<std::int64_t>> FindLeafPosition(std::string_view tenant_id,
                                                       std::string_view leaf_hash) override;
  Status InsertCheckpoint(const domain::Checkpoint& c) override;
  Result<domain::Checkpoint> LatestCheckpoint(std::string_view tenant_id) override;
  Result<std::vector<domain::Checkpoint>> ListCheckpointsAfter(std::string_view tenant_id,
                                                               std::int64_t after_size,
                                                               Timestamp after_created_at,
                                                               int limit) override;

  Status InsertJob(const domain::Job& j) override;
  Result<std::vector<domain::Job>> ClaimDueJobs(Timestamp now, int limit,
                                                Timestamp lease_ms) override;
  Status UpdateJob(const domain::Job& j) override;
  Result<std::vector<domain::Job>> ListJobs(std::string_view tenant_id,
                                            std::string_view subject_id) override;
  Result<domain::IdempotencyRecord> GetIdempotency(std::string_view tenant_id,
                                                   std::string_view key) override;
  Status InsertIdempotency(const domain::IdempotencyRecord& r) override;
  Result<std::int64_t> PurgeIdempotency(Timestamp now) override;
  Status InsertPolicyPack(const domain::StoredPolicyPack& p) override;
  Result<domain::StoredPolicyPack> PolicyPackInForce(std::string_view tenant_id,
                                                     Timestamp at) override;
  Result<std::string> PolicyVersionInForce(std::string_view tenant_id, Timestamp at) override;
  Result<std::vector<domain::StoredPolicyPack>> ListPolicyPacks(
      std::string_view tenant_id) override;

  Status UpsertTenantSecret(const domain::TenantSecret& s) override;
  Result<domain::TenantSecret> GetTenantSecret(std::string_view tenant_id,
                                               std::string_view purpose) override;
  Status InsertInboundEvent(const domain::InboundEvent& e) override;
  Result<domain::InboundEvent> GetInboundEvent(std::string_view tenant_id,
                                               std::string_view event_id) override;

  Status InsertSubjectKey(const domain::SubjectKey& k) override;
  Result<domain::SubjectKey> GetSubjectKey(std::string_view tenant_id,
                                           std::string_view subject_id) override;
  Status InsertServerKey(const domain::ServerKey& k) override;
  Result<domain::ServerKey> GetServerKey(std::string_view purpose) override;

  // Data rights (sqlite_tx_rights.cc / pg_tx_rights.cc; the account list in *_tx_accounts.cc).
  Status DestroySubjectKey(std::string_view tenant_id, std::string_view subject_id,
                           Timestamp at) override;
  Status InsertDataExport(const domain::DataExport& e) override;
  Result<domain::DataExport> GetDataExport(std::string_view tenant_id,
                                           std::string_view request_id) override;
  Result<std::vector<domain::Account>> ListClosedAccountsToErase(std::string_view tenant_id,
                                                                 Timestamp before,
                                                                 int limit) override;

  // Bulk jobs (pg_tx_bulk.cc).
  Status InsertBulkJob(const domain::BulkJob& j) override;
  Result<domain::BulkJob> GetBulkJob(std::string_view tenant_id, std::string_view id,
                                     bool for_update) override;
  Status UpdateBulkJob(const domain::BulkJob& j) override;
  Status CountBulkRows(std::string_view tenant_id, std::string_view job_id, std::int64_t applied,
                       std::int64_t failed, std::int64_t skipped, Timestamp at) override;
  Result<domain::Page<domain::BulkJob>> ListBulkJobs(std::string_view tenant_id,
                                                     std::string_view starting_after,
                                                     int limit) override;
  Status InsertBulkRows(const std::vector<domain::BulkRow>& rows) override;
  Result<std::vector<domain::BulkRow>> ListBulkRows(std::string_view tenant_id,
                                                    std::string_view job_id, std::int64_t after_row,
                                                    int limit, bool pending_only) override;
  Status FinishBulkRow(const domain::BulkRow& r) override;
  Status InsertBulkRowKey(std::string_view tenant_id, std::string_view idempotency_key,
                          std::string_view job_id, std::int64_t row_no, Timestamp at) override;
  Result<std::vector<std::string>> AppliedBulkRowKeys(
      std::string_view tenant_id, const std::vector<std::string>& keys) override;
  Result<std::vector<domain::RequestReportRow>> ListRequestReport(
      std::string_view tenant_id, const domain::RequestReportFilter& f,
      const domain::ReportCursor& after, int limit) override;
  Result<std::vector<domain::RequestStat>> ListRequestReportStats(std::string_view tenant_id,
                                                                  Timestamp from, Timestamp to,
                                                                  const domain::ReportCursor& after,
                                                                  int limit) override;
  Status InsertCsat(const domain::CsatAnswer& a) override;
  Result<domain::CsatAnswer> GetCsatByToken(std::string_view tenant_id,
                                            std::string_view token_hash) override;
  Status AnswerCsat(const domain::CsatAnswer& a) override;

  // Reconciliation (pg_tx_reconciliation.cc).
  Status InsertReconciliationRun(const domain::ReconciliationRun& r) override;
  Status UpdateReconciliationRun(const domain::ReconciliationRun& r) override;
  Result<domain::ReconciliationRun> GetReconciliationRun(std::string_view tenant_id,
                                                         std::string_view id) override;
  Result<domain::ReconciliationRun> FindReconciliationRun(std::string_view tenant_id,
                                                          std::string_view source,
                                                          std::string_view origin,
                                                          std::string_view file_sha256) override;
  Result<domain::Page<domain::ReconciliationRun>> ListReconciliationRuns(
      std::string_view tenant_id, std::string_view starting_after, int limit) override;
  Status InsertDriftItem(const domain::DriftItem& d) override;
  Status UpdateDriftItem(const domain::DriftItem& d) override;
  Result<domain::DriftItem> GetDriftItem(std::string_view tenant_id, std::string_view id) override;
  Result<domain::Page<domain::DriftItem>> ListDriftItems(std::string_view tenant_id,
                                                         const domain::DriftItemFilter& f) override;
  Result<std::vector<domain::DriftItem>> ListOpenDriftItems(std::string_view tenant_id,
                                                            std::string_view account_id) override;

  // Conversations (pg_tx_conversations.cc).
  Status InsertConversation(const domain::Conversation& c) override;
  Status UpdateConversation(const domain::Conversation& c, std::int64_t expected_version) override;
  Result<domain::Conversation> GetConversation(std::string_view tenant_id,
                                               std::string_view id) override;
  Result<domain::Page<domain::Conversation>> ListConversations(
      std::string_view tenant_id, std::optional<domain::ConversationState> state,
      std::string_view starting_after, int limit) override;
  Status InsertConversationTurn(const domain::ConversationTurn& t) override;
  Result<std::vector<domain::ConversationTurn>> ListConversationTurns(
      std::string_view tenant_id, std::string_view conversation_id) override;
  // Scoring.
  Status InsertScoringModel(const domain::ScoringModel& m) override;
  Result<domain::ScoringModel> LatestScoringModel(std::string_view tenant_id) override;
  Result<domain::Page<domain::ScoringModel>> ListScoringModels(std::string_view tenant_id,
                                                               std::int64_t below_version,
                                                               int limit) override;
  Result<std::vector<domain::LifecycleStep>> ListLifecycleSteps(
      std::string_view tenant_id, const std::vector<std::string>& account_ids) override;
  Result<std::vector<domain::PaymentFailure>> ListPaymentFailures(
      std::string_view tenant_id, const std::vector<std::string>& account_ids) override;
  Status UpsertAccountScores(const std::vector<domain::StoredScore>& scores) override;
  Result<std::int64_t> DeleteAccountScoresBefore(std::string_view tenant_id,
                                                 Timestamp scored_at) override;
  Result<domain::StoredScore> GetAccountScore(std::string_view tenant_id,
                                              std::string_view account_id) override;
  Result<domain::Page<domain::StoredScore>> ListOutreach(std::string_view tenant_id,
                                                         const domain::StoredScore* after,
                                                         int limit) override;

 private:
  // The parameters of the statement that sets switchboard.tenant_id for the rest of the
  // transaction to the tenant of `stmt` ($1 of `p`), sent in the same round trip as `stmt`;
  // nullopt when the transaction already names it, or for Reach::kServer. kInternal when a
  // tenant statement's $1 is missing or NULL.
  Result<std::optional<Params>> ScopeFor(const Stmt& stmt, const Params& p) const;
  // Runs `stmt`, scoped to its tenant first when needed: one round trip.
  Result<PgResult> Run(const Stmt& stmt, const Params& p);
  // Runs a read statement.
  Result<PgResult> Query(const Stmt& stmt, const Params& p);
  // Runs a write statement; kInternal in a read transaction.
  Result<PgResult> Exec(const Stmt& stmt, const Params& p);
  // An INSERT ... ON CONFLICT DO NOTHING: no row written means the key was taken. Unlike a
  // unique violation this keeps the transaction usable, as SQLite does.
  Status Insert(const Stmt& stmt, const Params& p);
  // An UPDATE/DELETE of one row: kNotFound(what) when none matched.
  Status UpdateOne(const Stmt& stmt, const Params& p, const char* what);

  // The first row mapped by `map`, or kNotFound(what).
  template <typename T>
  Result<T> One(const Stmt& stmt, const Params& p, const char* what, T (*map)(RowReader&)) {
    SB_ASSIGN_OR_RETURN(PgResult r, Query(stmt, p));
    if (r.rows() == 0) return Status::NotFound(what);
    RowReader row(r, 0);
    return map(row);
  }

  // Every row mapped by `map`.
  template <typename T>
  Result<std::vector<T>> Many(const Stmt& stmt, const Params& p, T (*map)(RowReader&)) {
    SB_ASSIGN_OR_RETURN(PgResult r, Query(stmt, p));
    std::vector<T> out;
    out.reserve(r.rows());
    for (int i = 0; i < r.rows(); ++i) {
      RowReader row(r, i);
      out.push_back(map(row));
    }
    return out;
  }

  // A cursor page: the statement is asked for limit + 1 rows to learn has_more.
  template <typename T>
  Result<domain::Page<T>> PageOf(const Stmt& stmt, const Params& p, int limit, T (*map)(RowReader&),
                                 const std::string T::*id) {
    SB_ASSIGN_OR_RETURN(std::vector<T> rows, Many(stmt, p, map));
    return ToPage(std::move(rows), limit, id);
  }

  // Turns up to `limit + 1` rows into a page of at most `limit` items.
  template <typename T>
  static domain::Page<T> ToPage(std::vector<T> rows, int limit, const std::string T::*id) {
    domain::Page<T> page;
    if (static_cast<int>(rows.size()) > limit) {
      rows.resize(limit);
      page.has_more = true;
      page.next_cursor = rows.back().*id;
    }
    page.items = std::move(rows);
    return page;
  }

  // ListRequests in the work queue order (RequestFilter::by_due).
  Result<domain::Page<domain::Request>> ListRequestsByDue(std::string_view tenant_id,
                                                          const domain::RequestFilter& f);

  Conn& conn_;
  const bool writable_;
  std::string tenant_;  // the tenant the transaction is scoped to; empty: none
  // The policy version in force last read in this transaction, and until when it stays in
  // force: one change asks for it from its engine, its SLA clock and its composer (one round
  // trip instead of four). Forgotten when the transaction stores a pack.
  struct PolicyVersionRead {
    std::string tenant_id;
    Timestamp from = 0;  // the time it was read for
    std::string version;
    Timestamp until = 0;  // the next pack's effective_from
  };
  std::optional<PolicyVersionRead> policy_version_read_;
  // The enabled webhook endpoints last listed in this transaction, for one tenant: each event a
  // change writes asks whether anyone wants it (app's Emit), three to five times per change.
  // Forgotten when the transaction adds or disables an endpoint.
  struct EndpointsRead {
    std::string tenant_id;
    std::vector<domain::WebhookEndpoint> endpoints;
  };
  std::optional<EndpointsRead> endpoints_read_;

  // The accounts, services, active holds, holds and subject keys this transaction read or wrote
  // through its methods, so that reading them again costs no round trip: a change reads an
  // account, its services and holds, writes them, then reads them back for its answer
  // (docs/PERFORMANCE.md, "Rows a change read back, from its own transaction"). The methods
  // that write these rows keep them current; any other statement that may write one of their
  // tables forgets them all (ForgetRowsWrittenBy, run by Query and Exec). An account counts as
  // read for update only once this transaction locked it (FOR UPDATE, or its own UPDATE or
  // INSERT): reading it FOR UPDATE before that still asks the database. Keys are tenant + id.
  struct Rows {
    std::map<std::string, domain::Account> accounts;
    std::set<std::string> locked_accounts;
    std::map<std::string, std::vector<domain::Service>> services_of;   // ListServices, by account
    std::map<std::string, std::vector<domain::Hold>> active_holds_of;  // ListHolds(active only)
    std::map<std::string, domain::Hold> holds;
    std::map<std::string, domain::SubjectKey> subject_keys;
  };
  Rows rows_;
  bool keeping_rows_ = false;  // set while a method that keeps rows_ current runs its statement
  // Holds keeping_rows_ for its scope.
  class KeepingRows {
   public:
    explicit KeepingRows(PgTx& tx) : tx_(tx) { tx_.keeping_rows_ = true; }
    ~KeepingRows() { tx_.keeping_rows_ = false; }
    KeepingRows(const KeepingRows&) = delete;
    KeepingRows& operator=(const KeepingRows&) = delete;

   private:
    PgTx& tx_;
  };
  static std::string RowKey(std::string_view tenant_id, std::string_view id);
  // The row (or list) kept under `key`, or what `read` reads, then kept.
  template <typename T, typename ReadFn>
  static Result<T> KeptOrRead(std::map<std::string, T>& kept, std::string key, ReadFn read) {
    if (auto it = kept.find(key); it != kept.end()) return it->second;
    SB_ASSIGN_OR_RETURN(T value, read());
    kept[std::move(key)] = value;
    return value;
  }
  // Forgets rows_ when `stmt` is not a SELECT and names one of their tables.
  void ForgetRowsWrittenBy(const Stmt& stmt);
  // The hold as written: in holds, and in (or out of) its account's active holds if listed.
  void KeepHold(const domain::Hold& h);

  // The audit entries and outbox messages a change inserts (four and three for a hold) are
  // written together, one multi-row INSERT per table (docs/PERFORMANCE.md, "Rows a change read
  // back, from its own transaction"): each insert is kept here until the transaction commits, a
  // statement names audit_entries or outbox, another tenant's row comes, or kMaxPending rows
  // wait. Nothing references these rows, so holding them back changes no other statement.
  struct Pending {
    std::string tenant_id;
    std::vector<Params> rows;
  };
  Pending pending_audit_;
  Pending pending_outbox_;
  // Keeps `row` in `pending`, writing what waits there first (with `insert`) when it is
  // another tenant's or when the batch is full.
  Status KeepPending(Pending& pending, std::string_view tenant_id, Params row,
                     const MultiRowInsert& insert);
  // Writes `pending`'s rows with `insert` and empties it.
  Status WritePending(Pending& pending, const MultiRowInsert& insert);
  // Empties `pending`: all its rows' parameters, in order, and how many rows.
  static Params TakeRows(Pending& pending, int* count);
  // The statement that scopes the transaction to a tenant (pg_tx.cc), and the inserts of the
  // rows held back, which fail on a row already there (pg_tx_audit.cc, pg_tx_outbox.cc).
  static const Stmt& TenantScope();
  static const MultiRowInsert& AuditInsert();
  static const MultiRowInsert& OutboxInsert();
  Status FlushAudit();   // pg_tx_audit.cc
  Status FlushOutbox();  // pg_tx_outbox.cc
  // FlushPending when `stmt` names a table with rows waiting.
  Status FlushBefore(const Stmt& stmt);
};

// Clamps a list limit to at least 1 (the HTTP layer enforces 1..100).
inline int PageLimit(int limit) { return limit < 1 ? 1 : limit; }

// Enum <-> wire name for columns; an unknown stored name reads as the enum's first value.
template <typename E>
E EnumOr(const std::string& text) {
  return domain::Parse<E>(text).value_or(E{});
}

}  // namespace sb::storage::postgres
