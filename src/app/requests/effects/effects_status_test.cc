// Effects of reconnection, reactivation, activation, suspension and status_sync over a real
// SQLite store, called as the request engine calls them.
#include "tests/support/effects_fixture.h"

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::AccountLifecycle;
using domain::AccountStatus;
using domain::HoldState;
using domain::HoldType;
using domain::RequestType;
using domain::ServiceStatus;

std::string StatusServiceOn(const AccountView& v, const std::string& plan) {
  for (const auto& s : v.services) {
    if (s.plan_code == plan) return s.id;
  }
  return "";
}

// "$<plan>" stands for the account's service on that plan.
std::optional<std::string> Resolve(const AccountView& v, const std::optional<std::string>& id) {
  if (id && !id->empty() && (*id)[0] == '$') return StatusServiceOn(v, id->substr(1));
  return id;
}

const domain::Service& ServiceIn(const AccountView& v, const std::string& id) {
  for (const auto& s : v.services) {
    if (s.id == id) return s;
  }
  static domain::Service none;
  return none;
}

class StatusEffectsTest : public EffectsTest {
 protected:
  // Runs each refusal through Prepare and checks it changed nothing.
  void ExpectAllRefused(RequestType type, const AccountView& v, const std::vector<Refusal>& cases) {
    std::string before = Fingerprint(v.account.id);
    for (const auto& c : cases) {
      ExpectRefused(Prepare(type, v.account.id, Resolve(v, c.service_id), c.payload), c);
    }
    EXPECT_EQ(Fingerprint(v.account.id), before);
  }
};

TEST_F(StatusEffectsTest, ReconnectionLiftsWhatTheCustomerCanClearButNotOwnersHolds) {
  AccountView v = NewAccount();
  std::string mobile = StatusServiceOn(v, "mobile_basic");
  domain::Hold debt = Place(v.account.id, mobile);
  domain::Hold fraud = Place(v.account.id, std::nullopt, HoldType::kFraudReview);
  domain::Hold other = Place(v.account.id, StatusServiceOn(v, "fiber_500"));

  auto r = Run(RequestType::kReconnection, v.account.id, mobile, "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(json::serialize((*r)["lifted_holds"]), "[\"" + debt.id + "\"]");
  EXPECT_EQ((*r)["service_status"], "suspended");
  EXPECT_EQ(json::serialize((*r)["still_blocked_by"]), "[\"" + fraud.id + "\"]");
  for (const auto& h : AllHolds(v.account.id)) {
    if (h.id != debt.id) {
      EXPECT_EQ(h.state, HoldState::kActive) << Name(h.type);
      continue;
    }
    EXPECT_EQ(h.state, HoldState::kLifted);
    EXPECT_EQ(h.released_by_request_id, last_request_id_);
    EXPECT_EQ(h.released_reason_code, "customer_request");
    EXPECT_EQ(h.released_at, clock_.Now());
  }
  EXPECT_EQ(AuditActions(last_request_id_), std::vector<std::string>{"hold.lifted"});
}

TEST_F(StatusEffectsTest, ReconnectionOfNamedHoldsBringsTheServiceBack) {
  AccountView v = NewAccount();
  std::string mobile = StatusServiceOn(v, "mobile_basic");
  domain::Hold debt = Place(v.account.id, mobile);
  domain::Hold fraud = Place(v.account.id, std::nullopt, HoldType::kFraudReview);
  std::string payload = "{\"hold_ids\":[\"" + debt.id + "\",\"" + fraud.id + "\"]}";
  auto r = Run(RequestType::kReconnection, v.account.id, mobile, payload);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["service_status"], "active");
  EXPECT_TRUE((*r)["still_blocked_by"].as_array().empty());
  AccountView after = View(v.account.id);
  EXPECT_EQ(after.account.status, AccountStatus::kActive);
  EXPECT_TRUE(after.active_holds.empty());
  EXPECT_EQ(ServiceIn(after, mobile).status, ServiceStatus::kActive);
  auto actions = AuditActions(last_request_id_);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "hold.lifted"), 2);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "service.reconnected"), 2);
}

TEST_F(StatusEffectsTest, ReconnectionRefusals) {
  AccountView v = NewAccount({"mobile_basic", "fiber_500", "tv_plus"});
  std::string mobile = StatusServiceOn(v, "mobile_basic");
  domain::Hold debt = Place(v.account.id, mobile);
  domain::Hold fiber = Place(v.account.id, StatusServiceOn(v, "fiber_500"));
  domain::Hold lifted = Place(v.account.id, mobile, HoldType::kVoluntaryPause);
  ASSERT_TRUE(accounts_.LiftHold(System(), lifted.id).ok());
  Terminate(StatusServiceOn(v, "tv_plus"));
  AccountView other = NewAccount({"mobile_basic"});
  domain::Hold foreign = Place(other.account.id, std::nullopt);
  auto ids = [](const std::string& id) { return "{\"hold_ids\":[\"" + id + "\"]}"; };
  std::string named_fiber = ids(fiber.id), named_lifted = ids(lifted.id),
              named_foreign = ids(foreign.id), named_twice = ids(debt.id + "\",\"" + debt.id);
  ExpectAllRefused(
      RequestType::kReconnection, View(v.account.id),
      {
          // Without a service a reconnection lifts exactly the holds it names.
          {"no service, no holds", std::nullopt, "{}", Code::kInvalidArgument, "required",
           "payload.hold_ids"},
          {"foreign service", StatusServiceOn(other, "mobile_basic"), "{}", Code::kNotFound,
           "not_found", "service_id"},
          {"unknown service", "svc_nope", "{}", Code::kNotFound, "not_found", "service_id"},
          {"terminated", "$tv_plus", "{}", Code::kConflict, "service_terminated", "service_id"},
          {"unknown field", "$mobile_basic", "{\"force\":true}", Code::kInvalidArgument,
           "unknown_field", "payload.force"},
          {"hold_ids not a list", "$mobile_basic", "{\"hold_ids\":\"x\"}", Code::kInvalidArgument,
           "invalid", "payload.hold_ids"},
          {"empty hold_ids", "$mobile_basic", "{\"hold_ids\":[]}", Code::kInvalidArgument,
           "invalid", "payload.hold_ids"},
          {"repeated hold", "$mobile_basic", named_twice.c_str(), Code::kInvalidArgument, "invalid",
           "payload.hold_ids"},
          {"unknown hold", "$mobile_basic", "{\"hold_ids\":[\"hld_nope\"]}", Code::kNotFound,
           "not_found", "payload.hold_ids"},
          {"other account's hold", "$mobile_basic", named_foreign.c_str(), Code::kNotFound,
           "not_found", "payload.hold_ids"},
          {"lifted hold", "$mobile_basic", named_lifted.c_str(), Code::kConflict, "hold_not_active",
           "payload.hold_ids"},
          {"hold on another service", "$mobile_basic", named_fiber.c_str(), Code::kConflict,
           "hold_not_blocking", "payload.hold_ids"},
      });
  ASSERT_TRUE(accounts_.LiftHold(System(), fiber.id).ok());
  ExpectRefused(
      Prepare(RequestType::kReconnection, v.account.id, StatusServiceOn(v, "fiber_500"), "{}"),
      {"not suspended", {}, "", Code::kConflict, "not_suspended", "service_id"});
}

TEST_F(StatusEffectsTest, ReconnectionChecksAgainWhenApplied) {
  AccountView v = NewAccount();
  std::string mobile = StatusServiceOn(v, "mobile_basic");
  domain::Hold debt = Place(v.account.id, mobile);
  auto filed = File(RequestType::kReconnection, v.account.id, mobile, "{}");
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  ASSERT_TRUE(accounts_.LiftHold(System(), debt.id).ok());  // paid meanwhile
  std::string before = Fingerprint(v.account.id);
  ExpectRefused(Apply(*filed),
                {"moved on", {}, "", Code::kConflict, "not_suspended", "service_id"});
  EXPECT_EQ(Fingerprint(v.account.id), before);
}

TEST_F(StatusEffectsTest, ReactivationOfADormantAccountWithAnOffer) {
  AccountView v = NewAccount();
  domain::Hold idle = Place(v.account.id, std::nullopt, HoldType::kInactivity);
  Lifecycle(v.account.id, domain::LifecycleMove::kMarkDormant);
  auto r = Run(RequestType::kReactivation, v.account.id, std::nullopt,
               R"({"offer_code":"WELCOME_BACK"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["account_status"], "active");
  EXPECT_EQ((*r)["offer"].at("discount_percent"), 20);
  EXPECT_EQ((*r)["offer"].at("duration_months"), 3);
  EXPECT_EQ(json::serialize((*r)["lifted_holds"]), "[\"" + idle.id + "\"]");
  AccountView after = View(v.account.id);
  EXPECT_EQ(after.account.lifecycle, AccountLifecycle::kActive);
  EXPECT_EQ(after.account.status, AccountStatus::kActive);
  EXPECT_TRUE(after.active_holds.empty());
  for (const auto& s : after.services) EXPECT_EQ(s.status, ServiceStatus::kActive);
  auto actions = AuditActions(last_request_id_);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "offer.accepted"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "account.lifecycle_active"), actions.end());
}

TEST_F(StatusEffectsTest, ReactivationOfAClosedAccountWithoutOffer) {
  AccountView v = NewAccount();
  Lifecycle(v.account.id, domain::LifecycleMove::kClose);
  auto r = Run(RequestType::kReactivation, v.account.id, std::nullopt, "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->contains("offer"));
  EXPECT_EQ(View(v.account.id).account.status, AccountStatus::kActive);
  auto actions = AuditActions(last_request_id_);
  EXPECT_EQ(std::find(actions.begin(), actions.end(), "offer.accepted"), actions.end());
}

TEST_F(StatusEffectsTest, ReactivationRefusals) {
  AccountView active = NewAccount();
  ExpectAllRefused(RequestType::kReactivation, active,
                   {{"active", std::nullopt, "{}", Code::kConflict, "not_dormant", ""}});
  AccountView v = NewAccount();
  Lifecycle(v.account.id, domain::LifecycleMove::kMarkDormant);
  ExpectAllRefused(RequestType::kReactivation, v,
                   {
                       {"unknown offer", std::nullopt, R"({"offer_code":"FREE_MONEY"})",
                        Code::kUnprocessable, "unknown_offer", "payload.offer_code"},
                       {"offer not text", std::nullopt, R"({"offer_code":7})",
                        Code::kInvalidArgument, "invalid", "payload.offer_code"},
                       {"unknown field", std::nullopt, R"({"discount":50})", Code::kInvalidArgument,
                        "unknown_field", "payload.discount"},
                       {"service named", "$mobile_basic", "{}", Code::kInvalidArgument,
                        "not_applicable", "service_id"},
                   });
}

TEST_F(StatusEffectsTest, ActivationStartsServiceOfAPendingAccount) {
  AccountView v = NewAccount({"mobile_basic"}, /*pending=*/true);
  ASSERT_EQ(v.services[0].status, ServiceStatus::kPending);
  auto r = Run(RequestType::kActivation, v.account.id, std::nullopt, "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["account_status"], "active");
  EXPECT_EQ((*r)["services"].at(v.services[0].id), "active");
  EXPECT_EQ(View(v.account.id).account.lifecycle, AccountLifecycle::kActive);
  ExpectAllRefused(RequestType::kActivation, View(v.account.id),
                   {{"active", std::nullopt, "{}", Code::kConflict, "not_pending", ""}});
  AccountView pending = NewAccount({}, /*pending=*/true);
  ExpectAllRefused(RequestType::kActivation, pending,
                   {{"field", std::nullopt, R"({"at":"now"})", Code::kInvalidArgument,
                     "unknown_field", "payload.at"}});
}

TEST_F(StatusEffectsTest, SuspensionOfTheAccountPlacesAHoldForTheRequest) {
  AccountView v = NewAccount();
  auto r = Run(RequestType::kSuspension, v.account.id, std::nullopt,
               R"({"hold_type":"policy_violation","owner":"trust-team"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["account_status"], "suspended");
  AccountView after = View(v.account.id);
  ASSERT_EQ(after.active_holds.size(), 1u);
  const domain::Hold& h = after.active_holds[0];
  EXPECT_EQ((*r)["hold_id"].as_string(), h.id);
  EXPECT_EQ(h.type, HoldType::kPolicyViolation);
  EXPECT_TRUE(h.blocks_changes);  // the type's default
  EXPECT_EQ(h.owner, "trust-team");
  EXPECT_EQ(h.source, "client_system");
  EXPECT_EQ(h.placed_by_request_id, last_request_id_);
  for (const auto& s : after.services) EXPECT_EQ(s.status, ServiceStatus::kSuspended);
  EXPECT_EQ(AuditActions(last_request_id_),
            (std::vector<std::string>{"account.suspended", "hold.placed", "service.suspended",
                                      "service.suspended"}));
}

TEST_F(StatusEffectsTest, SuspensionOfOneServiceUntilAGivenTime) {
  AccountView v = NewAccount();
  std::string fiber = StatusServiceOn(v, "fiber_500");
  auto r = Run(RequestType::kSuspension, v.account.id, fiber,
               R"({"hold_type":"voluntary_pause","blocks_billing":false,
                   "expires_at":"2027-03-01T00:00:00Z"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["account_status"], "active");
  EXPECT_EQ((*r)["services"].at(fiber), "suspended");
  EXPECT_EQ((*r)["services"].at(StatusServiceOn(v, "mobile_basic")), "active");
  AccountView after = View(v.account.id);
  ASSERT_EQ(after.active_holds.size(), 1u);
  EXPECT_FALSE(after.active_holds[0].blocks_billing);
  EXPECT_EQ(after.active_holds[0].service_id, fiber);
  std::vector<domain::Job> jobs;
  store_->Read([&](domain::Tx& tx) -> Status {
    jobs = *tx.ListJobs(ctx_.tenant_id, after.active_holds[0].id);
    return Status::Ok();
  });
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].kind, "hold.expire");
  EXPECT_EQ(jobs[0].run_at, *ParseRfc3339("2027-03-01T00:00:00Z"));
}

TEST_F(StatusEffectsTest, SuspensionRefusals) {
  AccountView v = NewAccount({"mobile_basic", "tv_plus"});
  Terminate(StatusServiceOn(v, "tv_plus"));
  v = View(v.account.id);
  ExpectAllRefused(
      RequestType::kSuspension, v,
      {
          {"no type", std::nullopt, "{}", Code::kInvalidArgument, "required", "payload.hold_type"},
          {"unknown type", std::nullopt, R"({"hold_type":"vacation"})", Code::kInvalidArgument,
           "invalid", "payload.hold_type"},
          {"flag not bool", std::nullopt, R"({"hold_type":"non_payment","blocks_service":1})",
           Code::kInvalidArgument, "invalid", "payload.blocks_service"},
          {"blocks nothing", std::nullopt,
           R"({"hold_type":"data_outdated","blocks_changes":false})", Code::kInvalidArgument,
           "invalid", "payload.blocks_service"},
          {"expiry past", std::nullopt,
           R"({"hold_type":"non_payment","expires_at":"2027-02-01T00:00:00Z"})",
           Code::kInvalidArgument, "invalid", "payload.expires_at"},
          {"expiry garbled", std::nullopt, R"({"hold_type":"non_payment","expires_at":"soon"})",
           Code::kInvalidArgument, "invalid", "payload.expires_at"},
          {"unknown field", std::nullopt, R"({"hold_type":"non_payment","reason":"x"})",
           Code::kInvalidArgument, "unknown_field", "payload.reason"},
          {"unknown service", "svc_nope", R"({"hold_type":"non_payment"})", Code::kNotFound,
           "not_found", "service_id"},
          {"terminated service", "$tv_plus", R"({"hold_type":"non_payment"})", Code::kConflict,
           "service_terminated", "service_id"},
      });
  Lifecycle(v.account.id, domain::LifecycleMove::kClose);
  ExpectAllRefused(RequestType::kSuspension, v,
                   {{"closed", std::nullopt, R"({"hold_type":"non_payment"})", Code::kConflict,
                     "account_closed", ""}});
}

TEST_F(StatusEffectsTest, StatusSyncRederivesAndReports) {
  AccountView v = NewAccount({"mobile_basic"});
  Place(v.account.id, std::nullopt);
  auto r = Run(RequestType::kStatusSync, v.account.id, std::nullopt, "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["account_status"], "suspended");
  EXPECT_EQ((*r)["services"].at(v.services[0].id), "suspended");
  EXPECT_EQ(View(v.account.id).account.version, v.account.version + 2);  // hold, then sync
  ExpectAllRefused(RequestType::kStatusSync, v,
                   {{"field", std::nullopt, R"({"deep":true})", Code::kInvalidArgument,
                     "unknown_field", "payload.deep"}});
}

}  // namespace
}  // namespace sb::app
