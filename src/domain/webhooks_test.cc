#include "domain/webhooks.h"

#include <gtest/gtest.h>

namespace sb::domain {
namespace {

TEST(WebhookEventTypes, AreEveryTypeOrDistinctResourceActionNames) {
  struct Case {
    std::vector<std::string> types;
    bool ok;
  };
  const Case cases[] = {
      {{"*"}, true},
      {{"request.completed"}, true},
      {{"request.completed", "request.sla_breached", "provisioning.requested"}, true},
      {{"a.b.c"}, true},
      {{}, false},
      {{"*", "request.completed"}, false},
      {{"request"}, false},
      {{"Request.Completed"}, false},
      {{"request."}, false},
      {{".completed"}, false},
      {{"request..completed"}, false},
      {{"request.*"}, false},
      {{"request.completed", "request.completed"}, false},
      {{std::string(101, 'a') + ".b"}, false},
      {std::vector<std::string>(51, "x.y"), false},
  };
  for (const Case& c : cases) {
    Status s = ValidateEventTypes(c.types);
    EXPECT_EQ(s.ok(), c.ok) << s.ToString();
    if (!c.ok) {
      EXPECT_EQ(s.param(), "event_types");
    }
  }
}

TEST(WebhookEventTypes, StarSubscribesToEverythingNamesToThemselves) {
  EXPECT_TRUE(Subscribes({"*"}, "request.completed"));
  EXPECT_TRUE(Subscribes({"service.suspended", "request.completed"}, "request.completed"));
  EXPECT_FALSE(Subscribes({"request.completed"}, "request.completed_late"));
  EXPECT_FALSE(Subscribes({"account.closed"}, "request.completed"));
  EXPECT_FALSE(Subscribes({}, "request.completed"));
}

TEST(WebhookRetries, FollowTheScheduleOverAboutThreeDaysThenStop) {
  const Timestamp s = kMillisPerSecond, m = kMillisPerMinute, h = kMillisPerHour;
  const Timestamp expected[] = {30 * s, 2 * m, 10 * m, h, 6 * h, 12 * h, 24 * h, 24 * h};
  Timestamp total = 0;
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(WebhookRetryDelay(i + 1, 0.0), expected[i]) << "after failure " << i + 1;
    total += expected[i];
  }
  EXPECT_EQ(WebhookRetryDelay(9, 0.0), std::nullopt);
  EXPECT_EQ(WebhookRetryDelay(0, 0.0), std::nullopt);
  EXPECT_GT(total, 2 * 24 * h + 18 * h);
  EXPECT_LT(total, 3 * 24 * h);
}

TEST(WebhookRetries, JitterOnlyStretchesByUpToTenPercent) {
  EXPECT_EQ(WebhookRetryDelay(1, 0.5), 31'500);
  EXPECT_EQ(WebhookRetryDelay(1, 0.999999), 32'999);
  EXPECT_EQ(WebhookRetryDelay(4, 1.0), kMillisPerHour + kMillisPerHour / 10);
  EXPECT_EQ(WebhookRetryDelay(2, -3.0), 2 * kMillisPerMinute);
}

OutboxMessage Leased() {
  OutboxMessage m;
  m.tenant_id = "ten_a";
  m.id = "msg_1";
  m.channel = "webhook";
  m.state = OutboxState::kPending;
  m.locked_until = 5'000;
  return m;
}

TEST(WebhookAttempts, AllAcknowledgedIsDelivered) {
  OutboxMessage m = AfterAttempt(Leased(), {{"whe_1", 200, ""}, {"whe_2", 204, ""}}, 1'000, 0.5);
  EXPECT_EQ(m.state, OutboxState::kDelivered);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.delivered_at, std::optional<Timestamp>(1'000));
  EXPECT_EQ(m.delivered_to, (std::vector<std::string>{"whe_1", "whe_2"}));
  EXPECT_EQ(m.locked_until, std::nullopt);
  EXPECT_EQ(m.last_error, "");
}

TEST(WebhookAttempts, AFailingEndpointIsRetriedAloneAfterTheBackoff) {
  OutboxMessage m = AfterAttempt(
      Leased(), {{"whe_1", 200, ""}, {"whe_2", 500, ""}, {"whe_3", 0, "timed out"}}, 1'000, 0.0);
  EXPECT_EQ(m.state, OutboxState::kPending);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.next_attempt_at, 1'000 + 30 * kMillisPerSecond);
  EXPECT_EQ(m.delivered_to, std::vector<std::string>{"whe_1"});
  EXPECT_EQ(m.last_error, "whe_2: HTTP 500; whe_3: timed out");
  EXPECT_EQ(m.delivered_at, std::nullopt);
  EXPECT_EQ(m.locked_until, std::nullopt);

  OutboxMessage again = AfterAttempt(m, {{"whe_2", 301, ""}, {"whe_3", 200, ""}}, 40'000, 0.0);
  EXPECT_EQ(again.attempts, 2);
  EXPECT_EQ(again.next_attempt_at, 40'000 + 2 * kMillisPerMinute);
  EXPECT_EQ(again.delivered_to, (std::vector<std::string>{"whe_1", "whe_3"}));
  EXPECT_EQ(again.last_error, "whe_2: HTTP 301");
}

TEST(WebhookAttempts, TheNinthFailureIsDead) {
  OutboxMessage m = Leased();
  for (int i = 1; i <= 8; ++i) {
    m = AfterAttempt(m, {{"whe_1", 503, ""}}, i * 1'000, 0.3);
    ASSERT_EQ(m.state, OutboxState::kPending) << i;
  }
  m = AfterAttempt(m, {{"whe_1", 0, ""}}, 9'000, 0.3);
  EXPECT_EQ(m.state, OutboxState::kDead);
  EXPECT_EQ(m.attempts, 9);
  EXPECT_EQ(m.last_error, "whe_1: no answer");
  EXPECT_EQ(m.delivered_at, std::nullopt);
}

TEST(WebhookAttempts, LastErrorIsBounded) {
  std::vector<EndpointAnswer> answers;
  for (int i = 0; i < 40; ++i) answers.push_back({"whe_" + std::to_string(i), 500, ""});
  EXPECT_EQ(AfterAttempt(Leased(), answers, 0, 0).last_error.size(), 500u);
}

}  // namespace
}  // namespace sb::domain
