// What a client notices of the server's connection and input limits (docs/SECURITY.md,
// "Limits"): a thousand idle or half-sent connections do not keep a normal client waiting
// and are closed after the header timeout; connections over limits.max_connections are
// closed unanswered; a 100 MB body is refused with 413 without being kept in memory; JSON
// and YAML nested 10,000 deep and a billion-laughs pack are refused with 400, and the server
// stays up.

#include <poll.h>
#include <sys/socket.h>

#include <boost/asio.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr int kIdle = 1000;
constexpr int kMaxConnections = 1100;

constexpr int kReceivingBodyBytes = 4 << 20;

std::string LimitsConfig() {
  return TestServerConfig() + "limits:\n  header_timeout_seconds: 2\n  max_connections: " +
         std::to_string(kMaxConnections) +
         "\n  max_receiving_body_bytes: " + std::to_string(kReceivingBodyBytes) + "\n";
}

// The id of the process listening on 127.0.0.1:`port` (from `ss -ltnp`), or -1.
int ListenerPid(int port) {
  std::string cmd = "ss -Hltnp 'sport = :" + std::to_string(port) + "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  pclose(p);
  size_t at = out.find("pid=");
  return at == std::string::npos ? -1 : std::atoi(out.c_str() + at + 4);
}

// The peak resident memory (VmHWM) of process `pid`, in kB.
long PeakKb(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class ConnectionLimits : public ServerTest {
 protected:
  ConnectionLimits() : ServerTest(Server::kOwn, LimitsConfig()) {}

  // `n` connections to the server, each having sent `prefix` (possibly nothing).
  std::vector<std::unique_ptr<tcp::socket>> Open(int n, const std::string& prefix = "") {
    std::vector<std::unique_ptr<tcp::socket>> out;
    for (int i = 0; i < n; ++i) {
      auto s = std::make_unique<tcp::socket>(ioc_);
      s->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server().port()));
      if (!prefix.empty()) asio::write(*s, asio::buffer(prefix));
      out.push_back(std::move(s));
    }
    return out;
  }

  // How many of `sockets` the server has closed (a read finds end of file or a reset).
  static int Closed(const std::vector<std::unique_ptr<tcp::socket>>& sockets) {
    int closed = 0;
    for (const auto& s : sockets) {
      pollfd p{s->native_handle(), POLLIN, 0};
      if (poll(&p, 1, 0) <= 0) continue;
      char c;
      closed += recv(s->native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT) <= 0;
    }
    return closed;
  }

  // The answer to `head` (and `body`) sent on a connection of its own, read until the
  // server closes it.
  std::string Exchange(const std::string& head, const std::string& body = "") {
    tcp::socket s(ioc_);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server().port()));
    boost::system::error_code ec;
    asio::write(s, asio::buffer(head + body), ec);
    return ReadAll(s);
  }

  static std::string ReadAll(tcp::socket& s) {
    std::string answer;
    char buf[4096];
    boost::system::error_code ec;
    for (std::size_t n; (n = s.read_some(asio::buffer(buf), ec)) > 0 && !ec;) answer.append(buf, n);
    return answer;
  }

  std::string PostHead(const std::string& target, const std::string& framing) {
    return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key_ +
           "\r\nContent-Type: application/json\r\nConnection: close\r\n" + framing + "\r\n";
  }

  asio::io_context ioc_;
};

TEST_P(ConnectionLimits, IdleConnectionsDoNotKeepAClientWaitingAndCloseAfterTheHeaderTimeout) {
  auto idle = Open(kIdle / 2);
  auto half_sent = Open(kIdle / 2, "GET /v1/whoami HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  HttpResponse r = Call("GET", "/v1/whoami");
  EXPECT_EQ(r.status, 200) << r.body;

  // Nothing more arrives on them: all closed once header_timeout_seconds (2) has passed.
  auto deadline = SteadyClock::now() + std::chrono::seconds(15);
  while ((Closed(idle) + Closed(half_sent)) < kIdle && SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(Closed(idle), kIdle / 2);
  EXPECT_EQ(Closed(half_sent), kIdle / 2);
  EXPECT_EQ(Call("GET", "/v1/whoami").status, 200);
}

TEST_P(ConnectionLimits, ConnectionsOverTheMaximumAreClosedUnanswered) {
  // Each has sent the header of a short body and nothing more: held for the body's timeout
  // (30 s), past the header timeout.
  auto held = Open(kMaxConnections,
                   "POST /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n");
  std::string answer = Exchange("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(answer, "") << "a connection over limits.max_connections was answered";
  held.clear();
  // Once they are gone, clients are served again.
  EXPECT_TRUE(Eventually([&] { return Call("GET", "/v1/whoami").status == 200; }));
}

TEST_P(ConnectionLimits, AHundredMegabyteBodyIsRefusedWithoutBeingKept) {
  constexpr std::size_t k100Mb = 100u << 20;
  const int pid = ListenerPid(server().port());
  long before = PeakKb(pid);
  // Announced by its Content-Length: refused on the header alone, no byte of the body sent.
  std::string answer =
      Exchange(PostHead("/v1/accounts", "Content-Length: " + std::to_string(k100Mb) + "\r\n"));
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"body_too_large\""), std::string::npos) << answer;

  // Chunked: sent as fast as the server takes it; refused at the limit (1 MB).
  tcp::socket s(ioc_);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server().port()));
  asio::write(s, asio::buffer(PostHead("/v1/accounts", "Transfer-Encoding: chunked\r\n")));
  std::string chunk = "100000\r\n" + std::string(1 << 20, ' ') + "\r\n";
  std::size_t sent = 0;
  boost::system::error_code ec;
  while (sent < k100Mb && !ec) {
    asio::write(s, asio::buffer(chunk), ec);
    if (!ec) sent += 1 << 20;
  }
  std::string chunked = ReadAll(s);
  EXPECT_EQ(chunked.rfind("HTTP/1.1 413", 0), 0u) << chunked.substr(0, 200);

  // Neither body was kept: the server's peak memory grew by far less than one of them.
  long after = PeakKb(pid);
  ASSERT_GT(before, 0);
  EXPECT_LT(after - before, 30 * 1024) << "peak RSS " << before << " kB -> " << after << " kB";
  EXPECT_EQ(Call("GET", "/v1/whoami").status, 200);
}

// Bodies announced and never sent cannot take the server's memory: past
// limits.max_receiving_body_bytes (4 MiB here) of bodies being received at once, the next is
// answered 503 on its header, and two hundred such connections leave the server's peak memory
// far below what their bodies announced (200 MiB). A route that needs a key, called with no
// credentials at all, is refused on its header (401) without waiting for the body.
TEST_P(ConnectionLimits, BodiesNeverSentCannotTakeTheServersMemory) {
  const int pid = ListenerPid(server().port());
  long before = PeakKb(pid);
  const std::string announced =
      "POST /v1/csat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 1048576\r\n\r\n";
  auto held = Open(4, announced);
  std::string busy = Exchange(announced);
  EXPECT_EQ(busy.rfind("HTTP/1.1 503", 0), 0u) << busy;
  EXPECT_NE(busy.find("Retry-After: 1"), std::string::npos) << busy;
  auto more = Open(200, announced);
  long after = PeakKb(pid);
  ASSERT_GT(before, 0);
  EXPECT_LT(after - before, 40 * 1024) << "peak RSS " << before << " kB -> " << after << " kB";

  auto start = SteadyClock::now();
  std::string anonymous = Exchange(
      "POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: 1048576\r\n\r\n");
  EXPECT_EQ(anonymous.rfind("HTTP/1.1 401", 0), 0u) << anonymous;
  EXPECT_LT(SteadyClock::now() - start, std::chrono::seconds(10)) << "waited for the body";

  // Once the held bodies are gone, a body is received again.
  held.clear();
  more.clear();
  EXPECT_TRUE(Eventually([&] {
    std::string answer = Exchange(PostHead("/v1/accounts", "Content-Length: 2\r\n"), "{}");
    return answer.rfind("HTTP/1.1 400", 0) == 0;  // read, and refused for what it says
  }));
}

// A Transfer-Encoding other than chunked alone leaves the body's end unknown: the request is
// refused (400) and the connection closed, so the bytes after its header are never taken for
// a second request.
TEST_P(ConnectionLimits, ATransferCodingOtherThanChunkedIsRefusedAndNothingAfterItIsAnswered) {
  for (const char* coding : {"gzip", "identity", "gzip, chunked", "chunked, gzip", "xchunked"}) {
    SCOPED_TRACE(coding);
    std::string answer = Exchange(
        "POST /v1/csat HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: " + std::string(coding) +
        "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_NE(answer.find("\"unsupported_transfer_encoding\""), std::string::npos) << answer;
    EXPECT_EQ(answer.find("HTTP/1.1 200"), std::string::npos) << "a smuggled request was answered";
  }
}

// HEAD answers what GET would, head only: the same status and Content-Length and no body, so
// the next answer on the connection is read from its first byte.
TEST_P(ConnectionLimits, HeadAnswersTheHeadOfGetWithoutItsBody) {
  std::string get =
      Exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  size_t get_body = get.find("\r\n\r\n");
  ASSERT_NE(get_body, std::string::npos) << get;
  std::string length = std::to_string(get.size() - get_body - 4);
  std::string both = Exchange(
      "HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(both.rfind("HTTP/1.1 200", 0), 0u) << both;
  size_t end_of_head = both.find("\r\n\r\n");
  ASSERT_NE(end_of_head, std::string::npos);
  EXPECT_NE(both.substr(0, end_of_head).find("Content-Length: " + length), std::string::npos)
      << both;
  EXPECT_EQ(both.substr(end_of_head + 4, 12), "HTTP/1.1 200") << both;
  // A HEAD of a route that takes no GET: its refusal carries no body either.
  std::string refused = Exchange(
      "HEAD /v1/csat HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(refused.rfind("HTTP/1.1 405", 0), 0u) << refused;
  EXPECT_EQ(refused.substr(refused.find("\r\n\r\n") + 4, 12), "HTTP/1.1 200") << refused;
}

TEST_P(ConnectionLimits, JsonAndYamlNestedTenThousandDeepAreRefused) {
  std::string deep_array = std::string(10000, '[') + std::string(10000, ']');
  std::string deep_object;
  for (int i = 0; i < 10000; ++i) deep_object += "{\"a\":";
  deep_object += "1" + std::string(10000, '}');
  for (const std::string& body : {"{\"external_ref\":" + deep_array + "}", deep_object}) {
    HttpResponse r = Call("POST", "/v1/accounts", body);
    ExpectProblem(r, 400, "", "invalid_json");
  }
  HttpResponse request = Call("POST", "/v1/requests", deep_object, {{"X-Reason", "x"}});
  ExpectProblem(request, 400, "", "invalid_json");

  std::string deep_yaml = "version: \"deep\"\nx: " + deep_array + "\n";
  HttpResponse yaml =
      Call("POST", "/v1/policy-pack/validate", deep_yaml, {{"Content-Type", "application/yaml"}});
  EXPECT_EQ(yaml.status, 400) << yaml.body.substr(0, 300);
  EXPECT_EQ(Call("GET", "/readyz").status, 200);
}

TEST_P(ConnectionLimits, ABillionLaughsPackIsRefused) {
  // Nine levels of ten aliases each: 10^9 strings once expanded.
  std::string bomb = "version: \"laughs\"\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  const int pid = ListenerPid(server().port());
  long before = PeakKb(pid);
  HttpResponse r =
      Call("POST", "/v1/policy-pack/validate", bomb, {{"Content-Type", "application/yaml"}});
  ExpectProblem(r, 400, "policy", "too_many_nodes");
  EXPECT_LT(PeakKb(pid) - before, 30 * 1024);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConnectionLimits, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
