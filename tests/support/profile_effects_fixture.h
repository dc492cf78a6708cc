#pragma once

// Fixture for the account-data request effect tests: one tenant, one account, and requests
// filed (PrepareEffect) and applied (ApplyEffect) the way the request engine does, each in
// its own write transaction over a real SQLite store.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/account_data.h"
#include "app/accounts/account_state.h"
#include "app/accounts/accounts.h"
#include "app/core/change.h"
#include "app/core/keyring.h"
#include "app/requests/effects/effects.h"
#include "app/tenants/tenant_admin.h"
#include "crypto/crypto.h"
#include "tests/support/test_stores.h"

namespace sb::app {

namespace json = boost::json;

class ProfileEffectsTest : public ::testing::Test {
 protected:
  static constexpr const char* kEmail = "jane@example.com";
  static constexpr const char* kPhone = "+33 6 00 00 00 00";

  void SetUp() override {
    auto tenant = admin_.CreateTenant("Acme Telecom");
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    ctx_.tenant_id = tenant->id;
    ctx_.actor = {domain::ActorType::kApiKey, "key_test", domain::Role::kAgent};
    ctx_.correlation_id = "corr-1";
    CreateAccountInput in;
    in.external_ref = "CUST-1";
    in.profile.name = "Jane Doe";
    in.profile.email = kEmail;
    in.profile.phone = kPhone;
    in.profile.address = "1 Main St";
    in.plan_codes = {"mobile_basic"};
    auto created = accounts_.CreateAccount(ctx_, in);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    account_id_ = created->account.account.id;
    version_before_ = created->account.account.version;
  }

  // Prepares `payload` and stores the request with what Prepare returned.
  Result<domain::Request> File(domain::RequestType type, json::object payload,
                               std::optional<std::string> service_id = std::nullopt) {
    std::optional<domain::Request> out;
    Status s = store_->Write([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(AccountState state, LoadAccountState(tx, ctx_.tenant_id, account_id_));
      PrepareArgs args{type, domain::Origin::kVoluntary, service_id, &payload, &policy_};
      SB_ASSIGN_OR_RETURN(json::object stored, PrepareEffect(tx, deps_, ctx_, state, args));
      domain::Request r;
      r.tenant_id = ctx_.tenant_id;
      r.id = crypto::NewId("req", clock_.Now());
      r.account_id = account_id_;
      r.type = type;
      r.state = domain::RequestState::kApproved;
      r.actor = ctx_.actor;
      r.correlation_id = ctx_.correlation_id;
      r.payload_json = json::serialize(stored);
      r.checks_json = "[]";
      r.result_json = "{}";
      r.history = {{domain::RequestState::kReceived, clock_.Now()}};
      r.created_at = r.updated_at = clock_.Now();
      SB_RETURN_IF_ERROR(tx.InsertRequest(r));
      out = std::move(r);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    last_request_id_ = out->id;
    return std::move(*out);
  }

  // Applies a filed request and stores its result on it.
  Result<json::object> Apply(domain::Request request) {
    std::optional<json::object> out;
    Status s = store_->Write([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(AccountState state, LoadAccountState(tx, ctx_.tenant_id, account_id_));
      ChangeRecorder rec(tx, ctx_, clock_.Now());
      SB_ASSIGN_OR_RETURN(out, ApplyEffect(tx, deps_, rec, state, request, policy_));
      request.result_json = json::serialize(*out);
      request.state = domain::RequestState::kCompleted;
      return tx.UpdateRequest(request);
    });
    if (!s.ok()) return s;
    return std::move(*out);
  }

  Result<json::object> Run(domain::RequestType type, json::object payload) {
    SB_ASSIGN_OR_RETURN(domain::Request r, File(type, std::move(payload)));
    return Apply(std::move(r));
  }

  AccountView View() {
    auto v = accounts_.GetAccount(ctx_, account_id_);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : AccountView{};
  }
  domain::Profile OpenedProfile() { return View().profile; }

  // The last request filed, as stored.
  domain::Request Stored() {
    domain::Request r;
    EXPECT_TRUE(store_
                    ->Read([&](domain::Tx& tx) -> Status {
                      SB_ASSIGN_OR_RETURN(r, tx.GetRequest(ctx_.tenant_id, last_request_id_));
                      return Status::Ok();
                    })
                    .ok());
    return r;
  }

  std::vector<domain::AuditEntry> Audit(std::optional<std::string> request_id) {
    domain::AuditFilter f;
    f.account_id = account_id_;
    f.request_id = std::move(request_id);
    f.limit = 100;
    std::vector<domain::AuditEntry> out;
    EXPECT_TRUE(store_
                    ->Read([&](domain::Tx& tx) -> Status {
                      SB_ASSIGN_OR_RETURN(auto page, tx.ListAuditEntries(ctx_.tenant_id, f));
                      out = std::move(page.items);
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }
  std::vector<domain::AuditEntry> AuditOfLastRequest() { return Audit(last_request_id_); }

  // None of `secrets` appears in the last request's payload or result, nor in any audit
  // entry of the account.
  void ExpectNothingInClear(std::initializer_list<std::string> secrets) {
    domain::Request r = Stored();
    std::vector<domain::AuditEntry> audit = Audit(std::nullopt);
    EXPECT_FALSE(audit.empty());
    for (const std::string& s : secrets) {
      EXPECT_EQ(r.payload_json.find(s), std::string::npos) << s << " in " << r.payload_json;
      EXPECT_EQ(r.result_json.find(s), std::string::npos) << s << " in " << r.result_json;
      for (const auto& e : audit) {
        EXPECT_EQ((e.before_json + e.after_json).find(s), std::string::npos)
            << s << " in audit " << e.action;
      }
    }
  }

  template <typename T>
  void ExpectRefused(const Result<T>& r, Code code, const std::string& reason,
                     const std::string& param) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_EQ(r.status().reason(), reason) << r.status().ToString();
    EXPECT_EQ(r.status().param(), param) << r.status().ToString();
  }

  void PlaceHold(domain::HoldType type) {
    CallContext c = ctx_;
    c.reason_code = "non_payment";
    PlaceHoldInput in;
    in.account_id = account_id_;
    in.type = type;
    auto r = accounts_.PlaceHold(c, in);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  void Close() {
    CallContext c = ctx_;
    c.reason_code = "account_closure";
    RequestOptions opts;  // involuntary: no identity check, no retention offer
    opts.origin = domain::Origin::kInvoluntary;
    auto r = accounts_.ChangeLifecycle(c, account_id_, AccountAction::kClose, opts);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->request.state, domain::RequestState::kCompleted);
  }

  ManualClock clock_{1'813'060'800'000};  // 2027-06-15T12:00:00Z
  Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_ = sb::testing::NewSqliteTestStore();
  Deps deps_{*store_, clock_, keyring_};
  AdminUseCases admin_{Deps{*store_, clock_, keyring_}};
  AccountUseCases accounts_{Deps{*store_, clock_, keyring_}};
  domain::RequestPolicy policy_;
  CallContext ctx_;
  std::string account_id_;
  std::int64_t version_before_ = 0;
  std::string last_request_id_;
};

}  // namespace sb::app
