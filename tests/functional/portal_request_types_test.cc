// GET /v1/portal/request-types: the portal offers a customer exactly the self-service types
// the tenant's pack lets them file; a type it leaves out is one the engine refuses.

#include <set>

#include "tests/support/notification_fixture.h"
#include "tests/support/smtp_sink.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

const std::vector<std::string> kSelfService = {
    "reconnection", "reactivation", "personal_info_update", "plan_change",
    "termination",  "suspension",   "data_access"};

class PortalRequestTypes : public NotificationTest {
 protected:
  // Signs in the customer of a new account with `email` through the portal; its cookie and
  // CSRF token as headers for later calls.
  Headers SignedInCustomer(const SmtpSink& sink, const std::string& email) {
    json::object account = ServerTest::NewAccount({{"email", email}});
    json::object who{{"tenant_id", tenant_},
                     {"account_ref", Str(account, "external_ref")},
                     {"channel", "email"}};
    EXPECT_EQ(CallAs("", "POST", "/v1/portal/sign-in-codes", json::serialize(who)).status, 202);
    std::string code = sink.CodeFor(email, 1);
    who["code"] = code;
    HttpResponse r = CallAs("", "POST", "/v1/portal/sessions", json::serialize(who));
    EXPECT_EQ(r.status, 201) << r.body;
    std::string cookie = r.Header("Set-Cookie");
    return {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", Str(r.Json(), "csrf_token")}};
  }
};

TEST_P(PortalRequestTypes, OffersExactlyWhatThePackLetsTheCustomerFile) {
  SmtpSink sink;
  UseEmail(sink.Url());
  Headers jane = SignedInCustomer(sink, "jane.types@example.com");
  HttpResponse r = CallAs("", "GET", "/v1/portal/request-types", "", jane);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  std::set<std::string> offered;
  json::value answer = r.Json();
  for (const json::value& t : answer.at("data").as_array()) offered.insert(Str(t, "type"));
  EXPECT_FALSE(offered.empty());
  // The default pack takes a customer's own reactivation and reconnection (the latter still
  // waits for the money and a clear fraud check), never a billing adjustment.
  EXPECT_TRUE(offered.count("reactivation"));
  EXPECT_TRUE(offered.count("reconnection"));
  for (const std::string& type : kSelfService) {
    json::object body{{"type", type}};
    if (type == "suspension") body["payload"] = {{"hold_type", "voluntary_pause"}};
    HttpResponse filed =
        CallAs("", "POST", "/v1/portal/requests?dry_run=true", json::serialize(body), jane);
    bool refused_reason = filed.status == 422 && Str(filed.Json(), "code") == "reason_not_allowed";
    EXPECT_EQ(refused_reason, offered.count(type) == 0) << type << ": " << filed.body;
  }
}

TEST_P(PortalRequestTypes, OnlyACustomersSessionReachesIt) {
  ExpectProblem(CallAs("", "GET", "/v1/portal/request-types"), 401);
  HttpResponse staff = Api("GET", "/v1/portal/request-types");
  EXPECT_TRUE(staff.status == 401 || staff.status == 403) << staff.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, PortalRequestTypes, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace sb::testing
