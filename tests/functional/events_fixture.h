#pragma once

// A fixture for inbound-event tests: a tenant of its own (tests run in parallel and a new
// signing secret replaces the old one) with an admin key and its events secret, and helpers
// to sign and post events and to read what they changed.

#include <algorithm>
#include <boost/json.hpp>
#include <string>

#include "common/time.h"
#include "crypto/webhook_signature.h"
#include "tests/functional/fixture.h"

namespace sb::testing {

class EventsTest : public Functional {
 protected:
  void SetUp() override {
    Functional::SetUp();
    tenant_ = server().RunCli({"tenant", "create", "--name", "Events Telecom"});
    ASSERT_FALSE(tenant_.empty()) << "tenant create failed";
    key_ = server().RunCli(
        {"apikey", "create", "--tenant", tenant_, "--role", "admin", "--name", "events"});
    ASSERT_FALSE(key_.empty()) << "apikey create failed";
    secret_ = server().RunCli({"events", "secret", "--tenant", tenant_});
    ASSERT_EQ(secret_.rfind("whsec_", 0), 0u) << secret_;
  }

  // The server's clock, in seconds (its test clock may have been moved).
  Timestamp ServerNowSeconds() {
    HttpResponse now = Call("POST", "/v1/test/clock", R"({"advance_seconds":0})");
    EXPECT_EQ(now.status, 200) << now.body;
    return ParseRfc3339(Str(now.Json(), "now")).value_or(0) / kMillisPerSecond;
  }

  static std::string NewEventId() { return "evt_" + NewRef(); }

  // The envelope of one event.
  static std::string EventBody(const std::string& event_id, const std::string& type,
                               const boost::json::object& data) {
    return boost::json::serialize(
        boost::json::object{{"id", event_id}, {"type", type}, {"data", data}});
  }

  std::string PaymentBody(const std::string& event_id, const std::string& account,
                          std::int64_t amount) {
    return EventBody(event_id, "payment.received",
                     {{"account_id", account}, {"amount_minor", amount}, {"currency", "EUR"}});
  }

  // Posts `body` signed with `secret` ("" for no signature headers at all).
  HttpResponse Post(const std::string& body, const std::string& secret) {
    Headers h;
    if (!secret.empty()) {
      Timestamp ts = ServerNowSeconds();
      std::string msg_id = "msg_" + NewRef();
      std::string key = crypto::DecodeWebhookSecret(secret).value();
      h = {{"webhook-id", msg_id},
           {"webhook-timestamp", std::to_string(ts)},
           {"webhook-signature", crypto::SignWebhook(key, msg_id, ts, body)}};
    }
    return CallAs("", "POST", "/v1/events/" + tenant_, body, h);
  }

  // Posts one event signed with the tenant's secret; expects 200 and returns its receipt.
  boost::json::object Send(const std::string& event_id, const std::string& type,
                           const boost::json::object& data) {
    HttpResponse r = Post(EventBody(event_id, type, data), secret_);
    EXPECT_EQ(r.status, 200) << type << ": " << r.body;
    return r.status == 200 ? r.Json().as_object() : boost::json::object{};
  }

  // A call with the test tenant's admin key.
  HttpResponse Api(const std::string& method, const std::string& target,
                   const std::string& body = "", Headers headers = {}) {
    return CallAs(key_, method, target, body, std::move(headers));
  }

  // A new account of the tenant with one mobile_basic service; returns the account object.
  boost::json::object NewAccount(boost::json::object extra = {}) {
    boost::json::object body{{"external_ref", NewRef()},
                             {"name", "Event Customer"},
                             {"plans", boost::json::array{"mobile_basic"}}};
    for (const auto& kv : extra) body[kv.key()] = kv.value();
    HttpResponse r = Api("POST", "/v1/accounts", boost::json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.Json().at("account").as_object() : boost::json::object{};
  }

  // A suspended account: one service, a non-payment hold, 45.99 due.
  std::string SuspendedAccount() {
    std::string id = Str(NewAccount({{"amount_due_minor", 4599}}), "id");
    HttpResponse hold = Api("POST", "/v1/accounts/" + id + "/holds", R"({"type":"non_payment"})",
                            {{"X-Reason", "non_payment"}});
    EXPECT_EQ(hold.status, 201) << hold.body;
    return id;
  }

  boost::json::object Account(const std::string& id) {
    HttpResponse r = Api("GET", "/v1/accounts/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : boost::json::object{};
  }

  static std::string FirstServiceId(const boost::json::object& account) {
    return Str(account.at("services").as_array().at(0), "id");
  }
  std::string ServiceStatus(const std::string& account) {
    return Str(Account(account).at("services").as_array().at(0), "status");
  }

  boost::json::array Requests(const std::string& account) {
    HttpResponse r = Api("GET", "/v1/requests?limit=100&account_id=" + account);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().at("data").as_array() : boost::json::array{};
  }

  boost::json::object Request(const std::string& id) {
    HttpResponse r = Api("GET", "/v1/requests/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : boost::json::object{};
  }

  // Files a request; expects 201 and returns it.
  boost::json::object File(const boost::json::object& body, const std::string& reason) {
    HttpResponse r =
        Api("POST", "/v1/requests", boost::json::serialize(body), {{"X-Reason", reason}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.Json().as_object() : boost::json::object{};
  }

  boost::json::array Outbox(const std::string& account, const std::string& event_type) {
    HttpResponse r =
        Api("GET", "/v1/outbox?limit=100&account_id=" + account + "&event_type=" + event_type);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().at("data").as_array() : boost::json::array{};
  }

  // The requests of `type` on the account, newest first.
  boost::json::array RequestsOfType(const std::string& account, const std::string& type) {
    boost::json::array out;
    for (const auto& q : Requests(account)) {
      if (Str(q, "type") == type) out.push_back(q);
    }
    return out;
  }

  // Stores a new version of the tenant's pack: the one in force with `edit` applied to its
  // YAML and the version bumped.
  template <typename Edit>
  void ReplacePack(Edit edit) {
    HttpResponse got = Api("GET", "/v1/policy-pack");
    ASSERT_EQ(got.status, 200) << got.body;
    std::string yaml = Str(got.Json(), "yaml");
    yaml = Replace(yaml, "version: \"2026.1\"", "version: \"2026.2\"");
    yaml = edit(yaml);
    HttpResponse put = Api("PUT", "/v1/policy-pack", yaml, {{"Content-Type", "application/yaml"}});
    ASSERT_EQ(put.status, 200) << put.body;
  }

  // `text` with the first `from` replaced by `to` (a failure when there is none).
  static std::string Replace(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }

  std::string tenant_;
  std::string key_;
  std::string secret_;
};

}  // namespace sb::testing
