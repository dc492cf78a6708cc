#pragma once

// A fixture for request effect tests: a tenant with the default plans and reason codes on a
// real SQLite store, and helpers that call PrepareEffect/ApplyEffect the way the request
// engine does (inside one write transaction, with the request row inserted first). The base
// of ProfileEffectsTest (profile_effects_fixture.h).

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/account_state.h"
#include "app/accounts/accounts.h"
#include "app/core/change.h"
#include "app/core/keyring.h"
#include "app/requests/effects/effects.h"
#include "app/tenants/tenant_admin.h"
#include "crypto/crypto.h"
#include "tests/support/test_stores.h"

namespace sb::app {

class EffectsTest : public ::testing::Test {
 protected:
  // `start`: the clock's time when the test begins (rules about dates are judged against it).
  explicit EffectsTest(Timestamp start = 1'802'260'800'000)  // 2027-02-10T12:00:00Z
      : clock_(start) {}

  void SetUp() override {
    auto tenant = admin_.CreateTenant("Acme Telecom");
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    ctx_.tenant_id = tenant->id;
    ctx_.actor = {domain::ActorType::kApiKey, "key_test", domain::Role::kAgent};
    ctx_.reason_code = "customer_request";
    ctx_.correlation_id = "corr-effects";
    policy_.offers.push_back({"WELCOME_BACK", "20% off for 3 months", 20, 3});
  }

  AccountView NewAccount(std::vector<std::string> plans = {"mobile_basic", "fiber_500"},
                         bool pending = false, std::int64_t amount_due = 0,
                         const std::string& currency = "EUR") {
    CreateAccountInput in;
    in.external_ref = "CUST-" + std::to_string(++accounts_made_);
    in.profile.name = "Jane Doe";
    in.plan_codes = std::move(plans);
    in.pending_activation = pending;
    in.amount_due_minor = amount_due;
    in.currency = currency;
    auto r = accounts_.CreateAccount(ctx_, in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r->account;
  }

  domain::Hold Place(const std::string& account_id, std::optional<std::string> service_id,
                     domain::HoldType type = domain::HoldType::kNonPayment) {
    PlaceHoldInput in;
    in.account_id = account_id;
    in.service_id = std::move(service_id);
    in.type = type;
    auto r = accounts_.PlaceHold(ctx_, in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r->hold;
  }

  // The system's context: sets up the state a test needs, exempt from the reason-code lists
  // and protected holds (its changes are still requests with the pack's checks).
  CallContext System() const {
    CallContext c = ctx_;
    c.actor = {domain::ActorType::kSystem, "system", domain::Role::kSystem};
    return c;
  }

  // Moves the lifecycle as the system; a closure is involuntary, so neither identity checks
  // nor retention offers hold it back.
  void Lifecycle(const std::string& account_id, domain::LifecycleMove move) {
    RequestOptions opts;
    if (move == domain::LifecycleMove::kClose) opts.origin = domain::Origin::kInvoluntary;
    auto r = accounts_.ChangeLifecycle(System(), account_id, move, opts);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->request.state, domain::RequestState::kCompleted) << r->request.checks_json;
  }

  // Terminates the service as the system, involuntarily (no identity check, no offer).
  void Terminate(const std::string& service_id) {
    RequestOptions opts;
    opts.origin = domain::Origin::kInvoluntary;
    auto r = accounts_.TerminateService(System(), service_id, opts);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->request.state, domain::RequestState::kCompleted) << r->request.checks_json;
  }

  // Runs Prepare alone; its transaction is rolled back whatever happens.
  Result<boost::json::object> Prepare(domain::RequestType type, const std::string& account_id,
                                      std::optional<std::string> service_id,
                                      const std::string& payload) {
    std::optional<Result<boost::json::object>> out;
    boost::json::object body = boost::json::parse(payload).as_object();
    deps_.store.Write([&](domain::Tx& tx) -> Status {
      out = PrepareIn(tx, type, account_id, service_id, body);
      return Status::Aborted();
    });
    return std::move(*out);
  }

  // Files a request (Prepare, then the row as the engine stores it, approved) and commits it.
  Result<domain::Request> File(domain::RequestType type, const std::string& account_id,
                               std::optional<std::string> service_id, const std::string& payload) {
    return File(type, account_id, service_id, boost::json::parse(payload).as_object());
  }
  Result<domain::Request> File(domain::RequestType type, const std::string& account_id,
                               std::optional<std::string> service_id, boost::json::object payload) {
    std::optional<domain::Request> req;
    Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(auto prepared, PrepareIn(tx, type, account_id, service_id, payload));
      domain::Request r;
      r.tenant_id = ctx_.tenant_id;
      r.id = crypto::NewId("req", clock_.Now());
      r.account_id = account_id;
      r.service_id = service_id;
      r.type = type;
      r.state = domain::RequestState::kApproved;
      r.actor = ctx_.actor;
      r.reason_code = ctx_.reason_code;
      r.correlation_id = ctx_.correlation_id;
      r.payload_json = boost::json::serialize(prepared);
      r.checks_json = "[]";
      r.result_json = "{}";
      r.history = {{domain::RequestState::kReceived, clock_.Now()},
                   {domain::RequestState::kApproved, clock_.Now()}};
      r.created_at = r.updated_at = clock_.Now();
      SB_RETURN_IF_ERROR(tx.InsertRequest(r));
      req = r;
      return Status::Ok();
    });
    if (!s.ok()) return s;
    last_request_id_ = req->id;
    return *req;
  }

  // Applies a filed request in a transaction of its own (committed only on success) and
  // stores its result on it, completed.
  Result<boost::json::object> Apply(domain::Request req) {
    std::optional<boost::json::object> out;
    Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(AccountState st, LoadAccountState(tx, ctx_.tenant_id, req.account_id));
      ChangeRecorder rec(tx, ctx_, clock_.Now());
      SB_ASSIGN_OR_RETURN(out, ApplyEffect(tx, deps_, rec, st, req, policy_));
      req.result_json = boost::json::serialize(*out);
      req.state = domain::RequestState::kCompleted;
      return tx.UpdateRequest(req);
    });
    if (!s.ok()) return s;
    return std::move(*out);
  }

  // File then Apply: a request approved at once.
  Result<boost::json::object> Run(domain::RequestType type, const std::string& account_id,
                                  std::optional<std::string> service_id,
                                  const std::string& payload) {
    SB_ASSIGN_OR_RETURN(auto req, File(type, account_id, service_id, payload));
    return Apply(req);
  }

  AccountView View(const std::string& account_id) {
    auto v = accounts_.GetAccount(ctx_, account_id);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return *v;
  }

  std::vector<domain::Hold> AllHolds(const std::string& account_id) {
    return *accounts_.ListHolds(ctx_, account_id, /*active_only=*/false);
  }

  // Audit actions recorded for a request, sorted by name (entries written in the same
  // millisecond have no order between them).
  std::vector<std::string> AuditActions(const std::string& request_id) {
    std::vector<std::string> out;
    deps_.store.Read([&](domain::Tx& tx) -> Status {
      domain::AuditFilter f;
      f.request_id = request_id;
      f.limit = 100;
      auto page = tx.ListAuditEntries(ctx_.tenant_id, f);
      if (page.ok()) {
        for (const auto& e : page->items) out.push_back(e.action);
      }
      return Status::Ok();
    });
    std::sort(out.begin(), out.end());
    return out;
  }

  // What a refused call must leave untouched: the account's version, holds and audit trail.
  std::string Fingerprint(const std::string& account_id) {
    std::string out;
    deps_.store.Read([&](domain::Tx& tx) -> Status {
      auto acc = tx.GetAccount(ctx_.tenant_id, account_id);
      auto holds = tx.ListHolds(ctx_.tenant_id, account_id, false);
      domain::AuditFilter f;
      f.account_id = account_id;
      f.limit = 100;
      auto audit = tx.ListAuditEntries(ctx_.tenant_id, f);
      out = std::to_string(acc->version) + "/" + std::to_string(acc->amount_due_minor) + "/" +
            std::to_string(holds->size()) + "/" + std::to_string(audit->items.size());
      return Status::Ok();
    });
    return out;
  }

  ManualClock clock_;
  Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_ = sb::testing::NewSqliteTestStore();
  Deps deps_{*store_, clock_, keyring_};
  AdminUseCases admin_{Deps{*store_, clock_, keyring_}};
  AccountUseCases accounts_{Deps{*store_, clock_, keyring_}};
  CallContext ctx_;
  domain::RequestPolicy policy_;
  std::string last_request_id_;
  int accounts_made_ = 0;

 private:
  Result<boost::json::object> PrepareIn(domain::Tx& tx, domain::RequestType type,
                                        const std::string& account_id,
                                        const std::optional<std::string>& service_id,
                                        const boost::json::object& body) {
    SB_ASSIGN_OR_RETURN(AccountState st, LoadAccountState(tx, ctx_.tenant_id, account_id));
    PrepareArgs args;
    args.type = type;
    args.service_id = service_id;
    args.payload = &body;
    args.policy = &policy_;
    return PrepareEffect(tx, deps_, ctx_, st, args);
  }
};

// One refusal: what is sent and the error expected.
struct Refusal {
  const char* name;
  std::optional<std::string> service_id;  // "$svc0" stands for the account's first service
  const char* payload;
  Code code;
  const char* reason;
  const char* param;
};

inline void ExpectRefused(const Result<boost::json::object>& r, const Refusal& c) {
  ASSERT_FALSE(r.ok()) << c.name;
  EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status().ToString();
  EXPECT_EQ(r.status().reason(), c.reason) << c.name << ": " << r.status().ToString();
  EXPECT_EQ(r.status().param(), c.param) << c.name << ": " << r.status().ToString();
}

}  // namespace sb::app
