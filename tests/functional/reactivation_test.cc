// Reactivating a closed account over HTTP: the services the account had when it closed come
// back on their plans (or on the plan before their last change, when the pack says
// `restore_plans: previous`); a service terminated before the closing stays terminated.
// Each restored service is announced to the client's systems like a reconnection.

#include <map>

#include "tests/support/tenant_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class Reactivation : public OwnTenant {
 protected:
  // An account on mobile_unlimited, fiber_500 and tv_plus: tv_plus is terminated, mobile
  // downgraded to mobile_basic, then the account closed through the request engine (identity
  // proven, consent recorded, the retention offer declined). Returns the account id.
  std::string ClosedAccount() {
    json::object acc =
        NewAccount({{"plans", json::array{"mobile_unlimited", "fiber_500", "tv_plus"}}});
    std::string id = Str(acc, "id");
    for (const auto& s : acc.at("services").as_array()) {
      first_plan_[Str(s, "id")] = Str(s, "plan");
    }
    HttpResponse proof = Api("POST", "/v1/accounts/" + id + "/verifications",
                             R"({"kind":"identity","method":"document_check","level":2})");
    EXPECT_EQ(proof.status, 201) << proof.body;
    json::object tv = File({{"type", "termination"},
                            {"account_id", id},
                            {"service_id", ServiceOn(id, "tv_plus")},
                            {"consent", {{"method", "recorded_call"}}}},
                           "customer_request");
    Decline(tv);
    json::object downgrade = File({{"type", "plan_change"},
                                   {"account_id", id},
                                   {"service_id", ServiceOn(id, "mobile_unlimited")},
                                   {"payload", {{"plan_code", "mobile_basic"}}}},
                                  "customer_request");
    EXPECT_EQ(Str(downgrade, "state"), "completed") << json::serialize(downgrade);
    json::object close = File(
        {{"type", "termination"}, {"account_id", id}, {"consent", {{"method", "recorded_call"}}}},
        "customer_request");
    Decline(close);
    EXPECT_EQ(Str(Account(id), "status"), "closed");
    return id;
  }

  // Declines the retention offer a termination waits on, which completes it.
  void Decline(const json::object& termination) {
    if (Str(termination, "state") != "awaiting_customer") return;
    HttpResponse r = Api("POST", "/v1/requests/" + Str(termination, "id") + "/offer",
                         R"({"decision":"decline"})");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Str(r.Json(), "state"), "completed") << r.body;
  }

  // The id of the account's service now on `plan`.
  std::string ServiceOn(const std::string& account, const std::string& plan) {
    json::object acc = Account(account);
    for (const auto& s : acc.at("services").as_array()) {
      if (Str(s, "plan") == plan) return Str(s, "id");
    }
    ADD_FAILURE() << "no service on " << plan;
    return "";
  }

  // Each service as "plan/status", by the plan it was opened on.
  std::map<std::string, std::string> Services(const std::string& account) {
    std::map<std::string, std::string> out;
    json::object acc = Account(account);
    for (const auto& s : acc.at("services").as_array()) {
      out[first_plan_[Str(s, "id")]] = Str(s, "plan") + "/" + Str(s, "status");
    }
    return out;
  }

  json::object Reactivate(const std::string& account) {
    json::object r = File({{"type", "reactivation"}, {"account_id", account}}, "customer_request");
    EXPECT_EQ(Str(r, "state"), "completed") << json::serialize(r);
    return r;
  }

  std::map<std::string, std::string> first_plan_;  // service id -> plan it was opened on
};

TEST_P(Reactivation, ServicesComeBackOnThePlansTheyHadAtClosure) {
  std::string id = ClosedAccount();
  json::object done = Reactivate(id);
  EXPECT_EQ(Str(Account(id), "status"), "active");
  EXPECT_EQ(Services(id), (std::map<std::string, std::string>{
                              {"fiber_500", "fiber_500/active"},
                              {"mobile_unlimited", "mobile_basic/active"},
                              {"tv_plus", "tv_plus/terminated"},
                          }));
  ASSERT_TRUE(done.at("result").is_object()) << json::serialize(done);
  EXPECT_EQ(done.at("result").at("services_restored").as_array().size(), 2u)
      << json::serialize(done);
}

// The client's provisioning and billing hear of each service that came back, as they would of
// a reconnection: one `service.reconnected` event per restored service, naming the request.
TEST_P(Reactivation, EachRestoredServiceIsAnnounced) {
  std::string id = ClosedAccount();
  json::object done = Reactivate(id);
  std::map<std::string, std::string> announced;  // service id -> status before
  for (const json::value& m :
       Outbox("limit=100&channel=webhook&event_type=service.reconnected&account_id=" + id)) {
    const json::value& env = m.at("payload");
    if (Str(env.at("request"), "id") != Str(done, "id")) continue;
    EXPECT_EQ(Str(env.at("data"), "status"), "active");
    announced[Str(env.at("data"), "id")] = Str(env.at("previous"), "status");
  }
  EXPECT_EQ(announced, (std::map<std::string, std::string>{
                           {ServiceOn(id, "fiber_500"), "terminated"},
                           {ServiceOn(id, "mobile_basic"), "terminated"},
                       }));
}

TEST_P(Reactivation, PreviousPlansComeBackWhenThePackSaysSo) {
  ReplacePack([](std::string yaml) {
    return Replace(yaml, "restore_plans: at_closure", "restore_plans: previous");
  });
  std::string id = ClosedAccount();
  Reactivate(id);
  EXPECT_EQ(Services(id), (std::map<std::string, std::string>{
                              {"fiber_500", "fiber_500/active"},
                              {"mobile_unlimited", "mobile_unlimited/active"},
                              {"tv_plus", "tv_plus/terminated"},
                          }));
}

INSTANTIATE_TEST_SUITE_P(Backends, Reactivation, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
