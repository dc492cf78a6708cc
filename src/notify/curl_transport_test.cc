// The libcurl transport against a real HTTP receiver on 127.0.0.1.
#include "notify/curl_transport.h"

#include <gtest/gtest.h>

#include "tests/support/webhook_receiver.h"

namespace sb::notify {
namespace {

using sb::testing::WebhookReceiver;

WebhookPost Post(const std::string& url, const std::string& body) {
  return {url, {{"Content-Type", "application/json"}, {"webhook-id", "msg_1"}}, body};
}

TEST(CurlTransport, PostsBodiesAndHeadersAndReturnsEachStatusInOrder) {
  WebhookReceiver ok({200});
  WebhookReceiver failing({500});
  CurlTransport transport;
  std::string big(5000, 'x');  // over curl's 1 KiB threshold for Expect: 100-continue
  auto replies = transport.SendAll(
      {Post(ok.Url("/a"), R"({"n":1})"), Post(failing.Url("/b"), "{}"), Post(ok.Url("/c"), big)});
  ASSERT_EQ(replies.size(), 3u);
  EXPECT_EQ(replies[0].http_status, 200);
  EXPECT_EQ(replies[1].http_status, 500);
  EXPECT_EQ(replies[2].http_status, 200);
  EXPECT_EQ(replies[0].error, "");
  auto got = ok.Requests();
  ASSERT_EQ(got.size(), 2u);
  std::map<std::string, std::string> bodies;
  for (const auto& r : got) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_EQ(r.Header("webhook-id"), "msg_1");
    EXPECT_EQ(r.Header("expect"), "");
    bodies[r.target] = r.body;
  }
  EXPECT_EQ(bodies["/a"], R"({"n":1})");
  EXPECT_EQ(bodies["/c"], big);
}

TEST(CurlTransport, RedirectsAreAnswersNotFollowed) {
  WebhookReceiver moved({302});
  CurlTransport transport;
  auto replies = transport.SendAll({Post(moved.Url(), "{}")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].http_status, 302);
  EXPECT_EQ(moved.Count(), 1u);
}

TEST(CurlTransport, NoListenerIsAnErrorWithoutStatus) {
  int port = 0;
  {
    WebhookReceiver gone;
    port = gone.port();
  }
  CurlTransport transport;
  auto replies =
      transport.SendAll({Post("http://127.0.0.1:" + std::to_string(port) + "/hook", "{}")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].http_status, 0);
  EXPECT_FALSE(replies[0].error.empty());
}

TEST(CurlTransport, ASlowEndpointTimesOutWithoutHoldingTheOthers) {
  WebhookReceiver slow({200});
  slow.DelayAnswers(1500);
  WebhookReceiver quick({204});
  CurlOptions options;
  options.total_timeout_ms = 300;
  CurlTransport transport(options);
  auto started = std::chrono::steady_clock::now();
  auto replies = transport.SendAll({Post(slow.Url(), "{}"), Post(quick.Url(), "{}")});
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].http_status, 0);
  EXPECT_EQ(replies[0].error, "Timeout was reached");
  EXPECT_EQ(replies[1].http_status, 204);
  EXPECT_LT(took, std::chrono::milliseconds(1200));
}

TEST(CurlTransport, OnlyHttpAndHttpsAreSpoken) {
  CurlTransport transport;
  auto replies = transport.SendAll({Post("file:///etc/passwd", "{}")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].http_status, 0);
  EXPECT_FALSE(replies[0].error.empty());
}

}  // namespace
}  // namespace sb::notify
