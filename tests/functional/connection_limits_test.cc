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

std::string LimitsConfig() {
  return TestServerConfig() + "limits:\n  header_timeout_seconds: 2\n  max_connections: " +
         std::to_string(kMaxConnections) + "\n";
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
  // Each has sent the header of a chunked body and nothing more: held for the body's
  // timeout (30 s), past the header timeout.
  auto held =
      Open(kMaxConnections,
           "POST /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
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
