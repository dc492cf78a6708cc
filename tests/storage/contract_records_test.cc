// Record builders and fixture plumbing for the storage contract suite (contract.h).

#include "tests/storage/contract.h"

namespace sb::testing {

using namespace sb::domain;

void StoreContract::SetUp() {
  store_ = GetParam()();
  if (!store_) GTEST_SKIP() << "backend not available in this environment";
}

void StoreContract::AddTenants(const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertTenant(FullTenant(id)); }));
  }
}

void StoreContract::AddAccount(const std::string& tenant, const std::string& id,
                               const std::string& ref) {
  SB_ASSERT_OK(Write([&](Tx& tx) { return tx.InsertAccount(FullAccount(tenant, id, ref)); }));
}

std::vector<std::pair<RequestState, Timestamp>> Fields(const std::vector<StateChange>& history) {
  std::vector<std::pair<RequestState, Timestamp>> out;
  for (const StateChange& c : history) out.emplace_back(c.state, c.at);
  return out;
}

std::vector<std::tuple<ActorFields, bool, std::string, std::string, Timestamp>> Fields(
    const std::vector<Decision>& decisions) {
  std::vector<std::tuple<ActorFields, bool, std::string, std::string, Timestamp>> out;
  for (const Decision& d : decisions) {
    out.emplace_back(Fields(d.actor), d.approved, d.reason_code, d.comment, d.at);
  }
  return out;
}

std::vector<std::tuple<ActorFields, std::string, Timestamp>> Fields(
    const std::vector<RequestComment>& comments) {
  std::vector<std::tuple<ActorFields, std::string, Timestamp>> out;
  for (const RequestComment& c : comments) out.emplace_back(Fields(c.actor), c.text, c.at);
  return out;
}

Tenant FullTenant(const std::string& id) { return {id, "Tenant " + id, kT0}; }

ApiKey FullApiKey(const std::string& tenant, const std::string& id, const std::string& hash) {
  return {tenant, id, "billing sync", Role::kSystem, hash, "sk_live_ab", kT0 + 1, kT0 + 99};
}

Account FullAccount(const std::string& tenant, const std::string& id, const std::string& ref) {
  Account a;
  a.tenant_id = tenant;
  a.id = id;
  a.external_ref = ref;
  a.profile_sealed = std::string("\x00\x01\xff sealed\x00", 11);
  a.lifecycle = AccountLifecycle::kDormant;
  a.status = AccountStatus::kSuspended;
  a.amount_due_minor = 12345;
  a.currency = "GBP";
  a.last_payment_at = kT0 - 86'400'000;
  a.kyc_level = 2;
  a.failed_payments = 2;
  a.version = 3;
  a.created_at = kT0;
  a.updated_at = kT0 + 5;
  return a;
}

Service FullService(const std::string& tenant, const std::string& id, const std::string& account) {
  return {tenant, id, account, "fibre_500", ServiceStatus::kTerminated, 4, kT0, kT0 + 7, kT0 + 7};
}

Hold FullHold(const std::string& tenant, const std::string& id, const std::string& account,
              const std::optional<std::string>& service) {
  Hold h;
  h.tenant_id = tenant;
  h.id = id;
  h.account_id = account;
  h.service_id = service;
  h.type = HoldType::kFraudReview;
  h.blocks_service = true;
  h.blocks_billing = true;
  h.blocks_changes = true;
  h.source = "client_system";
  h.owner = "fraud-team";
  h.reason_code = "FRAUD_SUSPECTED";
  h.comment = "card testing pattern";
  h.state = HoldState::kLifted;
  h.placed_at = kT0;
  h.expires_at = kT0 + 1000;
  h.released_at = kT0 + 500;
  h.released_reason_code = "CLEARED";
  h.placed_by_request_id = "req_place";
  h.released_by_request_id = "req_release";
  return h;
}

Request FullRequest(const std::string& tenant, const std::string& id, const std::string& account) {
  Request r;
  r.tenant_id = tenant;
  r.id = id;
  r.account_id = account;
  r.service_id = "svc_1";
  r.type = RequestType::kReconnection;
  r.origin = Origin::kInvoluntary;
  r.channel = Channel::kChat;
  r.state = RequestState::kCompleted;
  r.priority = "high";
  r.actor = {ActorType::kUser, "usr_42", Role::kAgent};
  r.reason_code = "PAID";
  r.comment = "customer paid \"in full\"";
  r.correlation_id = "corr-1";
  r.idempotency_key = "idem-1";
  r.policy_version = "v7";
  r.payload_json = R"({"service_id":"svc_1"})";
  r.checks_json = R"([{"check":"payment_cleared","ok":true}])";
  r.result_json = R"({"reconnected":["svc_1"]})";
  r.history = {{RequestState::kReceived, kT0},
               {RequestState::kApproved, kT0 + 10},
               {RequestState::kCompleted, kT0 + 20}};
  r.created_at = kT0;
  r.updated_at = kT0 + 20;
  r.completed_at = kT0 + 20;
  r.due_at = kT0 + 3'600'000;
  r.at_risk_at = kT0 + 2'880'000;
  r.sla_paused_at = kT0 + 15;
  r.sla_status = SlaStatus::kAtRisk;
  r.assignee = "usr_7";
  r.decisions = {{{ActorType::kUser, "usr_9", Role::kAdmin},
                  false,
                  "NEEDS_PROOF",
                  "ask for \"proof\"\nof address \u00e9",
                  kT0 + 8},
                 {{ActorType::kApiKey, "key_1", std::nullopt}, true, "OK", "", kT0 + 9}};
  r.comments = {
      {{ActorType::kUser, "usr_7", Role::kAgent}, "called back \\ left a message", kT0 + 5},
      {{ActorType::kCustomer, "cus_1", std::nullopt}, "\u263a thanks", kT0 + 6}};
  return r;
}

Verification FullVerification(const std::string& tenant, const std::string& id,
                              const std::string& account) {
  Verification v;
  v.tenant_id = tenant;
  v.id = id;
  v.account_id = account;
  v.kind = VerificationKind::kIdentity;
  v.party = "new_owner";
  v.method = "otp_sms";
  v.level = 2;
  v.verified_at = kT0 + 30;
  v.request_id = "req_1";
  v.actor = {ActorType::kUser, "usr_42", Role::kAgent};
  v.created_at = kT0 + 31;
  return v;
}

OutboxMessage FullOutbox(const std::string& tenant, const std::string& id,
                         const std::string& account) {
  OutboxMessage m;
  m.tenant_id = tenant;
  m.id = id;
  m.channel = "webhook";
  m.event_type = "request.completed";
  m.account_id = account;
  m.request_id = "req_1";
  m.payload_json = R"({"type":"request.completed","data":{"id":"req_1"}})";
  m.state = OutboxState::kDelivered;
  m.attempts = 3;
  m.next_attempt_at = kT0 + 60'000;
  m.last_error = "503 from endpoint";
  m.created_at = kT0 + 40;
  m.delivered_at = kT0 + 120'000;
  m.locked_until = kT0 + 90'000;
  m.delivered_to = {"whe_1", "whe_2"};
  return m;
}

WebhookEndpoint FullWebhookEndpoint(const std::string& tenant, const std::string& id) {
  WebhookEndpoint e;
  e.tenant_id = tenant;
  e.id = id;
  e.url = "https://hooks.example.com/switchboard?team=ops";
  e.event_types = {"request.completed", "request.sla_breached"};
  e.description = "Ops CRM";
  e.format = domain::WebhookFormat::kTmf641;
  e.secret_sealed = std::string("\x00\x01sealed\xff", 9);
  e.created_at = kT0 + 7;
  e.disabled_at = kT0 + 70'000;
  return e;
}

AuditEntry FullAudit(const std::string& tenant, const std::string& id, const std::string& account) {
  AuditEntry e;
  e.tenant_id = tenant;
  e.id = id;
  e.category = AuditCategory::kCustomerData;
  e.action = "account.updated";
  e.actor = {ActorType::kApiKey, "key_1", Role::kSystem};
  e.channel = Channel::kEmail;
  e.reason_code = "CUSTOMER_ASKED";
  e.comment = "new address";
  e.request_id = "req_1";
  e.correlation_id = "corr-1";
  e.subject_type = "account";
  e.subject_id = account;
  e.account_id = account;
  e.before_json = R"({"profile":"hash:ab"})";
  e.after_json = R"({"profile":"hash:cd"})";
  e.created_at = kT0;
  return e;
}

Job FullJob(const std::string& tenant, const std::string& id, Timestamp run_at) {
  return {tenant,
          id,
          "hold.expire",
          "hld_1",
          R"({"hold_id":"hld_1"})",
          JobState::kPending,
          run_at,
          0,
          std::nullopt,
          "",
          kT0};
}

IdempotencyRecord FullIdempotency(const std::string& tenant, const std::string& key,
                                  Timestamp expires_at) {
  return {tenant,
          key,
          "f1ngerpr1nt",
          201,
          R"({"content-type":"application/json"})",
          R"({"id":"req_1"})",
          kT0,
          expires_at};
}

}  // namespace sb::testing
