// The TMF638 service inventory as a client's OSS reads it: every Switchboard service status
// under its TMF state name (docs/TMFORUM.md), by service id and by related party (the
// account's id or the client's own external_ref), and nothing of another tenant.

#include "tests/support/tenant_fixture.h"

namespace sb::testing {
namespace {

constexpr const char* kBase = "/tmf-api/serviceInventory/v4/service";

class ServiceInventory : public OwnTenant {
 protected:
  // The service of `account` on `plan`.
  std::string ServiceOn(const boost::json::object& account, const std::string& plan) {
    for (const auto& s : account.at("services").as_array()) {
      if (Str(s, "plan") == plan) return Str(s, "id");
    }
    ADD_FAILURE() << "no service on " << plan;
    return "";
  }

  // The TMF service `id`, expecting 200.
  boost::json::object Tmf(const std::string& id) {
    HttpResponse r = Api("GET", std::string(kBase) + "/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : boost::json::object{};
  }
};

TEST_P(ServiceInventory, EveryStatusHasItsTmfStateByIdAndByParty) {
  // One account with an active, a suspended and a terminated service; one not yet activated.
  boost::json::object a = CreateAccount({"mobile_basic", "fiber_500", "tv_plus"});
  std::string account = Str(a, "id");
  std::string active = ServiceOn(a, "mobile_basic");
  std::string suspended = ServiceOn(a, "fiber_500");
  std::string terminated = ServiceOn(a, "tv_plus");
  HttpResponse hold = Api("POST", "/v1/accounts/" + account + "/holds",
                          R"({"hold_type":"technical_fault","service_id":")" + suspended + "\"}",
                          {{"X-Reason", "technical_fault"}});
  ASSERT_EQ(hold.status, 201) << hold.body;
  HttpResponse ended = Api("POST", "/v1/services/" + terminated + "/terminate",
                           R"({"origin":"involuntary"})", {{"X-Reason", "non_payment"}});
  ASSERT_EQ(ended.status, 200) << ended.body;
  HttpResponse pending_account =
      Api("POST", "/v1/accounts",
          R"({"external_ref":")" + NewRef() +
              R"(","name":"Pia","plans":["mobile_basic"],"pending_activation":true})");
  ASSERT_EQ(pending_account.status, 201) << pending_account.body;
  std::string pending = ServiceOn(pending_account.Json().at("account").as_object(), "mobile_basic");

  const std::pair<std::string, std::string> want[] = {{active, "active"},
                                                      {suspended, "suspended"},
                                                      {terminated, "terminated"},
                                                      {pending, "inactive"}};
  for (const auto& [id, state] : want) {
    boost::json::object s = Tmf(id);
    EXPECT_EQ(Str(s, "state"), state) << id;
    EXPECT_EQ(Str(s, "id"), id);
    EXPECT_EQ(Str(s, "href"), std::string(kBase) + "/" + id);
    EXPECT_EQ(Str(s, "@type"), "Service");
    EXPECT_EQ(s.at("isServiceEnabled").as_bool(), state == "active") << id;
    EXPECT_EQ(s.at("hasStarted").as_bool(), state != "inactive") << id;
    EXPECT_EQ(s.contains("endDate"), state == "terminated") << id;
  }
  boost::json::object one = Tmf(active);
  EXPECT_EQ(Str(one, "name"), "mobile_basic");
  EXPECT_EQ(Str(one.at("serviceSpecification"), "id"), "mobile_basic");
  const auto& party = one.at("relatedParty").as_array().at(0);
  EXPECT_EQ(Str(party, "id"), account);
  EXPECT_EQ(Str(party, "role"), "customer");
  // No personal data: the customer's name is nowhere in the resource.
  EXPECT_EQ(boost::json::serialize(one).find("Ada"), std::string::npos);

  // By the account id and by the client's external_ref: the same three services.
  for (const std::string& party_id : {account, Str(a, "external_ref")}) {
    HttpResponse list = Api("GET", std::string(kBase) + "?relatedParty.id=" + party_id);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.Header("X-Total-Count"), "3");
    std::map<std::string, std::string> states;
    boost::json::value services = list.Json();
    for (const auto& s : services.as_array()) states[Str(s, "id")] = Str(s, "state");
    EXPECT_EQ(states,
              (std::map<std::string, std::string>{
                  {active, "active"}, {suspended, "suspended"}, {terminated, "terminated"}}));
  }
  HttpResponse page =
      Api("GET", std::string(kBase) + "?relatedParty.id=" + account + "&offset=1&limit=1");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Json().as_array().size(), 1u);
  EXPECT_EQ(page.Header("X-Result-Count"), "1");
  EXPECT_EQ(page.Header("X-Total-Count"), "3");
}

TEST_P(ServiceInventory, RefusesWhatItCannotAnswer) {
  std::string account = Str(CreateAccount({"mobile_basic"}), "id");
  std::string service = ServiceOf(account);
  ExpectProblem(Api("GET", std::string(kBase)), 400, "relatedParty.id", "required");
  ExpectProblem(Api("GET", std::string(kBase) + "?relatedParty.id=ACC-NOBODY"), 404,
                "relatedParty.id");
  ExpectProblem(Api("GET", std::string(kBase) + "/svc_nope"), 404);
  ExpectProblem(Api("GET", std::string(kBase) + "?relatedParty.id=" + account + "&limit=0"), 400,
                "limit");
  ExpectProblem(CallAs("nope", "GET", std::string(kBase) + "/" + service), 401);
  // Another tenant's admin (the demo tenant's) sees none of this tenant's services.
  ExpectProblem(Call("GET", std::string(kBase) + "/" + service), 404);
  ExpectProblem(Call("GET", std::string(kBase) + "?relatedParty.id=" + account), 404,
                "relatedParty.id");
}

INSTANTIATE_TEST_SUITE_P(Backends, ServiceInventory, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
