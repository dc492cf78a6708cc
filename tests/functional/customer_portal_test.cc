// The customer portal's back end (docs/SECURITY.md, "The customer portal"): a customer signs
// in with a one-time code sent to the email on record, reads and files on their own account
// only, as actor type customer on channel portal; a second customer of the same tenant sees
// nothing of the first, and no answer says whether an account exists.

#include <set>

#include "tests/support/notification_fixture.h"
#include "tests/support/smtp_sink.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

struct Customer {
  std::string id, ref, cookie, csrf;
};

class CustomerPortal : public NotificationTest {
 protected:
  Customer NewCustomer(const std::string& email) {
    json::object account = ServerTest::NewAccount({{"email", email}});
    return {Str(account, "id"), Str(account, "external_ref")};
  }

  HttpResponse SendCode(const std::string& ref) {
    return CallAs("", "POST", "/v1/portal/sign-in-codes",
                  json::serialize(json::object{
                      {"tenant_id", tenant_}, {"account_ref", ref}, {"channel", "email"}}));
  }

  HttpResponse SignIn(const std::string& ref, const std::string& code) {
    return CallAs(
        "", "POST", "/v1/portal/sessions",
        json::serialize(json::object{
            {"tenant_id", tenant_}, {"account_ref", ref}, {"channel", "email"}, {"code", code}}));
  }

  // Signs the customer in through the portal; fills its cookie and CSRF token.
  void SignedIn(const SmtpSink& sink, Customer& c, const std::string& email, size_t n) {
    ASSERT_EQ(SendCode(c.ref).status, 202);
    std::string code = sink.CodeFor(email, n);
    ASSERT_EQ(code.size(), 6u);
    HttpResponse r = SignIn(c.ref, code);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string prefix = "__Host-sb_session=";
    std::string cookie = r.Header("Set-Cookie");
    ASSERT_EQ(cookie.rfind(prefix, 0), 0u) << cookie;
    c.cookie = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
    c.csrf = Str(r.Json(), "csrf_token");
    EXPECT_EQ(Str(r.Json(), "account_id"), c.id);
  }

  HttpResponse As(const Customer& c, const std::string& method, const std::string& target,
                  const std::string& body = "", bool csrf = true) {
    Headers headers{{"Cookie", "__Host-sb_session=" + c.cookie}};
    if (csrf) headers.emplace_back("X-CSRF-Token", c.csrf);
    return CallAs("", method, target, body, headers);
  }
};

TEST_P(CustomerPortal, ACodeOnRecordSignsTheCustomerInAndNothingTellsWhoExists) {
  SmtpSink sink;
  UseEmail(sink.Url());
  Customer jane = NewCustomer("jane.portal@example.com");
  // An unknown account answers exactly as a known one.
  HttpResponse known = SendCode(jane.ref);
  HttpResponse unknown = SendCode("no-such-ref");
  ASSERT_EQ(known.status, 202) << known.body;
  ASSERT_EQ(unknown.status, 202) << unknown.body;
  EXPECT_EQ(known.body, unknown.body);
  std::string code = sink.CodeFor("jane.portal@example.com", 1);
  ASSERT_EQ(code.size(), 6u);
  // A wrong code and an unknown account: the same 401.
  HttpResponse wrong = SignIn(jane.ref, code == "000000" ? "000001" : "000000");
  HttpResponse nobody = SignIn("no-such-ref", code);
  ExpectProblem(wrong, 401, "code", "invalid_code");
  ExpectProblem(nobody, 401, "code", "invalid_code");
  EXPECT_EQ(wrong.Json().at("detail"), nobody.Json().at("detail"));
  HttpResponse in = SignIn(jane.ref, code);
  ASSERT_EQ(in.status, 201) << in.body;
  EXPECT_NE(in.Header("Set-Cookie").find("HttpOnly"), std::string::npos);
  // The code works once.
  ExpectProblem(SignIn(jane.ref, code), 401, "code", "invalid_code");
}

TEST_P(CustomerPortal, ACustomerReadsAndFilesOnTheirOwnAccountOnly) {
  SmtpSink sink;
  UseEmail(sink.Url());
  Customer jane = NewCustomer("jane.own@example.com");
  Customer john = NewCustomer("john.own@example.com");
  SignedIn(sink, jane, "jane.own@example.com", 1);
  SignedIn(sink, john, "john.own@example.com", 2);

  HttpResponse account = As(jane, "GET", "/v1/portal/account");
  ASSERT_EQ(account.status, 200) << account.body;
  EXPECT_EQ(Str(account.Json(), "id"), jane.id);
  EXPECT_EQ(Str(account.Json(), "email"), "jane.own@example.com");
  // The staff API is closed to a customer's session, the other account included.
  ExpectProblem(As(jane, "GET", "/v1/accounts/" + john.id), 403);
  ExpectProblem(As(jane, "GET", "/v1/accounts/" + jane.id), 403);
  ExpectProblem(As(jane, "POST", "/v1/requests",
                   json::serialize(json::object{{"type", "suspension"},
                                                {"account_id", john.id},
                                                {"payload", {{"hold_type", "voluntary_pause"}}}})),
                403);

  // A voluntary pause, filed on the portal: the customer's, on their account.
  const std::string pause = R"({"type":"suspension","payload":{"hold_type":"voluntary_pause"}})";
  ExpectProblem(As(jane, "POST", "/v1/portal/requests", pause, /*csrf=*/false), 403, "X-CSRF-Token",
                "csrf_token_invalid");
  HttpResponse filed = As(jane, "POST", "/v1/portal/requests", pause);
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(Str(filed.Json(), "account_id"), jane.id);
  EXPECT_EQ(Str(filed.Json(), "channel"), "portal");
  EXPECT_EQ(Str(filed.Json().at("actor"), "type"), "customer");
  EXPECT_EQ(Str(filed.Json().at("actor"), "id"), jane.id);
  // A customer cannot claim another channel (and with it another set of checks).
  ExpectProblem(CallAs("", "POST", "/v1/portal/requests", pause,
                       {{"Cookie", "__Host-sb_session=" + jane.cookie},
                        {"X-CSRF-Token", jane.csrf},
                        {"X-Channel", "voice"}}),
                403, "X-Channel", "channel_not_allowed");
  // Naming another account is refused, as is a type staff alone file.
  ExpectProblem(As(jane, "POST", "/v1/portal/requests",
                   json::serialize(json::object{{"type", "suspension"},
                                                {"account_id", john.id},
                                                {"payload", {{"hold_type", "voluntary_pause"}}}})),
                400, "account_id");
  ExpectProblem(As(jane, "POST", "/v1/portal/requests", R"({"type":"billing_adjustment"})"), 422,
                "type", "type_not_self_service");
  ExpectProblem(As(jane, "POST", "/v1/portal/requests",
                   R"({"type":"suspension","payload":{"hold_type":"non_payment"}})"),
                422, "payload.hold_type", "type_not_self_service");

  // John sees his account and none of Jane's requests.
  HttpResponse johns = As(john, "GET", "/v1/portal/requests");
  ASSERT_EQ(johns.status, 200) << johns.body;
  EXPECT_EQ(johns.body.find(jane.id), std::string::npos);
  EXPECT_EQ(johns.body.find(Str(filed.Json(), "id")), std::string::npos);
  HttpResponse janes = As(jane, "GET", "/v1/portal/requests");
  ASSERT_EQ(janes.status, 200) << janes.body;
  EXPECT_NE(janes.body.find(Str(filed.Json(), "id")), std::string::npos);
  EXPECT_EQ(Str(As(john, "GET", "/v1/portal/account").Json(), "id"), john.id);

  // Jane ends her own pause: a reconnection naming the pause's hold, which nothing else
  // blocks (no money due, no fraud suspected), completes at once.
  std::string hold_id;
  const json::value paused = As(jane, "GET", "/v1/portal/account").Json();
  for (const json::value& h : paused.at("active_holds").as_array()) {
    if (Str(h, "hold_type") == "voluntary_pause") hold_id = Str(h, "id");
  }
  ASSERT_FALSE(hold_id.empty());
  HttpResponse resumed = As(jane, "POST", "/v1/portal/requests",
                            json::serialize(json::object{{"type", "reconnection"},
                                                         {"payload", {{"hold_ids", {hold_id}}}}}));
  ASSERT_EQ(resumed.status, 201) << resumed.body;
  EXPECT_EQ(Str(resumed.Json(), "state"), "completed");
  EXPECT_EQ(Str(resumed.Json(), "reason_code"), "customer_request");
  EXPECT_EQ(Str(As(jane, "GET", "/v1/portal/account").Json(), "status"), "active");

  // Signing out ends the session.
  ASSERT_EQ(As(jane, "DELETE", "/v1/portal/sessions/current").status, 204);
  ExpectProblem(As(jane, "GET", "/v1/portal/account"), 401, "", "session_expired");
}

TEST_P(CustomerPortal, ACustomerReadsTheMessagesSentToThemAndNoOneElses) {
  SmtpSink sink;
  UseEmail(sink.Url());
  Customer jane = NewCustomer("jane.inbox@example.com");
  Customer john = NewCustomer("john.inbox@example.com");
  SignedIn(sink, jane, "jane.inbox@example.com", 1);
  SignedIn(sink, john, "john.inbox@example.com", 2);
  ASSERT_EQ(As(jane, "POST", "/v1/portal/requests",
               R"({"type":"suspension","payload":{"hold_type":"voluntary_pause"}})")
                .status,
            201);
  // The pause's notice, as Jane's mailbox got it, and the sign-in code's message without the
  // code.
  json::array mine;
  ASSERT_TRUE(Eventually([&] {
    HttpResponse r = As(jane, "GET", "/v1/portal/notifications");
    if (r.status != 200) return false;
    mine = r.Json().at("data").as_array();
    bool told = false;
    for (const json::value& m : mine) {
      told = told || (Str(m, "notification") == "service.suspended" && Str(m, "state") == "sent");
    }
    return told;
  })) << json::serialize(mine);
  std::set<std::string> janes_ids;
  for (const json::value& m : mine) {
    janes_ids.insert(Str(m, "id"));
    EXPECT_EQ(Str(m, "to"), Str(m, "channel") == "email" ? "jane.inbox@example.com" : Str(m, "to"));
    if (Str(m, "notification") == "verification_code") {
      EXPECT_EQ(Str(m, "text"), "");
      EXPECT_EQ(Str(m, "subject"), "Your verification code");
    }
    if (Str(m, "notification") == "service.suspended" && Str(m, "channel") == "email") {
      EXPECT_NE(Str(m, "subject").find("suspended"), std::string::npos) << Str(m, "subject");
      EXPECT_NE(Str(m, "text").find(jane.ref), std::string::npos) << Str(m, "text");
    }
  }
  // Paging by one walks the same messages.
  std::set<std::string> paged;
  std::string after;
  for (int i = 0; i < 20; ++i) {
    HttpResponse r = As(jane, "GET",
                        "/v1/portal/notifications?limit=1" +
                            (after.empty() ? std::string() : "&starting_after=" + after));
    ASSERT_EQ(r.status, 200) << r.body;
    const json::value page = r.Json();
    for (const json::value& m : page.at("data").as_array()) paged.insert(Str(m, "id"));
    if (!page.at("has_more").as_bool()) break;
    after = Str(page, "next_cursor");
  }
  EXPECT_EQ(paged, janes_ids);
  // John's list holds none of Jane's messages; bad paging is refused.
  HttpResponse johns = As(john, "GET", "/v1/portal/notifications");
  ASSERT_EQ(johns.status, 200) << johns.body;
  for (const std::string& id : janes_ids) EXPECT_EQ(johns.body.find(id), std::string::npos);
  EXPECT_EQ(johns.body.find("jane.inbox@example.com"), std::string::npos);
  ExpectProblem(As(john, "GET", "/v1/portal/notifications?limit=0"), 400, "limit");
  // Staff keys do not read it: it is the customer's view.
  ExpectProblem(Api("GET", "/v1/portal/notifications"), 403);
}

INSTANTIATE_TEST_SUITE_P(Backends, CustomerPortal, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
