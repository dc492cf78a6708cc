// Webhook delivery over real HTTP: a change's events reach the endpoints subscribed to them,
// signed with each endpoint's secret; failures are retried at the backoff times of the
// server's clock; a receiver that never succeeds ends in the dead-letter list, and a replay
// delivers it.

#include <set>

#include "tests/support/webhooks_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

bool Delivered(const json::object& m) { return Str(m, "state") == "delivered"; }

TEST_P(Webhooks, AChangesEventsArriveSignedWithTheEndpointsSecret) {
  WebhookReceiver receiver;
  Endpoint ep =
      AddEndpoint(receiver.Url("/switchboard"), {"service.suspended", "request.completed"});
  ASSERT_EQ(ep.secret.rfind("whsec_", 0), 0u) << ep.secret;
  json::object req = PauseAService();
  ASSERT_TRUE(receiver.WaitForCount(2, 10000)) << receiver.Count();

  std::set<std::string> types;
  for (const ReceivedRequest& r : receiver.Requests()) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/switchboard");
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_EQ(r.Header("webhook-id").rfind("msg_", 0), 0u);
    EXPECT_TRUE(Verify(r, ep.secret).ok()) << Verify(r, ep.secret).ToString();
    json::value env = json::parse(r.body);
    types.insert(Str(env, "type"));
    EXPECT_EQ(Str(env, "tenant_id"), tenant_);
    EXPECT_EQ(Str(env.at("data"), "account_id"), Str(req, "account_id"));
    EXPECT_EQ(Str(env.at("request"), "id"), Str(req, "id"));
    EXPECT_FALSE(Str(env, "created_at").empty());
    // One id for the event: the envelope's is the delivery's webhook-id, so a receiver can
    // deduplicate on either.
    EXPECT_EQ(Str(env, "id"), r.Header("webhook-id"));
  }
  EXPECT_EQ(types, (std::set<std::string>{"request.completed", "service.suspended"}));

  for (const char* type : {"request.completed", "service.suspended"}) {
    json::object m = MessageWhen(Str(req, "id"), type, Delivered);
    EXPECT_EQ(Int(m, "attempts"), 1) << json::serialize(m);
    EXPECT_EQ(m.at("delivered_to"), (json::array{json::value(ep.id)}));
    EXPECT_FALSE(m.at("delivered_at").is_null());
    EXPECT_TRUE(m.at("next_attempt_at").is_null());
  }
  LetTheDispatcherRun();
  EXPECT_EQ(receiver.Count(), 2u) << "a delivered message is not sent again";
}

TEST_P(Webhooks, AFailingReceiverIsRetriedAtTheBackoffTimesUntilItAnswers) {
  WebhookReceiver receiver({500, 500, 200});
  Endpoint ep = AddEndpoint(receiver.Url(), {"service.suspended"});
  json::object req = PauseAService();
  std::string id = Str(req, "id");
  ASSERT_TRUE(receiver.WaitForCount(1, 10000));
  json::object m = MessageWhen(id, "service.suspended",
                               [](const json::object& o) { return Int(o, "attempts") == 1; });
  EXPECT_EQ(Str(m, "state"), "pending");
  EXPECT_NE(Str(m, "last_error").find(ep.id + ": HTTP 500"), std::string::npos)
      << Str(m, "last_error");
  Timestamp wait =
      ParseRfc3339(Str(m, "next_attempt_at")).value_or(0) / kMillisPerSecond - ServerNowSeconds();
  EXPECT_GE(wait, 28) << "30 s, less the time this test took";
  EXPECT_LE(wait, 33);

  Advance(20);  // not yet due
  LetTheDispatcherRun();
  EXPECT_EQ(receiver.Count(), 1u);
  Advance(15);  // 35 s after the first attempt: past 30 s and its jitter
  ASSERT_TRUE(receiver.WaitForCount(2, 10000));
  m = MessageWhen(id, "service.suspended",
                  [](const json::object& o) { return Int(o, "attempts") == 2; });
  EXPECT_EQ(Str(m, "state"), "pending");
  Advance(100);  // the second wait is 2 min
  LetTheDispatcherRun();
  EXPECT_EQ(receiver.Count(), 2u);
  Advance(35);
  ASSERT_TRUE(receiver.WaitForCount(3, 10000));
  m = MessageWhen(id, "service.suspended", Delivered);
  EXPECT_EQ(Int(m, "attempts"), 3);
  EXPECT_EQ(Str(m, "last_error"), "");

  auto got = receiver.Requests();
  ASSERT_EQ(got.size(), 3u);
  for (const ReceivedRequest& r : got) {
    EXPECT_EQ(r.Header("webhook-id"), got[0].Header("webhook-id")) << "one id on every retry";
    EXPECT_EQ(r.body, got[0].body);
  }
  EXPECT_TRUE(Verify(got[2], ep.secret).ok());
  EXPECT_LT(std::stoll(got[0].Header("webhook-timestamp")),
            std::stoll(got[2].Header("webhook-timestamp")));
}

TEST_P(Webhooks, ANeverSucceedingReceiverEndsDeadAndReplayDeliversIt) {
  WebhookReceiver receiver({503});
  Endpoint ep = AddEndpoint(receiver.Url(), {"service.suspended"});
  std::string req = Str(PauseAService(), "id");
  // The schedule, in seconds, with room for its jitter (up to 10 % more).
  const Timestamp schedule[] = {30, 120, 600, 3600, 21600, 43200, 86400, 86400};
  for (int attempt = 1; attempt <= 9; ++attempt) {
    ASSERT_TRUE(receiver.WaitForCount(attempt, 10000)) << "attempt " << attempt;
    MessageWhen(req, "service.suspended",
                [&](const json::object& o) { return Int(o, "attempts") == attempt; });
    if (attempt < 9) Advance(schedule[attempt - 1] * 11 / 10 + 1);
  }
  json::object dead = MessageWhen(req, "service.suspended",
                                  [](const json::object& o) { return Str(o, "state") == "dead"; });
  std::string id = Str(dead, "id");
  EXPECT_EQ(Int(dead, "attempts"), 9);
  EXPECT_NE(Str(dead, "last_error").find("HTTP 503"), std::string::npos);
  std::set<std::string> dead_ids;
  for (const json::value& m : Outbox("channel=webhook&state=dead")) dead_ids.insert(Str(m, "id"));
  EXPECT_EQ(dead_ids, std::set<std::string>{id});
  Advance(3 * 86400);
  LetTheDispatcherRun();
  EXPECT_EQ(receiver.Count(), 9u) << "a dead message is not retried";

  ExpectProblem(CallAs(agent_, "POST", "/v1/outbox/" + id + "/replay"), 403);
  receiver.AnswerWith({200});
  HttpResponse replayed = Api("POST", "/v1/outbox/" + id + "/replay");
  ASSERT_EQ(replayed.status, 200) << replayed.body;
  EXPECT_EQ(Str(replayed.Json(), "state"), "pending");
  EXPECT_EQ(Int(replayed.Json(), "attempts"), 0);
  ASSERT_TRUE(receiver.WaitForCount(10, 10000));
  EXPECT_TRUE(Verify(receiver.Requests().back(), ep.secret).ok());
  json::object m = MessageWhen(req, "service.suspended", Delivered);
  EXPECT_EQ(Int(m, "attempts"), 1);
  EXPECT_TRUE(Outbox("channel=webhook&state=dead").empty());
  ExpectProblem(Api("POST", "/v1/outbox/msg_nosuchmessage/replay"), 404);

  HttpResponse audit = Api("GET", "/v1/audit/entries?category=security&limit=100");
  ASSERT_EQ(audit.status, 200) << audit.body;
  bool audited = false;
  json::value entries = audit.Json();
  for (const json::value& e : entries.at("data").as_array()) {
    audited |= Str(e, "action") == "outbox.replayed" && Str(e, "subject_id") == id;
  }
  EXPECT_TRUE(audited) << audit.body;
}

TEST_P(Webhooks, AnEndpointSubscribedToOtherTypesGetsNothing) {
  WebhookReceiver other;
  WebhookReceiver wanted;
  AddEndpoint(other.Url(), {"account.closed", "request.sla_breached"});
  Endpoint ep = AddEndpoint(wanted.Url(), {"service.suspended"});
  std::string req = Str(PauseAService(), "id");
  ASSERT_TRUE(wanted.WaitForCount(1, 10000));
  json::object suspended = MessageWhen(req, "service.suspended", Delivered);
  EXPECT_EQ(suspended.at("delivered_to"), (json::array{json::value(ep.id)}));
  // Nobody subscribed to request.completed: it stays visible, skipped, never retried.
  json::object completed = MessageWhen(
      req, "request.completed", [](const json::object& o) { return Str(o, "state") == "skipped"; });
  EXPECT_EQ(Int(completed, "attempts"), 0);
  Advance(3600);
  LetTheDispatcherRun();
  EXPECT_EQ(other.Count(), 0u);
  EXPECT_EQ(wanted.Count(), 1u);
  EXPECT_EQ(Str(json::parse(wanted.Requests().at(0).body), "type"), "service.suspended");
}

INSTANTIATE_TEST_SUITE_P(Backends, Webhooks, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
