// What a customer does on the portal besides filing: answer the retention offer an agent's
// termination put to them (POST /v1/portal/requests/{id}/offer, as the staff route does:
// accepting keeps the account, declining lets the termination complete), and download the
// copy of their data a completed data_access request made
// (GET /v1/portal/requests/{id}/data-export); each on their own requests only.

#include "tests/support/notification_fixture.h"
#include "tests/support/smtp_sink.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

struct SelfServiceCustomer {
  std::string id, ref, email, cookie, csrf;
};

class PortalSelfService : public NotificationTest {
 protected:
  SelfServiceCustomer NewCustomer(const std::string& email) {
    json::object account = ServerTest::NewAccount({{"email", email}});
    return {Str(account, "id"), Str(account, "external_ref"), email};
  }

  // Signs `c` in through the portal with the code mailed to them (the `n`th code the sink
  // has received in all).
  void SignedIn(const SmtpSink& sink, SelfServiceCustomer& c, size_t n) {
    json::object who{{"tenant_id", tenant_}, {"account_ref", c.ref}, {"channel", "email"}};
    ASSERT_EQ(CallAs("", "POST", "/v1/portal/sign-in-codes", json::serialize(who)).status, 202);
    std::string code = sink.CodeFor(c.email, n);
    who["code"] = code;
    HttpResponse r = CallAs("", "POST", "/v1/portal/sessions", json::serialize(who));
    ASSERT_EQ(r.status, 201) << r.body;
    std::string cookie = r.Header("Set-Cookie");
    c.cookie = cookie.substr(0, cookie.find(';'));
    c.csrf = Str(r.Json(), "csrf_token");
  }

  HttpResponse As(const SelfServiceCustomer& c, const std::string& method,
                  const std::string& target, const std::string& body = "", bool csrf = true) {
    Headers headers{{"Cookie", c.cookie}};
    if (csrf) headers.emplace_back("X-CSRF-Token", c.csrf);
    return CallAs("", method, target, body, headers);
  }

  // An agent's termination of `c`'s account, the customer verified and consenting: it waits
  // for the customer's answer to the pack's retention offer. Its id.
  std::string TerminationWithOffer(const SelfServiceCustomer& c) {
    json::object proof{
        {"kind", "identity"}, {"party", "owner"}, {"method", "document_check"}, {"level", 1}};
    EXPECT_EQ(Api("POST", "/v1/accounts/" + c.id + "/verifications", json::serialize(proof)).status,
              201);
    json::object body{
        {"type", "termination"}, {"account_id", c.id}, {"consent", {{"method", "recorded_call"}}}};
    HttpResponse r = CallAs(server().demo_key(), "POST", "/v1/requests", json::serialize(body),
                            {{"X-Reason", "customer_request"}});
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(Str(r.Json(), "state"), "awaiting_customer") << r.body;
    return Str(r.Json(), "id");
  }

  // An identity verification of `c` at `level`, as an agent records one after a document check.
  void Verified(const SelfServiceCustomer& c, int level) {
    json::object proof{
        {"kind", "identity"}, {"party", "owner"}, {"method", "document_check"}, {"level", level}};
    EXPECT_EQ(Api("POST", "/v1/accounts/" + c.id + "/verifications", json::serialize(proof)).status,
              201);
  }

  std::string Lifecycle(const SelfServiceCustomer& c) {
    return Str(Api("GET", "/v1/accounts/" + c.id).Json(), "lifecycle");
  }
};

TEST_P(PortalSelfService, ACustomerAcceptsTheOfferOnTheirOwnTerminationAndKeepsTheAccount) {
  SmtpSink sink;
  UseEmail(sink.Url());
  SelfServiceCustomer jane = NewCustomer("jane.offer@example.com");
  SelfServiceCustomer john = NewCustomer("john.offer@example.com");
  std::string id = TerminationWithOffer(jane);
  SignedIn(sink, jane, 1);
  SignedIn(sink, john, 2);
  const std::string offer = "/v1/portal/requests/" + id + "/offer";

  // The portal shows the offer pending.
  HttpResponse listed = As(jane, "GET", "/v1/portal/requests");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find("retention_discount"), std::string::npos);

  // Nobody else answers it, and nothing says it exists.
  ExpectProblem(As(john, "POST", offer, R"({"decision":"decline"})"), 404);
  ExpectProblem(As(jane, "POST", "/v1/portal/requests/req_none/offer", R"({"decision":"decline"})"),
                404);
  ExpectProblem(As(jane, "POST", offer, R"({"decision":"decline"})", /*csrf=*/false), 403,
                "X-CSRF-Token");
  // Bad answers name the field and change nothing.
  ExpectProblem(As(jane, "POST", offer, R"({"decision":"maybe"})"), 400, "decision");
  ExpectProblem(As(jane, "POST", offer, R"({"decision":"accept"})"), 400, "offer_code");
  ExpectProblem(As(jane, "POST", offer, R"({"decision":"accept","offer_code":"free_year"})"), 422,
                "offer_code", "unknown_offer");
  ExpectProblem(As(jane, "POST", offer, R"({"decision":"accept","offer":"x"})"), 400);
  ExpectProblem(As(jane, "POST", offer, "{not json"), 400);
  EXPECT_EQ(Str(Api("GET", "/v1/requests/" + id).Json(), "state"), "awaiting_customer");

  HttpResponse accepted =
      As(jane, "POST", offer, R"({"decision":"accept","offer_code":"retention_discount"})");
  ASSERT_LT(accepted.status, 300) << accepted.body;
  EXPECT_EQ(Str(accepted.Json(), "state"), "cancelled");
  EXPECT_EQ(Lifecycle(jane), "active");
  ExpectProblem(As(jane, "POST", offer, R"({"decision":"decline"})"), 409, "", "no_offer_pending");

  // The audit log says the customer answered, on the portal.
  HttpResponse audit = Api("GET", "/v1/audit/entries?request_id=" + id);
  ASSERT_EQ(audit.status, 200) << audit.body;
  bool seen = false;
  const json::value entries = audit.Json();
  for (const json::value& e : entries.at("data").as_array()) {
    if (Str(e, "action") != "offer.accepted") continue;
    seen = true;
    EXPECT_EQ(Str(e.at("actor"), "type"), "customer");
    EXPECT_EQ(Str(e, "channel"), "portal");
  }
  EXPECT_TRUE(seen) << audit.body;
}

TEST_P(PortalSelfService, ACustomerDeclinesTheOfferAndTheTerminationCompletes) {
  SmtpSink sink;
  UseEmail(sink.Url());
  SelfServiceCustomer mary = NewCustomer("mary.offer@example.com");
  std::string id = TerminationWithOffer(mary);
  SignedIn(sink, mary, 1);
  HttpResponse declined =
      As(mary, "POST", "/v1/portal/requests/" + id + "/offer", R"({"decision":"decline"})");
  ASSERT_LT(declined.status, 300) << declined.body;
  EXPECT_EQ(Str(declined.Json(), "state"), "completed");
  EXPECT_EQ(Lifecycle(mary), "closed");
}

TEST_P(PortalSelfService, ACustomerDownloadsTheirOwnDataOnceTheRequestIsCompleted) {
  SmtpSink sink;
  UseEmail(sink.Url());
  SelfServiceCustomer jane = NewCustomer("jane.export@example.com");
  SelfServiceCustomer john = NewCustomer("john.export@example.com");
  SignedIn(sink, jane, 1);
  SignedIn(sink, john, 2);
  const std::string ask = R"({"type":"data_access"})";

  // The pack asks a recent identity check of level 2 first: the request waits, no export yet.
  HttpResponse waiting = As(jane, "POST", "/v1/portal/requests", ask);
  ASSERT_EQ(waiting.status, 201) << waiting.body;
  EXPECT_EQ(Str(waiting.Json(), "state"), "awaiting_customer");
  ExpectProblem(
      As(jane, "GET", "/v1/portal/requests/" + Str(waiting.Json(), "id") + "/data-export"), 409, "",
      "export_not_ready");

  Verified(jane, 2);
  HttpResponse done = As(jane, "POST", "/v1/portal/requests", ask);
  ASSERT_EQ(done.status, 201) << done.body;
  ASSERT_EQ(Str(done.Json(), "state"), "completed") << done.body;
  const std::string path = "/v1/portal/requests/" + Str(done.Json(), "id") + "/data-export";

  HttpResponse got = As(jane, "GET", path);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Header("Cache-Control"), "no-store");
  EXPECT_EQ(Str(got.Json(), "object"), "subject_access_export");
  EXPECT_EQ(Str(got.Json(), "account_id"), jane.id);
  EXPECT_EQ(Str(got.Json().at("profile"), "email"), "jane.export@example.com");

  // Nobody else's session reaches it, and nothing says it exists; a request of another type
  // has no export.
  ExpectProblem(As(john, "GET", path), 404);
  ExpectProblem(As(jane, "GET", "/v1/portal/requests/req_none/data-export"), 404);
  std::string pause = Str(As(jane, "POST", "/v1/portal/requests",
                             R"({"type":"suspension","payload":{"hold_type":"voluntary_pause"}})")
                              .Json(),
                          "id");
  ExpectProblem(As(jane, "GET", "/v1/portal/requests/" + pause + "/data-export"), 404);
  // Staff keep their own route; the portal's is closed to them.
  EXPECT_EQ(Api("GET", "/v1/requests/" + Str(done.Json(), "id") + "/data-export").status, 200);
  HttpResponse staff = Api("GET", path);
  EXPECT_TRUE(staff.status == 401 || staff.status == 403) << staff.body;

  // The download is in the audit log, by the customer.
  HttpResponse audit = Api("GET", "/v1/audit/entries?request_id=" + Str(done.Json(), "id"));
  ASSERT_EQ(audit.status, 200) << audit.body;
  const json::value entries = audit.Json();
  int downloads = 0;
  for (const json::value& e : entries.at("data").as_array()) {
    if (Str(e, "action") != "data_export.downloaded") continue;
    if (Str(e.at("actor"), "type") == "customer") ++downloads;
  }
  EXPECT_EQ(downloads, 1) << audit.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, PortalSelfService, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
