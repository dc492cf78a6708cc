#pragma once

// Fixture for the account-data request effect tests: EffectsTest (effects_fixture.h) with one
// account of a known profile, requests filed on it with JSON payloads, and checks that
// personal data never lands in clear.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/account_data.h"
#include "tests/support/effects_fixture.h"

namespace sb::app {

namespace json = boost::json;

class ProfileEffectsTest : public EffectsTest {
 protected:
  static constexpr const char* kEmail = "jane@example.com";
  static constexpr const char* kPhone = "+33600000000";

  ProfileEffectsTest() : EffectsTest(1'813'060'800'000) {}  // 2027-06-15T12:00:00Z

  void SetUp() override {
    EffectsTest::SetUp();
    if (HasFatalFailure()) return;
    ctx_.reason_code.clear();
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

  using EffectsTest::File;
  // Prepares `payload` for the test's account and stores the request as Prepare left it.
  Result<domain::Request> File(domain::RequestType type, json::object payload,
                               std::optional<std::string> service_id = std::nullopt) {
    return File(type, account_id_, std::move(service_id), std::move(payload));
  }

  using EffectsTest::Run;
  Result<json::object> Run(domain::RequestType type, json::object payload) {
    SB_ASSIGN_OR_RETURN(domain::Request r, File(type, std::move(payload)));
    return Apply(std::move(r));
  }

  using EffectsTest::View;
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
    c.actor.role = domain::Role::kSupervisor;  // only a supervisor may claim involuntary
    RequestOptions opts;                       // involuntary: no identity check, no retention offer
    opts.origin = domain::Origin::kInvoluntary;
    auto r = accounts_.ChangeLifecycle(c, account_id_, AccountAction::kClose, opts);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->request.state, domain::RequestState::kCompleted);
  }

  std::string account_id_;
  std::int64_t version_before_ = 0;
};

}  // namespace sb::app
