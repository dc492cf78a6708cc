// Plan history and the reactivation of a closed account, through the request effects as the
// engine calls them: the services the closing ended come back, on the plan they had at
// closure or, when the pack says `restore_plans: previous`, on the plan before.
#include "app/accounts/plan_history.h"

#include <map>

#include "tests/support/effects_fixture.h"

namespace sb::app {
namespace {

using domain::RequestType;
using domain::ServiceStatus;

class ReactivationRestoresTest : public EffectsTest {
 protected:
  // An account on mobile_unlimited, fiber_500 and tv_plus. Over three days: tv_plus is
  // terminated on its own, mobile is downgraded to mobile_basic, and the account closes.
  void SetUp() override {
    EffectsTest::SetUp();
    AccountView v = NewAccount({"mobile_unlimited", "fiber_500", "tv_plus"});
    account_ = v.account.id;
    for (const auto& s : v.services) service_[s.plan_code] = s.id;
    Step(RequestType::kTermination, service_["tv_plus"], "{}");
    Step(RequestType::kPlanChange, service_["mobile_unlimited"], R"({"plan_code":"mobile_basic"})");
    Step(RequestType::kTermination, std::nullopt, "{}");
    for (const auto& s : View(account_).services) {
      EXPECT_EQ(s.status, ServiceStatus::kTerminated) << s.id;
    }
  }

  // Runs one request a day later than the last, and stores it completed as the engine does.
  void Step(RequestType type, std::optional<std::string> service_id, const std::string& payload) {
    clock_.Advance(kMillisPerDay);
    auto r = Run(type, account_, std::move(service_id), payload);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(auto req, tx.GetRequest(ctx_.tenant_id, last_request_id_));
      req.state = domain::RequestState::kCompleted;
      req.completed_at = clock_.Now();
      return tx.UpdateRequest(req);
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Each service's plan and status, by its first plan.
  std::map<std::string, std::string> Services() {
    std::map<std::string, std::string> out;
    for (const auto& [first, id] : service_) {
      for (const auto& s : View(account_).services) {
        if (s.id == id) out[first] = s.plan_code + "/" + std::string(domain::Name(s.status));
      }
    }
    return out;
  }

  std::vector<domain::PlanHistoryEntry> History() {
    std::vector<domain::PlanHistoryEntry> out;
    deps_.store.Read([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(out, tx.ListPlanHistory(ctx_.tenant_id, account_));
      return Status::Ok();
    });
    return out;
  }

  std::string account_;
  std::map<std::string, std::string> service_;  // first plan -> service id
};

TEST_F(ReactivationRestoresTest, ServicesComeBackOnThePlansTheyHadAtClosure) {
  clock_.Advance(kMillisPerDay);
  auto r = Run(RequestType::kReactivation, account_, std::nullopt, "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Services(), (std::map<std::string, std::string>{
                            {"fiber_500", "fiber_500/active"},
                            {"mobile_unlimited", "mobile_basic/active"},
                            {"tv_plus", "tv_plus/terminated"},  // ended before the closing
                        }));
  EXPECT_EQ((*r)["account_status"], "active");
  std::map<std::string, std::string> restored;  // service id -> plan/plan_at_closure/status
  for (const auto& item : (*r)["services_restored"].as_array()) {
    const auto& o = item.as_object();
    restored[std::string(o.at("service_id").as_string())] =
        std::string(o.at("plan").as_string()) + "/" +
        std::string(o.at("plan_at_closure").as_string()) + "/" +
        std::string(o.at("status").as_string());
  }
  EXPECT_EQ(restored, (std::map<std::string, std::string>{
                          {service_["mobile_unlimited"], "mobile_basic/mobile_basic/active"},
                          {service_["fiber_500"], "fiber_500/fiber_500/active"},
                      }));
  std::vector<std::string> actions = AuditActions(last_request_id_);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "service.restored"), 2);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "service.plan_changed"), 0);
}

TEST_F(ReactivationRestoresTest, PreviousPlanComesBackWhenThePackSaysSo) {
  policy_.restore_plans = domain::PlanRestore::kPrevious;
  clock_.Advance(kMillisPerDay);
  auto r = Run(RequestType::kReactivation, account_, std::nullopt, "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Services(), (std::map<std::string, std::string>{
                            {"fiber_500", "fiber_500/active"},
                            {"mobile_unlimited", "mobile_unlimited/active"},
                            {"tv_plus", "tv_plus/terminated"},
                        }));
  std::vector<std::string> actions = AuditActions(last_request_id_);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "service.plan_changed"), 1);
  // The history shows every plan the mobile line was on, with the request that set it.
  std::vector<std::string> mobile;
  for (const auto& e : History()) {
    if (e.service_id == service_["mobile_unlimited"]) mobile.push_back(e.plan_code);
  }
  EXPECT_EQ(mobile,
            (std::vector<std::string>{"mobile_unlimited", "mobile_basic", "mobile_unlimited"}));
  EXPECT_EQ(History().back().request_id, last_request_id_);
  EXPECT_EQ(History().back().at, clock_.Now());
}

// A previous plan the catalogue no longer offers: the service keeps the plan at closure.
TEST_F(ReactivationRestoresTest, WithdrawnPreviousPlanKeepsThePlanAtClosure) {
  policy_.restore_plans = domain::PlanRestore::kPrevious;
  Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto plan, tx.GetPlan(ctx_.tenant_id, "mobile_unlimited"));
    plan.active = false;
    return tx.UpsertPlan(plan);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto r = Run(RequestType::kReactivation, account_, std::nullopt, "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Services()["mobile_unlimited"], "mobile_basic/active");
}

TEST_F(EffectsTest, ReactivatingADormantAccountRestoresNothing) {
  AccountView v = NewAccount();
  Lifecycle(v.account.id, domain::LifecycleMove::kMarkDormant);
  auto r = Run(RequestType::kReactivation, v.account.id, std::nullopt, "{}");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(boost::json::serialize((*r)["services_restored"]), "[]");
  for (const auto& s : View(v.account.id).services) EXPECT_EQ(s.status, ServiceStatus::kActive);
}

// Every way a service gets a plan leaves an entry: opening the account and a plan change.
TEST_F(EffectsTest, PlansAreRecordedWithTheRequestThatSetThem) {
  AccountView v = NewAccount({"mobile_basic"});
  std::string svc = v.services[0].id;
  clock_.Advance(kMillisPerMinute);
  auto r = Run(RequestType::kPlanChange, v.account.id, svc, R"({"plan_code":"mobile_unlimited"})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<domain::PlanHistoryEntry> history;
  deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(history, tx.ListPlanHistory(ctx_.tenant_id, v.account.id));
    return Status::Ok();
  });
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].plan_code, "mobile_basic");
  EXPECT_FALSE(history[0].request_id.empty());
  EXPECT_EQ(history[1].plan_code, "mobile_unlimited");
  EXPECT_EQ(history[1].request_id, last_request_id_);
  EXPECT_EQ(history[1].at, clock_.Now());
}

}  // namespace
}  // namespace sb::app
