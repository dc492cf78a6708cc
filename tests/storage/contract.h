#pragma once

// The storage contract suite: the same tests run on every backend of domain::Store.
// A backend joins with, in its own *_test.cc file of tests/storage:
//   INSTANTIATE_TEST_SUITE_P(Name, StoreContract, ::testing::Values(&FactoryFunction));
// A factory returns a fresh, empty, migrated store, or null to skip (no server configured).

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "domain/ports/store.h"

namespace sb::testing {

// Asserts that a Status (or Result) is OK, printing it otherwise.
#define SB_ASSERT_OK(expr)                                        \
  do {                                                            \
    const ::sb::Status sb_s_ = (expr);                            \
    ASSERT_TRUE(sb_s_.ok()) << #expr << ": " << sb_s_.ToString(); \
  } while (0)
#define SB_EXPECT_OK(expr)                                        \
  do {                                                            \
    const ::sb::Status sb_s_ = (expr);                            \
    EXPECT_TRUE(sb_s_.ok()) << #expr << ": " << sb_s_.ToString(); \
  } while (0)

// Creates a fresh store; null means "backend not available here".
using StoreFactory = std::unique_ptr<sb::domain::Store> (*)();

// A base time for records (2023-11-14T22:13:20Z).
constexpr Timestamp kT0 = 1'700'000'000'000;

// Records with every field set, optional fields included.
domain::Tenant FullTenant(const std::string& id);
domain::ApiKey FullApiKey(const std::string& tenant, const std::string& id,
                          const std::string& hash);
domain::Account FullAccount(const std::string& tenant, const std::string& id,
                            const std::string& ref);
domain::Service FullService(const std::string& tenant, const std::string& id,
                            const std::string& account);
domain::Hold FullHold(const std::string& tenant, const std::string& id, const std::string& account,
                      const std::optional<std::string>& service);
domain::Request FullRequest(const std::string& tenant, const std::string& id,
                            const std::string& account);
domain::Verification FullVerification(const std::string& tenant, const std::string& id,
                                      const std::string& account);
domain::OutboxMessage FullOutbox(const std::string& tenant, const std::string& id,
                                 const std::string& account);
domain::WebhookEndpoint FullWebhookEndpoint(const std::string& tenant, const std::string& id);
domain::AuditEntry FullAudit(const std::string& tenant, const std::string& id,
                             const std::string& account);
domain::Job FullJob(const std::string& tenant, const std::string& id, Timestamp run_at);
domain::IdempotencyRecord FullIdempotency(const std::string& tenant, const std::string& key,
                                          Timestamp expires_at);

// Every field of a record as a tuple, so records compare with EXPECT_EQ.
inline auto Fields(const domain::Tenant& v) { return std::make_tuple(v.id, v.name, v.created_at); }
inline auto Fields(const domain::ApiKey& v) {
  return std::make_tuple(v.tenant_id, v.id, v.name, v.role, v.secret_hash, v.prefix, v.created_at,
                         v.revoked_at);
}
inline auto Fields(const domain::Plan& v) {
  return std::make_tuple(v.tenant_id, v.code, v.name, v.price_minor, v.currency, v.active);
}
inline auto Fields(const domain::Account& v) {
  return std::make_tuple(v.tenant_id, v.id, v.external_ref, v.profile_sealed, v.lifecycle, v.status,
                         v.amount_due_minor, v.currency, v.last_payment_at, v.kyc_level,
                         v.failed_payments, v.version, v.created_at, v.updated_at);
}
inline auto Fields(const domain::Service& v) {
  return std::make_tuple(v.tenant_id, v.id, v.account_id, v.plan_code, v.status, v.version,
                         v.created_at, v.updated_at, v.terminated_at);
}
inline auto Fields(const domain::Hold& v) {
  return std::make_tuple(v.tenant_id, v.id, v.account_id, v.service_id, v.type, v.blocks_service,
                         v.blocks_billing, v.blocks_changes, v.source, v.owner, v.reason_code,
                         v.comment, v.state, v.placed_at, v.expires_at, v.released_at,
                         v.released_reason_code, v.placed_by_request_id, v.released_by_request_id);
}
inline auto Fields(const domain::Actor& v) { return std::make_tuple(v.type, v.id, v.role); }
std::vector<std::pair<domain::RequestState, Timestamp>> Fields(
    const std::vector<domain::StateChange>& history);
using ActorFields = std::tuple<domain::ActorType, std::string, std::optional<domain::Role>>;
std::vector<std::tuple<ActorFields, bool, std::string, std::string, Timestamp>> Fields(
    const std::vector<domain::Decision>& decisions);
std::vector<std::tuple<ActorFields, std::string, Timestamp>> Fields(
    const std::vector<domain::RequestComment>& comments);
inline auto Fields(const domain::Request& v) {
  return std::make_tuple(v.tenant_id, v.id, v.account_id, v.service_id, v.type, v.origin, v.channel,
                         v.state, v.priority, Fields(v.actor), v.reason_code, v.comment,
                         v.correlation_id, v.idempotency_key, v.policy_version, v.payload_json,
                         v.checks_json, v.result_json, Fields(v.history), v.created_at,
                         v.updated_at, v.completed_at, v.due_at, v.at_risk_at, v.sla_paused_at,
                         v.sla_status, v.assignee, Fields(v.decisions), Fields(v.comments));
}
inline auto Fields(const domain::Verification& v) {
  return std::make_tuple(v.tenant_id, v.id, v.account_id, v.kind, v.party, v.method, v.level,
                         v.verified_at, v.request_id, Fields(v.actor), v.created_at);
}
inline auto Fields(const domain::OutboxMessage& v) {
  return std::make_tuple(v.tenant_id, v.id, v.channel, v.event_type, v.account_id, v.request_id,
                         v.payload_json, v.state, v.attempts, v.next_attempt_at, v.last_error,
                         v.created_at, v.delivered_at, v.locked_until, v.delivered_to);
}
inline auto Fields(const domain::WebhookEndpoint& v) {
  return std::make_tuple(v.tenant_id, v.id, v.url, v.event_types, v.description, v.format,
                         v.secret_sealed, v.created_at, v.disabled_at);
}
inline auto Fields(const domain::AuditEntry& v) {
  return std::make_tuple(v.tenant_id, v.id, v.category, v.action, Fields(v.actor), v.channel,
                         v.reason_code, v.comment, v.request_id, v.correlation_id, v.subject_type,
                         v.subject_id, v.account_id, v.before_json, v.after_json, v.created_at,
                         v.leaf_index, v.leaf_hash);
}
inline auto Fields(const domain::Checkpoint& v) {
  return std::make_tuple(v.tenant_id, v.tree_size, v.root_hash, v.created_at, v.key_id,
                         v.signature);
}
inline auto Fields(const domain::Job& v) {
  return std::make_tuple(v.tenant_id, v.id, v.kind, v.subject_id, v.payload_json, v.state, v.run_at,
                         v.attempts, v.locked_until, v.last_error, v.created_at);
}
inline auto Fields(const domain::IdempotencyRecord& v) {
  return std::make_tuple(v.tenant_id, v.key, v.fingerprint, v.status_code, v.response_headers_json,
                         v.response_body, v.created_at, v.expires_at);
}
inline auto Fields(const domain::SubjectKey& v) {
  return std::make_tuple(v.tenant_id, v.subject_id, v.wrapped_key, v.destroyed_at);
}
inline auto Fields(const domain::ServerKey& v) {
  return std::make_tuple(v.id, v.purpose, v.public_key, v.secret_sealed, v.created_at);
}

// The ids of a list of records, in order.
template <typename T>
std::vector<std::string> Ids(const std::vector<T>& items) {
  std::vector<std::string> ids;
  for (const T& item : items) ids.push_back(item.id);
  return ids;
}

// Fixture: a fresh store per test, made by the parameter.
class StoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override { store_.reset(); }

  // Runs `fn` in a write transaction.
  Status Write(const domain::Store::TxFn& fn) { return store_->Write(fn); }

  // Runs `f(tx)` in a read transaction and returns what it returned (Status or Result<T>).
  template <typename F>
  auto Get(F&& f) -> std::invoke_result_t<F, domain::Tx&> {
    using R = std::invoke_result_t<F, domain::Tx&>;
    std::optional<R> out;
    Status s = store_->Read([&](domain::Tx& tx) {
      out.emplace(f(tx));
      return Status::Ok();
    });
    if (!s.ok()) return R(s);
    return std::move(*out);
  }

  // Inserts tenants with FullTenant(id).
  void AddTenants(const std::vector<std::string>& ids);
  // Inserts tenant `tenant` (if needed, see AddTenants) and an account in it.
  void AddAccount(const std::string& tenant, const std::string& id, const std::string& ref);

  std::unique_ptr<domain::Store> store_;
};

}  // namespace sb::testing
