// Use cases over a real SQLite store: what an agent or a client system would notice.
#include "app/accounts/accounts.h"

#include <gtest/gtest.h>

#include "app/core/idempotency.h"
#include "app/core/keyring.h"
#include "app/requests/request_queries.h"
#include "app/requests/requests.h"
#include "app/tenants/tenant_admin.h"
#include "crypto/crypto.h"
#include "tests/support/test_stores.h"

namespace sb::app {
namespace {

using domain::AccountStatus;
using domain::HoldType;
using domain::ServiceStatus;

class AccountUseCasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tenant = admin_.CreateTenant("Acme Telecom");
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    ctx_.tenant_id = tenant->id;
    ctx_.actor = {domain::ActorType::kApiKey, "key_test", domain::Role::kAgent};
    ctx_.correlation_id = "corr-1";
  }

  AccountView NewAccount(std::vector<std::string> plans = {"mobile_basic", "fiber_500"},
                         const std::string& ref = "CUST-1") {
    CreateAccountInput in;
    in.external_ref = ref;
    in.profile = {"Jane Doe", "jane@example.com", "+33600000000", "1 Main St"};
    in.plan_codes = std::move(plans);
    auto r = accounts_.CreateAccount(ctx_, in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r->account;
  }

  CallContext WithReason(const std::string& reason) const {
    CallContext c = ctx_;
    c.reason_code = reason;
    return c;
  }

  ChangeOutcome Place(const std::string& account_id, std::optional<std::string> service_id,
                      HoldType type = HoldType::kNonPayment) {
    PlaceHoldInput in;
    in.account_id = account_id;
    in.service_id = std::move(service_id);
    in.type = type;
    auto r = accounts_.PlaceHold(WithReason("non_payment"), in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r;
  }

  // An involuntary move skips checks a voluntary one runs, so only a supervisor may claim it.
  CallContext SupervisorWithReason(const std::string& reason) {
    CallContext c = WithReason(reason);
    c.actor.role = domain::Role::kSupervisor;
    return c;
  }

  static RequestOptions Involuntary() {
    RequestOptions o;
    o.origin = domain::Origin::kInvoluntary;
    return o;
  }

  void VerifyIdentity(const std::string& account_id) {
    VerificationInput in;
    in.kind = domain::VerificationKind::kIdentity;
    in.method = "document_check";
    in.level = 2;
    auto r = engine_.RecordVerification(ctx_, account_id, in);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  int CountRequests() {
    domain::RequestFilter f;
    f.limit = 100;
    return static_cast<int>(requests_.ListRequests(ctx_, f)->items.size());
  }

  ManualClock clock_{1'800'000'000'000};
  Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_ = sb::testing::NewSqliteTestStore();
  Deps deps_{*store_, clock_, keyring_};
  AdminUseCases admin_{Deps{*store_, clock_, keyring_}};
  AccountUseCases accounts_{Deps{*store_, clock_, keyring_}};
  RequestQueries requests_{Deps{*store_, clock_, keyring_}};
  RequestEngine engine_{Deps{*store_, clock_, keyring_}};
  CallContext ctx_;
};

TEST_F(AccountUseCasesTest, CreatedAccountShowsProfileServicesAndACompletedRequest) {
  AccountView v = NewAccount();
  EXPECT_EQ(v.profile.email, "jane@example.com");
  EXPECT_EQ(v.account.status, AccountStatus::kActive);
  ASSERT_EQ(v.services.size(), 2u);
  for (const auto& s : v.services) EXPECT_EQ(s.status, ServiceStatus::kActive);
  auto again = accounts_.GetAccount(ctx_, v.account.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->profile.name, "Jane Doe");
  // Personal data is sealed at rest.
  EXPECT_EQ(again->account.profile_sealed.find("jane@example.com"), std::string::npos);
  EXPECT_EQ(CountRequests(), 1);
}

TEST_F(AccountUseCasesTest, DuplicateExternalRefIsRefused) {
  NewAccount({}, "CUST-9");
  CreateAccountInput in;
  in.external_ref = "CUST-9";
  auto r = accounts_.CreateAccount(ctx_, in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_EQ(r.status().param(), "external_ref");
}

TEST_F(AccountUseCasesTest, StackedHoldsReconnectOnlyWhenTheLastIsLifted) {
  AccountView v = NewAccount();
  std::string svc = v.services[0].id;
  ChangeOutcome first = Place(v.account.id, svc);
  ChangeOutcome second = Place(v.account.id, std::nullopt, HoldType::kFraudReview);
  EXPECT_EQ(second.account.account.status, AccountStatus::kSuspended);

  // A fraud review is a protected hold: the agent may not lift it, a supervisor may.
  auto refused = accounts_.LiftHold(WithReason("fraud_cleared"), second.hold->id);
  EXPECT_EQ(refused.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(refused.status().reason(), "role_required");
  CallContext supervisor = WithReason("fraud_cleared");
  supervisor.actor = {domain::ActorType::kApiKey, "key_sup", domain::Role::kSupervisor};
  auto lift1 = accounts_.LiftHold(supervisor, second.hold->id);
  ASSERT_TRUE(lift1.ok()) << lift1.status().ToString();
  EXPECT_EQ(lift1->account.account.status, AccountStatus::kActive);
  for (const auto& s : lift1->account.services) {
    EXPECT_EQ(s.status, s.id == svc ? ServiceStatus::kSuspended : ServiceStatus::kActive);
  }
  auto lift2 = accounts_.LiftHold(WithReason("payment_received"), first.hold->id);
  ASSERT_TRUE(lift2.ok());
  for (const auto& s : lift2->account.services) EXPECT_EQ(s.status, ServiceStatus::kActive);
  EXPECT_EQ(lift2->request.type, domain::RequestType::kReconnection);
  EXPECT_EQ(lift2->request.state, domain::RequestState::kCompleted);
}

TEST_F(AccountUseCasesTest, LiftingAHoldTwiceIsRefused) {
  AccountView v = NewAccount();
  ChangeOutcome placed = Place(v.account.id, std::nullopt);
  ASSERT_TRUE(accounts_.LiftHold(WithReason("payment_received"), placed.hold->id).ok());
  auto again = accounts_.LiftHold(WithReason("payment_received"), placed.hold->id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().reason(), "hold_not_active");
}

TEST_F(AccountUseCasesTest, ReasonIsRequiredAndMustBeKnownAndNothingIsWritten) {
  AccountView v = NewAccount();
  int before = CountRequests();
  PlaceHoldInput in;
  in.account_id = v.account.id;
  auto missing = accounts_.PlaceHold(ctx_, in);
  EXPECT_EQ(missing.status().reason(), "reason_required");
  auto unknown = accounts_.PlaceHold(WithReason("because"), in);
  EXPECT_EQ(unknown.status().code(), Code::kUnprocessable);
  EXPECT_EQ(unknown.status().param(), "X-Reason");
  EXPECT_EQ(CountRequests(), before);
  EXPECT_TRUE(accounts_.ListHolds(ctx_, v.account.id, false)->empty());
}

TEST_F(AccountUseCasesTest, TerminatedServiceCannotBeHeldOrChanged) {
  AccountView v = NewAccount();
  std::string svc = v.services[0].id;
  auto term =
      accounts_.TerminateService(SupervisorWithReason("customer_request"), svc, Involuntary());
  ASSERT_TRUE(term.ok()) << term.status().ToString();
  EXPECT_EQ(term->service->status, ServiceStatus::kTerminated);
  PlaceHoldInput in;
  in.account_id = v.account.id;
  in.service_id = svc;
  EXPECT_EQ(accounts_.PlaceHold(WithReason("non_payment"), in).status().reason(),
            "service_terminated");
  EXPECT_EQ(accounts_.ChangePlan(ctx_, svc, "tv_plus").status().reason(), "service_terminated");
}

TEST_F(AccountUseCasesTest, ClosedAccountRefusesChanges) {
  AccountView v = NewAccount();
  auto closed = accounts_.ChangeLifecycle(SupervisorWithReason("account_closure"), v.account.id,
                                          AccountAction::kClose, Involuntary());
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->account.account.status, AccountStatus::kClosed);
  for (const auto& s : closed->account.services) EXPECT_EQ(s.status, ServiceStatus::kTerminated);
  ProfilePatch p;
  p.email = "new@example.com";
  EXPECT_EQ(accounts_.UpdateProfile(ctx_, v.account.id, p).status().reason(), "account_closed");
  // Reactivating a closed account is a request like any other: it waits for the customer's
  // identity proof, and the account stays closed meanwhile.
  auto reopen = accounts_.ChangeLifecycle(WithReason("customer_request"), v.account.id,
                                          AccountAction::kReactivate);
  ASSERT_TRUE(reopen.ok()) << reopen.status().ToString();
  EXPECT_EQ(reopen->request.state, domain::RequestState::kAwaitingCustomer);
  EXPECT_EQ(reopen->account.account.status, AccountStatus::kClosed);
}

TEST_F(AccountUseCasesTest, StaleIfMatchIsRefusedAndChangesNothing) {
  AccountView v = NewAccount();
  VerifyIdentity(v.account.id);
  v = *accounts_.GetAccount(ctx_, v.account.id);
  CallContext c = ctx_;
  c.if_match = v.account.version;
  ProfilePatch p;
  p.email = "first@example.com";
  auto ok = accounts_.UpdateProfile(c, v.account.id, p);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->request.state, domain::RequestState::kCompleted);
  EXPECT_GT(ok->account.account.version, v.account.version);
  p.email = "second@example.com";
  auto stale = accounts_.UpdateProfile(c, v.account.id, p);
  EXPECT_EQ(stale.status().code(), Code::kPreconditionFailed);
  EXPECT_EQ(accounts_.GetAccount(ctx_, v.account.id)->profile.email, "first@example.com");
}

TEST_F(AccountUseCasesTest, DryRunAnswersTheEffectAndWritesNothing) {
  AccountView v = NewAccount();
  int before = CountRequests();
  CallContext c = WithReason("non_payment");
  c.dry_run = true;
  PlaceHoldInput in;
  in.account_id = v.account.id;
  auto r = accounts_.PlaceHold(c, in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->account.account.status, AccountStatus::kSuspended);
  EXPECT_EQ(CountRequests(), before);
  EXPECT_EQ(accounts_.GetAccount(ctx_, v.account.id)->account.status, AccountStatus::kActive);
}

TEST_F(AccountUseCasesTest, KeyedWriteStoresItsAnswerForReplay) {
  AccountView v = NewAccount();
  IdempotencyGate gate(deps_);
  CallContext c = WithReason("non_payment");
  c.idempotency_key = "idem-1";
  c.fingerprint = "fp-1";
  auto begin = gate.Begin(c.tenant_id, "idem-1", "fp-1");
  ASSERT_TRUE(begin.ok());
  EXPECT_FALSE(begin->has_value());
  EXPECT_EQ(gate.Begin(c.tenant_id, "idem-1", "fp-1").status().reason(),
            "idempotency_key_in_flight");
  PlaceHoldInput in;
  in.account_id = v.account.id;
  AnswerFn<ChangeOutcome> answer = [](const ChangeOutcome& o) {
    return StoredAnswer{201, "{}", "{\"id\":\"" + o.hold->id + "\"}"};
  };
  auto placed = accounts_.PlaceHold(c, in, answer);
  gate.End(c.tenant_id, "idem-1");
  ASSERT_TRUE(placed.ok());
  auto replay = gate.Begin(c.tenant_id, "idem-1", "fp-1");
  ASSERT_TRUE(replay.ok() && replay->has_value());
  EXPECT_EQ((*replay)->status_code, 201);
  EXPECT_EQ((*replay)->body, "{\"id\":\"" + placed->hold->id + "\"}");
  EXPECT_EQ(gate.Begin(c.tenant_id, "idem-1", "fp-2").status().code(), Code::kUnprocessable);
}

TEST_F(AccountUseCasesTest, HoldExpiryLiftsTheHoldThroughItsJob) {
  AccountView v = NewAccount();
  PlaceHoldInput in;
  in.account_id = v.account.id;
  in.type = HoldType::kVoluntaryPause;
  in.expires_at = clock_.Now() + kMillisPerHour;
  auto placed = accounts_.PlaceHold(WithReason("customer_request"), in);
  ASSERT_TRUE(placed.ok());
  std::vector<domain::Job> jobs;
  ASSERT_TRUE(store_
                  ->Read([&](domain::Tx& tx) {
                    auto r = tx.ListJobs(ctx_.tenant_id, placed->hold->id);
                    if (r.ok()) jobs = *r;
                    return r.status();
                  })
                  .ok());
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].kind, "hold.expire");
  EXPECT_EQ(jobs[0].run_at, *in.expires_at);
  ASSERT_TRUE(accounts_.ExpireHold(ctx_.tenant_id, placed->hold->id).ok());
  auto after = accounts_.GetAccount(ctx_, v.account.id);
  EXPECT_EQ(after->account.status, AccountStatus::kActive);
  auto holds = accounts_.ListHolds(ctx_, v.account.id, false);
  EXPECT_EQ(holds->at(0).state, domain::HoldState::kExpired);
  // Expiring again (a retried job) is harmless.
  EXPECT_TRUE(accounts_.ExpireHold(ctx_.tenant_id, placed->hold->id).ok());
}

TEST_F(AccountUseCasesTest, AnotherTenantSeesNothing) {
  AccountView v = NewAccount();
  auto other = admin_.CreateTenant("Other Co");
  CallContext c = ctx_;
  c.tenant_id = other->id;
  EXPECT_EQ(accounts_.GetAccount(c, v.account.id).status().code(), Code::kNotFound);
  c.reason_code = "non_payment";
  PlaceHoldInput in;
  in.account_id = v.account.id;
  EXPECT_EQ(accounts_.PlaceHold(c, in).status().code(), Code::kNotFound);
}

TEST_F(AccountUseCasesTest, TimelineListsRequestsAndAuditNewestFirstWithCursor) {
  AccountView v = NewAccount();
  clock_.Advance(1000);
  ChangeOutcome placed = Place(v.account.id, std::nullopt);
  auto page = requests_.Timeline(ctx_, v.account.id, "", 3);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_TRUE(page->has_more);
  EXPECT_GE(page->items[0].at, page->items[2].at);
  std::vector<std::string> seen;
  std::string cursor;
  do {
    auto p = requests_.Timeline(ctx_, v.account.id, cursor, 3);
    ASSERT_TRUE(p.ok());
    for (const auto& i : p->items) seen.push_back(i.request ? i.request->id : i.audit->id);
    cursor = p->has_more ? p->next_cursor : "";
  } while (!cursor.empty());
  // 2 requests + account.created + 2 service.added + hold.placed + 2 service.suspended +
  // account.suspended + the suspension's request.completed.
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
}

TEST_F(AccountUseCasesTest, RevokedKeyIsRefusedAtOnceDespiteTheCache) {
  auto key = admin_.CreateApiKey(ctx_.tenant_id, "agent desk", domain::Role::kAgent);
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(admin_.Authenticate(key->secret).ok());
  ASSERT_TRUE(admin_.Authenticate(key->secret).ok());  // now answered from the cache
  ASSERT_TRUE(admin_.RevokeApiKey(ctx_.tenant_id, key->key.id).ok());
  EXPECT_EQ(admin_.Authenticate(key->secret).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(admin_.Authenticate("sb_not-a-key").status().code(), Code::kUnauthenticated);
}

TEST_F(AccountUseCasesTest, DemoSeedRunsOnceWithASuspendedCustomer) {
  auto fresh = sb::testing::NewSqliteTestStore();
  AdminUseCases admin{Deps{*fresh, clock_, keyring_}};
  auto key = admin.SeedDemoIfEmpty();
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_FALSE(key->empty());
  auto who = admin.Authenticate(*key);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->role, domain::Role::kAdmin);
  EXPECT_TRUE(admin.SeedDemoIfEmpty()->empty());
  AccountUseCases accounts{Deps{*fresh, clock_, keyring_}};
  CallContext c;
  c.tenant_id = who->tenant_id;
  domain::AccountFilter f;
  f.status = AccountStatus::kSuspended;
  EXPECT_EQ(accounts.ListAccounts(c, f)->items.size(), 1u);
}

}  // namespace
}  // namespace sb::app
