// Every status change is announced, whoever caused it: a payment, a resolved fault, the
// failed-payment threshold, a hold expiry, an agent. The client's receiver gets the signed
// service.* and account.status_changed events; a redelivered inbound event answers its first
// receipt whole; a timeline shows a hold before what it caused; a personal_info_update clears
// the data_outdated hold that asked for it.

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "crypto/crypto.h"
#include "tests/support/events_fixture.h"
#include "tests/support/webhook_receiver.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class Announced : public EventsTest {
 protected:
  struct Endpoint {
    std::string id;
    std::string secret;
  };
  Endpoint AddEndpoint(const std::string& url, const std::vector<std::string>& types) {
    json::array t(types.begin(), types.end());
    HttpResponse r = Api("POST", "/v1/webhook-endpoints",
                         json::serialize(json::object{{"url", url}, {"event_types", t}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Endpoint{Str(r.Json(), "id"), Str(r.Json(), "secret")} : Endpoint{};
  }

  // The envelopes the account's outbox holds for `type`, newest first.
  std::vector<json::object> Events(const std::string& account, const std::string& type) {
    std::vector<json::object> out;
    for (const json::value& m : Outbox(account, type)) out.push_back(m.at("payload").as_object());
    return out;
  }

  std::string PlaceHold(const std::string& account, const json::object& body,
                        const std::string& reason) {
    HttpResponse r = Api("POST", "/v1/accounts/" + account + "/holds", json::serialize(body),
                         {{"X-Reason", reason}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.Json().at("hold"), "id") : "";
  }

  // The account's timeline, oldest first, as "action" of each audit entry.
  std::vector<std::string> TimelineActions(const std::string& account) {
    HttpResponse r = Api("GET", "/v1/accounts/" + account + "/timeline?limit=100");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    if (r.status != 200) return out;
    json::value page = r.Json();
    for (const json::value& item : page.at("data").as_array()) {
      if (Str(item, "kind") == "audit_entry") out.push_back(Str(item.at("audit_entry"), "action"));
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

  std::string Now(Timestamp plus_ms) { return FormatRfc3339(ServerNowSeconds() * 1000 + plus_ms); }
};

size_t IndexOf(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<size_t>(std::find(v.begin(), v.end(), s) - v.begin());
}

// What issue 9 asks first: the reconnection a payment causes reaches the client's system,
// signed with the endpoint's secret, in the docs/ARCHITECTURE.md, "Events and webhooks" envelope.
TEST_P(Announced, APaymentsReconnectionReachesTheReceiverSigned) {
  WebhookReceiver receiver;
  Endpoint ep = AddEndpoint(receiver.Url("/crm"), {"service.reconnected"});
  std::string id = SuspendedAccount();
  std::string service = FirstServiceId(Account(id));
  json::object receipt = Send(NewEventId(), "payment.received",
                              {{"account_id", id}, {"amount_minor", 4599}, {"currency", "EUR"}});
  json::array reconnections = RequestsOfType(id, "reconnection");
  ASSERT_EQ(reconnections.size(), 1u);
  std::string reconnection = Str(reconnections.at(0), "id");
  bool listed = false;
  for (const auto& r : receipt.at("request_ids").as_array())
    listed |= r.is_string() && r.as_string() == reconnection;
  EXPECT_TRUE(listed) << json::serialize(receipt);

  ASSERT_TRUE(receiver.WaitForCount(1, 10000));
  ReceivedRequest got = receiver.Requests().at(0);
  EXPECT_EQ(got.target, "/crm");
  // The Standard Webhooks signature, checked with the library and recomputed by hand.
  auto key = crypto::DecodeWebhookSecret(ep.secret);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  Status verified =
      crypto::VerifyWebhook(*key, got.Header("webhook-id"), got.Header("webhook-timestamp"),
                            got.Header("webhook-signature"), got.body, ServerNowSeconds());
  EXPECT_TRUE(verified.ok()) << verified.ToString();
  std::string mac = crypto::HmacSha256(
      *key, got.Header("webhook-id") + "." + got.Header("webhook-timestamp") + "." + got.body);
  EXPECT_EQ(got.Header("webhook-signature"), "v1," + crypto::Base64(mac));

  json::value env = json::parse(got.body);
  EXPECT_EQ(Str(env, "type"), "service.reconnected");
  EXPECT_EQ(Str(env, "tenant_id"), tenant_);
  EXPECT_EQ(Str(env, "id"), got.Header("webhook-id"));
  EXPECT_FALSE(Str(env, "created_at").empty());
  const json::value& data = env.at("data");
  EXPECT_EQ(Str(data, "object"), "service");
  EXPECT_EQ(Str(data, "id"), service);
  EXPECT_EQ(Str(data, "account_id"), id);
  EXPECT_EQ(Str(data, "status"), "active");
  EXPECT_EQ(env.at("previous"), (json::object{{"status", "suspended"}}));
  EXPECT_EQ(Str(env.at("request"), "id"), reconnection);
  EXPECT_TRUE(env.at("request").as_object().contains("idempotency_key"));
  EXPECT_EQ(receiver.Count(), 1u) << "nothing else was subscribed";

  // The account's own status change is announced by the same request.
  std::vector<json::object> changed = Events(id, "account.status_changed");
  ASSERT_EQ(changed.size(), 2u) << "suspended by the hold, active after the payment";
  EXPECT_EQ(Str(changed[0].at("data"), "status"), "active");
  EXPECT_EQ(Str(changed[0].at("data"), "object"), "account");
  EXPECT_EQ(changed[0].at("previous"), (json::object{{"status", "suspended"}}));
  EXPECT_EQ(Str(changed[0].at("request"), "id"), reconnection);
  EXPECT_FALSE(changed[0].at("data").as_object().contains("name")) << "no personal data";
}

TEST_P(Announced, AResolvedFaultAnnouncesTheSuspensionAndTheReconnection) {
  json::object created = NewAccount();
  std::string id = Str(created, "id");
  std::string service = FirstServiceId(created);
  Send(NewEventId(), "fault.reported",
       {{"account_id", id}, {"service_id", service}, {"fault_id", "F-9"}});
  Send(NewEventId(), "fault.resolved", {{"account_id", id}, {"service_id", service}});
  std::vector<json::object> suspended = Events(id, "service.suspended");
  std::vector<json::object> reconnected = Events(id, "service.reconnected");
  ASSERT_EQ(suspended.size(), 1u);
  ASSERT_EQ(reconnected.size(), 1u);
  EXPECT_EQ(Str(suspended[0].at("request"), "id"),
            Str(RequestsOfType(id, "suspension").at(0), "id"));
  EXPECT_EQ(Str(reconnected[0].at("request"), "id"),
            Str(RequestsOfType(id, "reconnection").at(0), "id"));
  EXPECT_EQ(Str(reconnected[0].at("data"), "id"), service);
  EXPECT_EQ(reconnected[0].at("previous"), (json::object{{"status", "suspended"}}));
  EXPECT_TRUE(Events(id, "account.status_changed").empty()) << "a service hold: account active";
}

TEST_P(Announced, TheFailedPaymentThresholdAnnouncesTheSuspension) {
  std::string id = Str(NewAccount({{"amount_due_minor", 2000}}), "id");
  for (int n = 1; n <= 3; ++n) {
    Send(NewEventId(), "payment.failed", {{"account_id", id}, {"reason", "card_declined"}});
  }
  json::array suspensions = RequestsOfType(id, "suspension");
  ASSERT_EQ(suspensions.size(), 1u);
  std::string suspension = Str(suspensions.at(0), "id");
  std::vector<json::object> suspended = Events(id, "service.suspended");
  std::vector<json::object> changed = Events(id, "account.status_changed");
  ASSERT_EQ(suspended.size(), 1u);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(Str(suspended[0].at("request"), "id"), suspension);
  EXPECT_EQ(Str(suspended[0].at("data"), "status"), "suspended");
  EXPECT_EQ(suspended[0].at("previous"), (json::object{{"status", "active"}}));
  EXPECT_EQ(Str(changed[0].at("data"), "status"), "suspended");
  EXPECT_EQ(Str(changed[0].at("request"), "id"), suspension);
}

TEST_P(Announced, AnExpiredHoldAnnouncesTheReconnection) {
  std::string id = Str(NewAccount(), "id");
  PlaceHold(id, {{"hold_type", "voluntary_pause"}, {"expires_at", Now(kMillisPerHour)}},
            "customer_request");
  ASSERT_EQ(Events(id, "service.suspended").size(), 1u) << "the direct endpoint announces too";
  ASSERT_EQ(Call("POST", "/v1/test/clock", R"({"advance_seconds":3700})").status, 200);
  std::vector<json::object> reconnected;
  for (int i = 0; i < 100 && reconnected.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    reconnected = Events(id, "service.reconnected");
  }
  ASSERT_EQ(reconnected.size(), 1u);
  EXPECT_EQ(Str(reconnected[0].at("data"), "status"), "active");
  std::string by = Str(reconnected[0].at("request"), "id");
  EXPECT_EQ(Str(Request(by), "account_id"), id);
  std::vector<json::object> changed = Events(id, "account.status_changed");
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(Str(changed[0].at("data"), "status"), "active");
  EXPECT_EQ(Str(changed[0].at("request"), "id"), by);
}

TEST_P(Announced, ARedeliveredEventAnswersEveryRequestOfItsFirstReceipt) {
  json::object created =
      NewAccount({{"amount_due_minor", 1000}, {"plans", json::array{"mobile_basic", "tv_plus"}}});
  std::string id = Str(created, "id");
  for (const json::value& s : created.at("services").as_array()) {
    PlaceHold(id, {{"hold_type", "non_payment"}, {"service_id", s.at("id")}}, "non_payment");
  }
  std::string event = NewEventId();
  json::object payment{{"account_id", id}, {"amount_minor", 1000}, {"currency", "EUR"}};
  json::object first = Send(event, "payment.received", payment);
  // The payment itself, then one reconnection per hold.
  ASSERT_EQ(first.at("request_ids").as_array().size(), 3u) << json::serialize(first);
  json::object again = Send(event, "payment.received", payment);
  EXPECT_TRUE(again.at("duplicate").as_bool());
  EXPECT_EQ(again.at("request_ids"), first.at("request_ids"));
  EXPECT_EQ(again.at("outcome"), first.at("outcome"));
}

// Every row of one change is stamped with the same time; their ids still keep the order they
// were made in, so the timeline never shows the suspension before the hold that caused it.
TEST_P(Announced, TheTimelineListsAHoldBeforeTheStatusChangesItCaused) {
  for (int round = 0; round < 5; ++round) {
    json::object created =
        NewAccount({{"plans", json::array{"mobile_basic", "tv_plus", "fiber_500"}}});
    std::string id = Str(created, "id");
    PlaceHold(id, {{"hold_type", "non_payment"}}, "non_payment");
    std::vector<std::string> actions = TimelineActions(id);
    size_t placed = IndexOf(actions, "hold.placed");
    ASSERT_LT(placed, actions.size());
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "service.suspended"), 3);
    for (size_t i = 0; i < actions.size(); ++i) {
      if (actions[i] == "service.suspended" || actions[i] == "account.suspended") {
        EXPECT_LT(placed, i) << actions[i] << " listed before the hold";
      }
    }
  }
}

TEST_P(Announced, APersonalInfoUpdateGetsThroughADataOutdatedHoldAndLiftsIt) {
  std::string id = Str(NewAccount(), "id");
  std::string hold = PlaceHold(id, {{"hold_type", "data_outdated"}}, "data_outdated");
  // Every other change stays blocked.
  HttpResponse other =
      Api("POST", "/v1/requests",
          json::serialize(json::object{
              {"type", "ownership_transfer"},
              {"account_id", id},
              {"payload", {{"new_owner", {{"name", "New Owner"}, {"email", "new@example.com"}}}}}}),
          {{"X-Reason", "customer_request"}});
  ExpectProblem(other, 409, "", "changes_blocked");

  HttpResponse verified = Api("POST", "/v1/accounts/" + id + "/verifications",
                              R"({"kind":"identity","method":"document_check","level":1})");
  ASSERT_EQ(verified.status, 201) << verified.body;
  json::object done = File({{"type", "personal_info_update"},
                            {"account_id", id},
                            {"payload", {{"email", "current@example.com"}}}},
                           "data_outdated");
  ASSERT_EQ(Str(done, "state"), "completed") << json::serialize(done);
  EXPECT_EQ(done.at("result").at("holds_lifted"), (json::array{json::value(hold)}));
  json::object account = Account(id);
  EXPECT_TRUE(account.at("active_holds").as_array().empty());
  EXPECT_EQ(Str(account, "email"), "current@example.com");
  std::vector<std::string> actions = TimelineActions(id);
  size_t lifted = IndexOf(actions, "hold.lifted");
  ASSERT_LT(lifted, actions.size());
  EXPECT_LT(IndexOf(actions, "customer.data_changed"), lifted);

  // With the hold gone the other change goes through.
  HttpResponse now_allowed =
      Api("POST", "/v1/requests",
          json::serialize(json::object{
              {"type", "ownership_transfer"},
              {"account_id", id},
              {"payload", {{"new_owner", {{"name", "New Owner"}, {"email", "new@example.com"}}}}}}),
          {{"X-Reason", "customer_request"}});
  EXPECT_EQ(now_allowed.status, 201) << now_allowed.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, Announced, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
