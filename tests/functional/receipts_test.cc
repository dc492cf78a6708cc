// Customer receipts: a request the customer asked for has a receipt, mailed with its
// acknowledgement and shown on the portal, that anyone holding it can check without an account
// against the signed audit log; it shows nothing of the account, and a token this server did not
// issue is refused.

#include <gtest/gtest.h>

#include <thread>

#include "common/time.h"
#include "crypto/crypto.h"
#include "domain/audit_entry.h"
#include "domain/merkle.h"
#include "tests/support/notification_fixture.h"
#include "tests/support/sla_fixture.h"
#include "tests/support/smtp_sink.h"

namespace sb::testing {
namespace {

namespace json = boost::json;
namespace merkle = sb::domain::merkle;

class Receipts : public NotificationTest {
 protected:
  void SetUp() override {
    NotificationTest::SetUp();
    if (HasFatalFailure()) return;
    SetClock("2026-03-04T12:00:00Z");  // daytime in Paris: no quiet hours
    PutPack({{"  quiet_hours: \"21:00-08:00\"\n",
              "  quiet_hours: \"21:00-08:00\"\n  portal_url: https://portal.example.com\n"}});
  }

  // An account with an email whose service a non-payment hold suspended; its id.
  std::string SuspendedCustomer(const std::string& email) {
    json::object account = ServerTest::NewAccount(
        {{"email", email}, {"name", "Ada Lovelace"}, {"amount_due_minor", 5000}});
    std::string id = Str(account, "id");
    HttpResponse hold = Api("POST", "/v1/accounts/" + id + "/holds",
                            R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
    EXPECT_EQ(hold.status, 201) << hold.body;
    return id;
  }

  // A reconnection an agent files on the customer's behalf (origin voluntary, by phone).
  json::object AskedReconnection(const std::string& account) {
    json::object body{{"type", "reconnection"},
                      {"account_id", account},
                      {"service_id", ServiceOf(account)},
                      {"payload", json::object{}}};
    HttpResponse r = Api("POST", "/v1/requests", json::serialize(body),
                         {{"X-Reason", "customer_request"}, {"X-Channel", "voice"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status / 100 == 2 ? r.Json().as_object() : json::object{};
  }

  HttpResponse CheckReceipt(const std::string& token) {
    return CallAs("", "POST", "/v1/receipts/check",
                  json::serialize(json::object{{"token", token}}));
  }

  // Checks until a checkpoint covers the entry (the sequencer signs in the background).
  json::object CheckedWithProof(const std::string& token) {
    json::object out;
    for (int i = 0; i < 100; ++i) {
      HttpResponse r = CheckReceipt(token);
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      out = r.Json().as_object();
      if (!out.at("proof").is_null()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return out;
  }

  static std::string Bytes(const json::value& v, const char* key) {
    return crypto::FromBase64(Str(v, key)).value_or("");
  }
};

TEST_P(Receipts, ARequestTheCustomerAskedForHasAReceiptThatVerifiesWithoutAnAccount) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string account = SuspendedCustomer("ada.receipt@example.org");
  json::object request = AskedReconnection(account);
  ASSERT_EQ(Str(request, "state"), "awaiting_payment") << json::serialize(request);
  std::string id = Str(request, "id");

  HttpResponse issued = Api("GET", "/v1/requests/" + id + "/receipt");
  ASSERT_EQ(issued.status, 200) << issued.body;
  json::value receipt = issued.Json();
  EXPECT_EQ(Str(receipt, "reference"), id);
  EXPECT_EQ(Str(receipt, "request_type"), "reconnection");
  EXPECT_EQ(Str(receipt, "channel"), "voice");
  EXPECT_EQ(Str(receipt, "filed_at"), Str(request, "created_at"));
  std::string token = Str(receipt, "token");
  EXPECT_EQ(Str(receipt, "url"), "https://portal.example.com#receipt=" + token);
  // The token is the same on every read: what the customer was given keeps working.
  EXPECT_EQ(Str(Api("GET", "/v1/requests/" + id + "/receipt").Json(), "token"), token);

  // The acknowledgement email carries the same link.
  ASSERT_TRUE(Eventually([&] {
    for (const auto& m : sink.Messages()) {
      if (Str(m, "to") == "ada.receipt@example.org" &&
          Str(m, "text").find(Str(receipt, "url")) != std::string::npos) {
        return true;
      }
    }
    return false;
  })) << "no acknowledgement with the receipt's link";

  // Checked with no key: the entry that recorded the filing is in the signed log.
  json::object check = CheckedWithProof(token);
  ASSERT_FALSE(check.empty());
  ASSERT_FALSE(check.at("proof").is_null()) << json::serialize(check);
  const json::value& proof = check.at("proof");
  const json::value& cp = check.at("checkpoint");
  EXPECT_EQ(Str(check.at("receipt"), "leaf_hash"), Str(receipt, "leaf_hash"));
  EXPECT_EQ(Str(proof, "leaf_hash"), Str(receipt, "leaf_hash"));
  EXPECT_EQ(Str(proof, "entry_id"), Str(receipt, "audit_entry_id"));
  std::vector<std::string> path;
  for (const auto& h : proof.at("audit_path").as_array()) {
    path.push_back(crypto::FromBase64(std::string(h.as_string())).value_or(""));
  }
  std::int64_t size = cp.at("tree_size").as_int64();
  std::string root = Bytes(cp, "root_hash");
  EXPECT_TRUE(merkle::VerifyInclusion(proof.at("leaf_index").as_int64(), size,
                                      Bytes(proof, "leaf_hash"), path, root));
  std::optional<Timestamp> at = ParseRfc3339(Str(cp, "created_at"));
  ASSERT_TRUE(at.has_value());
  std::string signed_bytes = domain::CheckpointSignedBytes(Str(check.at("receipt"), "tenant_id"),
                                                           size, root, *at, Str(cp, "key_id"));
  EXPECT_TRUE(
      crypto::VerifySignature(Bytes(cp, "public_key"), signed_bytes, Bytes(cp, "signature")));

  // Nothing of the account: no id, number, name or address, and no token to pass on.
  std::string body = json::serialize(check);
  json::object acc = Account(account);
  for (const std::string& secret :
       {account, Str(acc, "external_ref"), std::string("Ada"), std::string("ada.receipt")}) {
    EXPECT_EQ(body.find(secret), std::string::npos) << secret << " in " << body;
  }
  EXPECT_FALSE(check.at("receipt").as_object().contains("token"));
}

TEST_P(Receipts, ATokenThisServerDidNotIssueIsRefused) {
  std::string first = Str(AskedReconnection(SuspendedCustomer("one@example.org")), "id");
  std::string second = Str(AskedReconnection(SuspendedCustomer("two@example.org")), "id");
  std::string token = Str(Api("GET", "/v1/requests/" + first + "/receipt").Json(), "token");
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(CheckReceipt(token).status, 200);

  std::string altered = token;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  ExpectProblem(CheckReceipt(altered), 401);
  // Another request's reference under this one's seal.
  std::string swapped = token;
  swapped.replace(swapped.find(first), first.size(), second);
  ExpectProblem(CheckReceipt(swapped), 401);
  ExpectProblem(CheckReceipt("not-a-receipt"), 401);
  ExpectProblem(CheckReceipt("..."), 401);
  ExpectProblem(CallAs("", "POST", "/v1/receipts/check", "{}"), 400, "token");
  ExpectProblem(CallAs("", "POST", "/v1/receipts/check", "{\"token\":\"a\xff\"}"), 400);
  ExpectProblem(CheckReceipt(std::string(300, 'a')), 400, "token");
}

TEST_P(Receipts, OnlyARequestTheCustomerAskedForHasOne) {
  std::string account = SuspendedCustomer("auto@example.org");
  // The suspension the hold filed was the tenant's doing, not the customer's.
  std::string suspension;
  for (const auto& r : Requests(account)) {
    if (Str(r, "type") == "suspension") suspension = Str(r, "id");
  }
  ASSERT_FALSE(suspension.empty());
  ExpectProblem(Api("GET", "/v1/requests/" + suspension + "/receipt"), 422, "", "no_receipt");
  ExpectProblem(Api("GET", "/v1/requests/req_nosuchrequest/receipt"), 404);
}

class PortalReceipts : public Receipts {
 protected:
  // Signs the account's customer in through the portal; the session cookie and CSRF token.
  std::pair<std::string, std::string> SignIn(const SmtpSink& sink, const std::string& ref,
                                             const std::string& email) {
    json::object who{{"tenant_id", tenant_}, {"account_ref", ref}, {"channel", "email"}};
    EXPECT_EQ(CallAs("", "POST", "/v1/portal/sign-in-codes", json::serialize(who)).status, 202);
    who["code"] = sink.CodeFor(email, 1);
    HttpResponse r = CallAs("", "POST", "/v1/portal/sessions", json::serialize(who));
    EXPECT_EQ(r.status, 201) << r.body;
    std::string cookie = r.Header("Set-Cookie");
    size_t eq = cookie.find('=');
    return {cookie.substr(eq + 1, cookie.find(';') - eq - 1), Str(r.Json(), "csrf_token")};
  }
};

TEST_P(PortalReceipts, ACustomerReadsTheReceiptOfTheirOwnRequestsOnly) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string mine = SuspendedCustomer("mine@example.org");
  std::string theirs = SuspendedCustomer("theirs@example.org");
  std::string my_request = Str(AskedReconnection(mine), "id");
  std::string their_request = Str(AskedReconnection(theirs), "id");
  auto [cookie, csrf] = SignIn(sink, Str(Account(mine), "external_ref"), "mine@example.org");
  Headers session{{"Cookie", "__Host-sb_session=" + cookie}};

  HttpResponse own =
      CallAs("", "GET", "/v1/portal/requests/" + my_request + "/receipt", "", session);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(Str(own.Json(), "reference"), my_request);
  EXPECT_EQ(Str(own.Json(), "token"),
            Str(Api("GET", "/v1/requests/" + my_request + "/receipt").Json(), "token"));
  ExpectProblem(CallAs("", "GET", "/v1/portal/requests/" + their_request + "/receipt", "", session),
                404);
}

INSTANTIATE_TEST_SUITE_P(Backends, Receipts, ::testing::ValuesIn(Backends()), BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, PortalReceipts, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
