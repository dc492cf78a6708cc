// The direct account routes are shortcuts that file one request through the engine: each
// route with the pack's checks met answers 200/201 with the change made, and with a check
// not met answers 202 with the request waiting and the account unchanged.

#include <functional>

#include "tests/support/tenant_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class DirectRoutes : public OwnTenant {
 public:
  // The rows of the table below prepare their accounts through these.
  using OwnTenant::Api;
  using OwnTenant::NewAccount;

  // Records identity evidence of `level` for the account's owner.
  void VerifyIdentity(const std::string& account, int level) {
    HttpResponse r = Api(
        "POST", "/v1/accounts/" + account + "/verifications",
        R"({"kind":"identity","method":"document_check","level":)" + std::to_string(level) + "}");
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // Places a hold through the route and expects it placed; returns its id.
  std::string PlaceHold(const std::string& account, const std::string& type,
                        const std::string& reason) {
    HttpResponse r = Api("POST", "/v1/accounts/" + account + "/holds",
                         R"({"hold_type":")" + type + R"("})", {{"X-Reason", reason}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.Json().at("hold"), "id") : "";
  }
};

// One call of a direct route, prepared on a fresh account so that its checks pass or not.
struct RouteCall {
  std::string account;
  std::string method = "POST";
  std::string target;
  std::string body;
  std::string reason;
};

struct Row {
  const char* route;
  int done_status;            // when the checks pass
  const char* waiting_state;  // the request's state when one does not
  // Prepares an account and the call; `pass` decides whether the pack's checks are met.
  std::function<RouteCall(DirectRoutes&, bool pass)> prepare;
  // What the account shows afterwards when the change was made.
  std::function<void(const json::object& account)> changed;
};

std::string FirstService(const json::object& account) {
  return Str(account.at("services").as_array().at(0), "id");
}

std::vector<Row> Rows() {
  return {
      {"PATCH /v1/accounts/{id}", 200, "awaiting_customer",
       [](DirectRoutes& t, bool pass) {
         std::string id = Str(t.NewAccount(), "id");
         if (pass) t.VerifyIdentity(id, 1);
         return RouteCall{id, "PATCH", "/v1/accounts/" + id, R"({"email":"new@example.com"})", ""};
       },
       [](const json::object& a) { EXPECT_EQ(Str(a, "email"), "new@example.com"); }},
      {"POST /v1/accounts/{id}/reactivate", 200, "awaiting_customer",
       [](DirectRoutes& t, bool pass) {
         std::string id = Str(t.NewAccount(), "id");
         HttpResponse d = t.Api("POST", "/v1/accounts/" + id + "/dormant", "",
                                {{"X-Reason", "agent_correction"}});
         EXPECT_EQ(d.status, 200) << d.body;
         if (pass) t.VerifyIdentity(id, 2);
         return RouteCall{id, "POST", "/v1/accounts/" + id + "/reactivate", "", "customer_request"};
       },
       [](const json::object& a) { EXPECT_EQ(Str(a, "status"), "active"); }},
      {"POST /v1/accounts/{id}/close", 200, "awaiting_customer",
       [](DirectRoutes& t, bool pass) {
         std::string id = Str(t.NewAccount(), "id");
         // A voluntary closure waits for identity and consent (and the retention offer); an
         // involuntary one has neither check.
         std::string body = pass ? R"({"origin":"involuntary"})" : "";
         return RouteCall{id, "POST", "/v1/accounts/" + id + "/close", body, "account_closure"};
       },
       [](const json::object& a) { EXPECT_EQ(Str(a, "status"), "closed"); }},
      {"POST /v1/accounts/{id}/activate", 200, "awaiting_customer",
       [](DirectRoutes& t, bool pass) {
         std::string id = Str(t.NewAccount({{"pending_activation", true}, {"kyc_level", 1}}), "id");
         std::string body = pass ? R"({"consent":{"method":"recorded_call"}})" : "";
         return RouteCall{id, "POST", "/v1/accounts/" + id + "/activate", body, "customer_request"};
       },
       [](const json::object& a) { EXPECT_EQ(Str(a, "status"), "active"); }},
      {"POST /v1/accounts/{id}/dormant", 200, "verifying",
       [](DirectRoutes& t, bool pass) {
         std::string id = Str(t.NewAccount(), "id");
         // An open technical fault holds a status_sync back (technical_fault_resolved).
         if (!pass) t.PlaceHold(id, "technical_fault", "technical_fault");
         return RouteCall{id, "POST", "/v1/accounts/" + id + "/dormant", "", "agent_correction"};
       },
       [](const json::object& a) { EXPECT_EQ(Str(a, "status"), "dormant"); }},
      {"POST /v1/accounts/{id}/holds", 201, "rejected",
       [](DirectRoutes& t, bool pass) {
         std::string id = Str(t.NewAccount(), "id");
         // At most 3 voluntary pauses a year (cooling_off): the fourth is refused.
         for (int i = 0; !pass && i < 3; ++i) {
           std::string hold = t.PlaceHold(id, "voluntary_pause", "customer_request");
           HttpResponse lift =
               t.Api("POST", "/v1/holds/" + hold + "/lift", "", {{"X-Reason", "agent_correction"}});
           EXPECT_EQ(lift.status, 200) << lift.body;
         }
         return RouteCall{id, "POST", "/v1/accounts/" + id + "/holds",
                          R"({"hold_type":"voluntary_pause"})", "customer_request"};
       },
       [](const json::object& a) { EXPECT_EQ(Str(a, "status"), "suspended"); }},
      {"POST /v1/holds/{id}/lift", 200, "awaiting_payment",
       [](DirectRoutes& t, bool pass) {
         std::string id = Str(t.NewAccount({{"amount_due_minor", pass ? 0 : 4599}}), "id");
         std::string hold = t.PlaceHold(id, "non_payment", "non_payment");
         return RouteCall{id, "POST", "/v1/holds/" + hold + "/lift", "", "payment_received"};
       },
       [](const json::object& a) { EXPECT_EQ(Str(a, "status"), "active"); }},
      {"POST /v1/services/{id}/plan-change", 200, "awaiting_payment",
       [](DirectRoutes& t, bool pass) {
         json::object a = t.NewAccount({{"amount_due_minor", pass ? 0 : 4599}});
         return RouteCall{Str(a, "id"), "POST", "/v1/services/" + FirstService(a) + "/plan-change",
                          R"({"plan_code":"mobile_unlimited"})", ""};
       },
       [](const json::object& a) {
         EXPECT_EQ(Str(a.at("services").as_array().at(0), "plan"), "mobile_unlimited");
       }},
      {"POST /v1/services/{id}/terminate", 200, "awaiting_customer",
       [](DirectRoutes& t, bool pass) {
         json::object a = t.NewAccount();
         std::string body = pass ? R"({"origin":"involuntary"})" : "";
         return RouteCall{Str(a, "id"), "POST", "/v1/services/" + FirstService(a) + "/terminate",
                          body, "non_payment"};
       },
       [](const json::object& a) {
         EXPECT_EQ(Str(a.at("services").as_array().at(0), "status"), "terminated");
       }},
      {"POST /v1/accounts/{id}/services", 201, "awaiting_customer",
       [](DirectRoutes& t, bool pass) {
         std::string id = Str(t.NewAccount({{"kyc_level", 1}}), "id");
         std::string consent = pass ? R"(,"consent":{"method":"recorded_call"})" : "";
         return RouteCall{id, "POST", "/v1/accounts/" + id + "/services",
                          R"({"plan_code":"fiber_500")" + consent + "}", "customer_request"};
       },
       [](const json::object& a) { EXPECT_EQ(a.at("services").as_array().size(), 2u); }},
  };
}

TEST_P(DirectRoutes, EachRouteCompletesWhenChecksPassAndWaitsUnchangedWhenNot) {
  for (const Row& row : Rows()) {
    for (bool pass : {true, false}) {
      SCOPED_TRACE(std::string(row.route) + (pass ? " (checks pass)" : " (a check fails)"));
      RouteCall c = row.prepare(*this, pass);
      if (HasFailure()) return;
      json::object before = Account(c.account);
      Headers h;
      if (!c.reason.empty()) h.emplace_back("X-Reason", c.reason);
      HttpResponse r = Api(c.method, c.target, c.body, h);
      ASSERT_EQ(r.status, pass ? row.done_status : 202) << r.body;
      json::object answer = r.Json().as_object();
      // One shape: the request itself, the account after the call.
      EXPECT_EQ(Str(answer, "object"), "request");
      EXPECT_EQ(Str(answer.at("account"), "id"), c.account);
      json::object after = Account(c.account);
      if (pass) {
        EXPECT_EQ(Str(answer, "state"), "completed");
        row.changed(after);
      } else {
        EXPECT_EQ(Str(answer, "state"), row.waiting_state);
        EXPECT_EQ(Str(after, "status"), Str(before, "status"));
        EXPECT_EQ(json::serialize(after.at("services")), json::serialize(before.at("services")));
        EXPECT_EQ(after.at("version"), before.at("version"));
        EXPECT_EQ(Str(after, "email"), Str(before, "email"));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectRoutes, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
