// Effects of termination, plan_change and billing_adjustment over a real SQLite store,
// called as the request engine calls them.
#include "tests/support/effects_fixture.h"

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::AccountLifecycle;
using domain::AccountStatus;
using domain::HoldType;
using domain::RequestType;
using domain::ServiceStatus;

std::string ServiceOn(const AccountView& v, const std::string& plan) {
  for (const auto& s : v.services) {
    if (s.plan_code == plan) return s.id;
  }
  return "";
}

class BillingEffectsTest : public EffectsTest {
 protected:
  void AddPlan(const std::string& code, std::int64_t price, bool active = true) {
    ASSERT_TRUE(store_
                    ->Write([&](domain::Tx& tx) {
                      return tx.UpsertPlan({ctx_.tenant_id, code, code, price, "EUR", active});
                    })
                    .ok());
  }

  // Runs each refusal through Prepare (service "$<plan>" resolved) and checks it changed
  // nothing.
  void ExpectAllRefused(RequestType type, const AccountView& v, const std::vector<Refusal>& cases) {
    std::string before = Fingerprint(v.account.id);
    for (const auto& c : cases) {
      std::optional<std::string> svc = c.service_id;
      if (svc && (*svc)[0] == '$') svc = ServiceOn(v, svc->substr(1));
      ExpectRefused(Prepare(type, v.account.id, svc, c.payload), c);
    }
    EXPECT_EQ(Fingerprint(v.account.id), before);
  }

  static std::int64_t Int(const json::value& v, const char* key) {
    return v.as_object().at(key).as_int64();
  }
};

TEST_F(BillingEffectsTest, TerminatingOneServiceSettlesIt) {
  AccountView v = NewAccount({"mobile_basic", "fiber_500"}, false, 2500);
  std::string fiber = ServiceOn(v, "fiber_500");
  auto r = Run(RequestType::kTermination, v.account.id, fiber, "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const json::value& settlement = (*r)["settlement"];
  EXPECT_EQ(json::serialize(settlement.at("services_terminated")), "[\"" + fiber + "\"]");
  EXPECT_EQ(Int(settlement, "amount_due_minor"), 2500);
  EXPECT_EQ(settlement.at("settled_at"), json::value(FormatRfc3339(clock_.Now())));
  AccountView after = View(v.account.id);
  EXPECT_EQ(after.account.status, AccountStatus::kActive);
  for (const auto& s : after.services) {
    EXPECT_EQ(s.status, s.id == fiber ? ServiceStatus::kTerminated : ServiceStatus::kActive);
  }
  EXPECT_EQ(AuditActions(last_request_id_), std::vector<std::string>{"service.terminated"});
}

TEST_F(BillingEffectsTest, ClosingTheAccountTerminatesEverythingAndRecordsTheSettlement) {
  AccountView v = NewAccount({"mobile_basic", "fiber_500"}, false, 4200);
  auto r = Run(RequestType::kTermination, v.account.id, std::nullopt, "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)["account_status"], "closed");
  const json::value& settlement = (*r)["settlement"];
  EXPECT_EQ(Int(settlement, "amount_due_minor"), 4200);
  EXPECT_EQ(settlement.at("currency"), "EUR");
  EXPECT_EQ(settlement.at("services_terminated").as_array().size(), 2u);
  AccountView after = View(v.account.id);
  EXPECT_EQ(after.account.lifecycle, AccountLifecycle::kClosed);
  for (const auto& s : after.services) EXPECT_EQ(s.status, ServiceStatus::kTerminated);
  EXPECT_EQ(AuditActions(last_request_id_),
            (std::vector<std::string>{"account.closed", "account.final_settlement",
                                      "account.lifecycle_closed", "service.terminated",
                                      "service.terminated"}));
}

TEST_F(BillingEffectsTest, TerminationRefusals) {
  AccountView v = NewAccount({"mobile_basic", "tv_plus"});
  Terminate(ServiceOn(v, "tv_plus"));
  ExpectAllRefused(
      RequestType::kTermination, View(v.account.id),
      {
          {"terminated", "$tv_plus", "{}", Code::kConflict, "service_terminated", "service_id"},
          {"unknown service", "svc_nope", "{}", Code::kNotFound, "not_found", "service_id"},
          {"unknown field", std::nullopt, R"({"refund":true})", Code::kInvalidArgument,
           "unknown_field", "payload.refund"},
      });
  Lifecycle(v.account.id, domain::LifecycleMove::kClose);
  ExpectAllRefused(RequestType::kTermination, v,
                   {{"closed", std::nullopt, "{}", Code::kConflict, "account_closed", ""}});
}

TEST_F(BillingEffectsTest, PlanChangeProratesTheRestOfTheMonth) {
  AddPlan("mobile_plus", 1500);
  struct Case {
    const char* from;
    const char* to;
    std::int64_t due_before;
    const char* direction;
    std::int64_t amount, due_after, unused_credit;
  };
  // 2027-02-10: 19 of February's 28 days are left, today included.
  const Case cases[] = {
      {"mobile_basic", "mobile_unlimited", 500, "upgrade", 1357, 1857, 0},  // 2000*19/28
      {"fiber_500", "mobile_basic", 5000, "downgrade", -2035, 2965, 0},     // toward zero
      {"fiber_500", "mobile_basic", 1000, "downgrade", -2035, 0, 1035},     // credit kept
      {"mobile_basic", "mobile_plus", 700, "same_price", 0, 700, 0},
  };
  for (const Case& c : cases) {
    AccountView v = NewAccount({c.from}, false, c.due_before);
    std::string svc = v.services[0].id;
    auto r = Run(RequestType::kPlanChange, v.account.id, svc,
                 std::string(R"({"plan_code":")") + c.to + "\"}");
    ASSERT_TRUE(r.ok()) << c.to << ": " << r.status().ToString();
    EXPECT_EQ((*r)["from_plan"], c.from);
    EXPECT_EQ((*r)["to_plan"], c.to);
    EXPECT_EQ((*r)["direction"], c.direction);
    const json::value& p = (*r)["proration"];
    EXPECT_EQ(Int(p, "amount_minor"), c.amount) << c.to;
    EXPECT_EQ(Int(p, "days_left"), 19);
    EXPECT_EQ(Int(p, "days_in_period"), 28);
    EXPECT_EQ(Int(p, "unused_credit_minor"), c.unused_credit) << c.to;
    EXPECT_EQ(p.at("currency"), "EUR");
    AccountView after = View(v.account.id);
    EXPECT_EQ(after.account.amount_due_minor, c.due_after) << c.to;
    EXPECT_EQ(after.services[0].plan_code, c.to);
    EXPECT_EQ(AuditActions(last_request_id_),
              (std::vector<std::string>{"billing.prorated", "service.plan_changed"}));
  }
}

TEST_F(BillingEffectsTest, ProrationOnTheLastDayOfTheYear) {
  clock_.Set(*ParseRfc3339("2027-12-31T23:30:00Z"));
  AccountView v = NewAccount({"mobile_basic"});
  auto r = Run(RequestType::kPlanChange, v.account.id, v.services[0].id,
               R"({"plan_code":"mobile_unlimited"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Int((*r)["proration"], "days_left"), 1);
  EXPECT_EQ(Int((*r)["proration"], "days_in_period"), 31);
  EXPECT_EQ(Int((*r)["proration"], "amount_minor"), 64);  // 2000 / 31
}

TEST_F(BillingEffectsTest, PlanChangeRefusals) {
  AddPlan("legacy", 900, /*active=*/false);
  AccountView v = NewAccount({"mobile_basic", "tv_plus"});
  Terminate(ServiceOn(v, "tv_plus"));
  v = View(v.account.id);
  const char* unlimited = R"({"plan_code":"mobile_unlimited"})";
  ExpectAllRefused(
      RequestType::kPlanChange, v,
      {
          {"no service", std::nullopt, unlimited, Code::kInvalidArgument, "required", "service_id"},
          {"unknown service", "svc_nope", unlimited, Code::kNotFound, "not_found", "service_id"},
          {"terminated", "$tv_plus", unlimited, Code::kConflict, "service_terminated",
           "service_id"},
          {"no plan", "$mobile_basic", "{}", Code::kInvalidArgument, "required",
           "payload.plan_code"},
          {"plan not text", "$mobile_basic", R"({"plan_code":3})", Code::kInvalidArgument,
           "invalid", "payload.plan_code"},
          {"unknown plan", "$mobile_basic", R"({"plan_code":"gold"})", Code::kNotFound, "not_found",
           "payload.plan_code"},
          {"inactive plan", "$mobile_basic", R"({"plan_code":"legacy"})", Code::kUnprocessable,
           "plan_inactive", "payload.plan_code"},
          {"same plan", "$mobile_basic", R"({"plan_code":"mobile_basic"})", Code::kConflict,
           "same_plan", "payload.plan_code"},
          {"unknown field", "$mobile_basic", R"({"plan_code":"tv_plus","at":1})",
           Code::kInvalidArgument, "unknown_field", "payload.at"},
      });
  Place(v.account.id, std::nullopt, HoldType::kKycIncomplete);  // blocks changes
  ExpectAllRefused(
      RequestType::kPlanChange, View(v.account.id),
      {{"blocked", "$mobile_basic", unlimited, Code::kConflict, "changes_blocked", ""}});
  AccountView dollars = NewAccount({"mobile_basic"}, false, 0, "USD");
  ExpectAllRefused(RequestType::kPlanChange, dollars,
                   {{"currency", "$mobile_basic", unlimited, Code::kUnprocessable,
                     "currency_mismatch", "payload.plan_code"}});
}

TEST_F(BillingEffectsTest, PlanChangeChecksAgainWhenApplied) {
  AccountView v = NewAccount({"mobile_basic"});
  auto filed = File(RequestType::kPlanChange, v.account.id, v.services[0].id,
                    R"({"plan_code":"mobile_unlimited"})");
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  Place(v.account.id, std::nullopt, HoldType::kFraudReview);
  std::string before = Fingerprint(v.account.id);
  ExpectRefused(Apply(*filed), {"blocked", {}, "", Code::kConflict, "changes_blocked", ""});
  EXPECT_EQ(Fingerprint(v.account.id), before);
}

TEST_F(BillingEffectsTest, AdjustmentsMoveTheAmountDue) {
  struct Case {
    const char* payload;
    std::int64_t due_before, applied, due_after;
  };
  const Case cases[] = {
      {R"({"kind":"debit","amount_minor":1200,"currency":"EUR"})", 300, 1200, 1500},
      {R"({"kind":"credit","amount_minor":200,"currency":"EUR"})", 300, 200, 100},
      {R"({"kind":"credit","amount_minor":900,"currency":"EUR"})", 300, 300, 0},  // clamped
  };
  for (const Case& c : cases) {
    AccountView v = NewAccount({}, false, c.due_before);
    auto r = Run(RequestType::kBillingAdjustment, v.account.id, std::nullopt, c.payload);
    ASSERT_TRUE(r.ok()) << c.payload << ": " << r.status().ToString();
    EXPECT_EQ(Int(*r, "applied_minor"), c.applied) << c.payload;
    EXPECT_EQ(Int(*r, "amount_due_minor"), c.due_after) << c.payload;
    EXPECT_EQ(View(v.account.id).account.amount_due_minor, c.due_after) << c.payload;
    EXPECT_EQ(AuditActions(last_request_id_), std::vector<std::string>{"billing.adjusted"});
  }
}

TEST_F(BillingEffectsTest, AdjustmentRefusals) {
  AccountView v = NewAccount({"mobile_basic"});
  ExpectAllRefused(
      RequestType::kBillingAdjustment, v,
      {
          {"no kind", std::nullopt, R"({"amount_minor":1,"currency":"EUR"})",
           Code::kInvalidArgument, "required", "payload.kind"},
          {"bad kind", std::nullopt, R"({"kind":"gift","amount_minor":1,"currency":"EUR"})",
           Code::kInvalidArgument, "invalid", "payload.kind"},
          {"no amount", std::nullopt, R"({"kind":"debit","currency":"EUR"})",
           Code::kInvalidArgument, "required", "payload.amount_minor"},
          {"zero", std::nullopt, R"({"kind":"debit","amount_minor":0,"currency":"EUR"})",
           Code::kInvalidArgument, "invalid", "payload.amount_minor"},
          {"negative", std::nullopt, R"({"kind":"credit","amount_minor":-5,"currency":"EUR"})",
           Code::kInvalidArgument, "invalid", "payload.amount_minor"},
          {"fraction", std::nullopt, R"({"kind":"debit","amount_minor":1.5,"currency":"EUR"})",
           Code::kInvalidArgument, "invalid", "payload.amount_minor"},
          {"too large", std::nullopt,
           R"({"kind":"debit","amount_minor":1000000000001,"currency":"EUR"})",
           Code::kInvalidArgument, "invalid", "payload.amount_minor"},
          {"huge", std::nullopt,
           R"({"kind":"debit","amount_minor":18446744073709551615,"currency":"EUR"})",
           Code::kInvalidArgument, "invalid", "payload.amount_minor"},
          {"no currency", std::nullopt, R"({"kind":"debit","amount_minor":1})",
           Code::kInvalidArgument, "required", "payload.currency"},
          {"other currency", std::nullopt, R"({"kind":"debit","amount_minor":1,"currency":"USD"})",
           Code::kUnprocessable, "currency_mismatch", "payload.currency"},
          {"unknown field", std::nullopt,
           R"({"kind":"debit","amount_minor":1,"currency":"EUR","note":"x"})",
           Code::kInvalidArgument, "unknown_field", "payload.note"},
          {"service named", "$mobile_basic",
           R"({"kind":"debit","amount_minor":1,"currency":"EUR"})", Code::kInvalidArgument,
           "not_applicable", "service_id"},
      });
}

}  // namespace
}  // namespace sb::app
