#pragma once

// The SQLite implementation of domain::Tx. Method bodies are split by table group:
// sqlite_tx_admin.cc (tenants, API keys, catalogues, keys), sqlite_tx_accounts.cc
// (accounts, services, holds), sqlite_tx_requests.cc (requests and the queries over them),
// sqlite_tx_engine.cc (verifications, outbox), sqlite_tx_audit.cc (audit entries, Merkle
// log, checkpoints), sqlite_tx_jobs.cc (jobs, idempotency), sqlite_tx_policy.cc (policy
// packs), sqlite_tx_events.cc (tenant secrets, inbound events), sqlite_tx_webhooks.cc
// (webhook endpoints).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/ports/store.h"
#include "storage/sqlite/sqlite_conn.h"

namespace sb::storage::sqlite {

// A view of one open transaction on `conn`. Not thread-safe. When `writable` is false,
// every write method fails with kInternal.
class SqliteTx final : public domain::Tx {
 public:
  SqliteTx(Conn& conn, bool writable) : conn_(conn), writable_(writable) {}

  // One writer connection, and BEGIN IMMEDIATE across processes.
  bool WritesAreSerialized() const override { return true; }

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

  // Bulk jobs (sqlite_tx_bulk.cc).
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

  // Reconciliation (sqlite_tx_reconciliation.cc).
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

  // Conversations (sqlite_tx_conversations.cc).
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
  // kInternal in a read-only transaction.
  Status CheckWritable() const;

  Conn& conn_;
  bool writable_;
};

// Reads an enum stored by its wire name; `fallback` for unknown text.
template <typename E>
E ParseOr(std::string_view text, E fallback) {
  return domain::Parse<E>(text).value_or(fallback);
}

// kNotFound("<what>") when an UPDATE or DELETE touched no row.
inline Status RequireChanged(const Stmt& s, const char* what) {
  return s.Changes() > 0 ? Status::Ok() : Status::NotFound(what);
}

// Runs `s` and collects every row read by `read` (a function of Stmt& returning T).
template <typename T, typename ReadFn>
Result<std::vector<T>> CollectRows(Stmt& s, ReadFn read) {
  std::vector<T> out;
  while (true) {
    SB_ASSIGN_OR_RETURN(bool row, s.Next());
    if (!row) return out;
    out.push_back(read(s));
  }
}

// Runs `s` and reads exactly one row, or kNotFound("<what>").
template <typename T, typename ReadFn>
Result<T> OneRow(Stmt& s, const char* what, ReadFn read) {
  SB_ASSIGN_OR_RETURN(bool row, s.Next());
  if (!row) return Status::NotFound(what);
  return read(s);
}

// Turns `limit + 1` rows into a page of at most `limit` items, the cursor the last one's
// `cursor` field (its id unless said).
template <typename T>
domain::Page<T> MakePage(std::vector<T> rows, int limit, const std::string T::*cursor = &T::id) {
  domain::Page<T> page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(limit);
    page.has_more = true;
    page.next_cursor = rows.back().*cursor;
  }
  page.items = std::move(rows);
  return page;
}

// The statements of one filtered list, one per combination of filters, built once. Each is
// `select` ("SELECT ... WHERE tenant_id = ?"), the chosen conditions (" AND col = ?"), then
// `order` (by default newest first). Thread-safe once constructed.
class ListQuery {
 public:
  ListQuery(const std::string& select, const std::vector<std::string>& conds,
            const std::string& order = " ORDER BY id DESC LIMIT ?") {
    sql_.resize(size_t{1} << conds.size());
    for (size_t mask = 0; mask < sql_.size(); ++mask) {
      sql_[mask] = select;
      for (size_t i = 0; i < conds.size(); ++i) {
        if (mask & (size_t{1} << i)) sql_[mask] += conds[i];
      }
      sql_[mask] += order;
    }
  }
  // REQUIRES: mask < 2^conds.size(). The pointer lives as long as this object.
  const char* Sql(unsigned mask) const { return sql_[mask].c_str(); }

 private:
  std::vector<std::string> sql_;
};

// Clamps a requested page size to [1, 1000].
inline int PageLimit(int limit) { return limit < 1 ? 1 : (limit > 1000 ? 1000 : limit); }

}  // namespace sb::storage::sqlite
