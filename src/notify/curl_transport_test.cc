// The libcurl transport against a real HTTP receiver on 127.0.0.1: with private targets
// allowed (as tests and development run), and with production's defaults, which refuse to
// connect there at all.
#include "notify/curl_transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/webhook_receiver.h"

namespace sb::notify {
namespace {

using sb::testing::WebhookReceiver;

WebhookPost Post(const std::string& url, const std::string& body) {
  return {url, {{"Content-Type", "application/json"}, {"webhook-id", "msg_1"}}, body};
}

CurlOptions PrivateAllowed() {
  CurlOptions o;
  o.allow_private_targets = true;
  return o;
}

TEST(CurlTransport, PostsBodiesAndHeadersAndReturnsEachStatusInOrder) {
  WebhookReceiver ok({200});
  WebhookReceiver failing({500});
  CurlTransport transport(PrivateAllowed());
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
  CurlTransport transport(PrivateAllowed());
  auto replies = transport.SendAll({Post(moved.Url(), "{}")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].http_status, 302);
  EXPECT_EQ(moved.Count(), 1u);
}

TEST(CurlTransport, NoListenerIsAGenericErrorWithoutStatus) {
  int port = 0;
  {
    WebhookReceiver gone;
    port = gone.port();
  }
  CurlTransport transport(PrivateAllowed());
  auto replies =
      transport.SendAll({Post("http://127.0.0.1:" + std::to_string(port) + "/hook", "{}")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].http_status, 0);
  // What the tenant reads says nothing of the refused connection; the log's detail does.
  EXPECT_EQ(replies[0].error, kNoAnswer);
  EXPECT_EQ(replies[0].detail, "Couldn't connect to server");
}

TEST(CurlTransport, ASlowEndpointTimesOutWithoutHoldingTheOthers) {
  WebhookReceiver slow({200});
  slow.DelayAnswers(1500);
  WebhookReceiver quick({204});
  CurlOptions options;
  options.total_timeout_ms = 300;
  options.allow_private_targets = true;
  CurlTransport transport(options);
  auto started = std::chrono::steady_clock::now();
  auto replies = transport.SendAll({Post(slow.Url(), "{}"), Post(quick.Url(), "{}")});
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].http_status, 0);
  EXPECT_EQ(replies[0].error, kNoAnswer) << "a timeout reads as a refused connection does";
  EXPECT_EQ(replies[0].detail, "Timeout was reached");
  EXPECT_EQ(replies[1].http_status, 204);
  EXPECT_LT(took, std::chrono::milliseconds(1200));
}

TEST(CurlTransport, OnlyHttpAndHttpsAreSpoken) {
  CurlTransport transport(PrivateAllowed());
  auto replies = transport.SendAll({Post("file:///etc/passwd", "{}")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].http_status, 0);
  EXPECT_EQ(replies[0].error, kTargetNotAllowed);
}

// A TCP listener on 127.0.0.1 that never accepts: whether anything connected to it shows in
// its backlog, whatever the client then spoke.
class RawListener {
 public:
  RawListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 64);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    fcntl(fd_, F_SETFL, O_NONBLOCK);
  }
  ~RawListener() { close(fd_); }
  std::string port() const { return std::to_string(port_); }
  // How many connections reached it so far.
  int Connections() {
    int n = 0;
    for (int c; (c = accept(fd_, nullptr, nullptr)) >= 0; ++n) close(c);
    return n;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Production's defaults: every spelling of a loopback address, literal or by name, is
// refused before a connection is made, and the answer is the same whether a port is open
// there or not, so that a tenant cannot scan ports through its endpoints.
TEST(CurlTransport, RefusesNonPublicAddressesBeforeConnecting) {
  RawListener open;
  int closed = 0;
  {
    RawListener gone;
    closed = std::stoi(gone.port());
  }
  const std::string p = open.port();
  std::vector<WebhookPost> posts;
  for (const char* host : {"127.0.0.1", "[::1]", "2130706433", "0x7f000001", "127.1", "0177.0.0.1",
                           "localhost", "[::ffff:127.0.0.1]", "0.0.0.0"}) {
    posts.push_back(Post(std::string("https://") + host + ":" + p + "/hook", "{}"));
  }
  posts.push_back(Post("https://127.0.0.1:" + std::to_string(closed) + "/hook", "{}"));
  CurlTransport transport;
  std::vector<WebhookReply> replies = transport.SendAll(posts);
  ASSERT_EQ(replies.size(), posts.size());
  for (size_t i = 0; i < posts.size(); ++i) {
    EXPECT_EQ(replies[i].http_status, 0) << posts[i].url;
    EXPECT_EQ(replies[i].error, kTargetNotAllowed) << posts[i].url << ": " << replies[i].detail;
  }
  EXPECT_EQ(open.Connections(), 0);
}

// Production's defaults speak https only: a plain http:// URL is never sent, even to a
// receiver that would answer.
TEST(CurlTransport, RefusesPlainHttpByDefault) {
  WebhookReceiver receiver({200});
  CurlTransport transport;
  auto replies = transport.SendAll({Post(receiver.Url(), "{}")});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].http_status, 0);
  EXPECT_EQ(replies[0].error, kTargetNotAllowed);
  EXPECT_EQ(receiver.Count(), 0u);
}

// Proxies named in the environment are not used: the address checked is the one connected
// to, not a proxy's that would then reach anywhere.
TEST(CurlTransport, IgnoresProxiesFromTheEnvironment) {
  WebhookReceiver proxy({200});
  setenv("http_proxy", proxy.Url("").c_str(), 1);
  setenv("HTTPS_PROXY", proxy.Url("").c_str(), 1);
  setenv("ALL_PROXY", proxy.Url("").c_str(), 1);
  WebhookReceiver target({204});
  CurlTransport transport(PrivateAllowed());
  auto replies = transport.SendAll({Post(target.Url(), "{}")});
  unsetenv("http_proxy");
  unsetenv("HTTPS_PROXY");
  unsetenv("ALL_PROXY");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].http_status, 204);
  EXPECT_EQ(proxy.Count(), 0u);
  EXPECT_EQ(target.Count(), 1u);
}

}  // namespace
}  // namespace sb::notify
