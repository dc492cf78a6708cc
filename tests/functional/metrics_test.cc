// GET /metrics of a real server: only a scraper holding the metrics token sees it (tenant
// ids and per-tenant figures are nobody else's business), and a real scrape passes
// `promtool check metrics` (Debian's prometheus package, scripts/install-deps.sh) with no
// warning: HELP and TYPE for every family, counters ending in _total, base units, and the
// processing time a histogram.

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class Metrics : public Functional {
 protected:
  HttpResponse Scrape(const std::string& authorization) {
    Headers headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
    return CallAs("", "GET", "/metrics", "", headers);
  }

  // A request of the demo tenant that completes at once: figures to show per tenant.
  void CompleteARequest() {
    json::object acc = CreateAccount();
    json::object body{{"type", "suspension"},
                      {"account_id", acc.at("id")},
                      {"service_id", FirstServiceId(acc)},
                      {"payload", {{"hold_type", "voluntary_pause"}}}};
    HttpResponse r =
        Call("POST", "/v1/requests", json::serialize(body), {{"X-Reason", "customer_request"}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
};

// What `promtool check metrics` says of `text`, and its exit status.
std::pair<int, std::string> Promtool(const std::string& text) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("sb_metrics_" + std::to_string(::getpid()) + ".txt"))
                         .string();
  std::ofstream(path) << text;
  std::string command = "promtool check metrics < " + path + " 2>&1";
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return {-1, "cannot run promtool"};
  std::string out;
  char chunk[4096];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, p)) > 0) out.append(chunk, n);
  int status = pclose(p);
  std::filesystem::remove(path);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_P(Metrics, AreOnlyForTheScraperHoldingTheToken) {
  CompleteARequest();
  for (const std::string& auth :
       {std::string(), std::string("Bearer wrong-token"), "Bearer " + server().demo_key(),
        std::string("Basic ") + kTestMetricsToken, std::string(kTestMetricsToken)}) {
    HttpResponse r = Scrape(auth);
    EXPECT_EQ(r.status, 401) << auth << ": " << r.body;
    EXPECT_EQ(r.body.find(tenant_), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("switchboard_"), std::string::npos) << r.body;
  }
  HttpResponse ok = Scrape(std::string("Bearer ") + kTestMetricsToken);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.body.find("tenant=\"" + tenant_ + "\""), std::string::npos);
}

TEST_P(Metrics, ARealScrapePassesPromtoolWithoutWarnings) {
  CompleteARequest();
  HttpResponse r = Scrape(std::string("Bearer ") + kTestMetricsToken);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("# TYPE switchboard_request_processing_seconds histogram"),
            std::string::npos);
  EXPECT_NE(r.body.find("switchboard_request_processing_seconds_bucket{tenant=\"" + tenant_ +
                        "\",type=\"suspension\",le=\"+Inf\"}"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find("quantile"), std::string::npos);
  // The customer was told before the request's answer: nothing waits to be composed.
  EXPECT_NE(r.body.find("# TYPE switchboard_notification_intents_waiting gauge\n"
                        "switchboard_notification_intents_waiting 0\n"),
            std::string::npos)
      << r.body;
  auto [status, output] = Promtool(r.body);
  EXPECT_EQ(status, 0) << "promtool (from Debian's prometheus package) failed or is missing:\n"
                       << output;
  EXPECT_EQ(output, "") << output;
}

// Every call leaves one access line in the server's log: a JSON object a log shipper can
// read, with the call's id, tenant, route (the pattern, not the ids in the path), status and
// duration, and nothing of the answer.
TEST_P(Metrics, EachCallLeavesOneJsonAccessLine) {
  json::object acc = CreateAccount();
  const std::string id = "access-line-" + std::to_string(::getpid());
  HttpResponse r = Call("GET", "/v1/accounts/" + std::string(acc.at("id").as_string()), "",
                        {{"X-Request-Id", id}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string log = server().FlushedLog();
  std::vector<json::object> lines;
  std::size_t at = 0;
  while ((at = log.find("\"" + id + "\"", at)) != std::string::npos) {
    std::size_t begin = log.rfind('\n', at);
    begin = begin == std::string::npos ? 0 : begin + 1;
    std::size_t end = log.find('\n', at);
    json::value line = json::parse(log.substr(begin, end - begin));
    ASSERT_TRUE(line.is_object()) << log.substr(begin, end - begin);
    lines.push_back(line.as_object());
    at = end;
  }
  ASSERT_EQ(lines.size(), 1u) << log;
  const json::object& line = lines[0];
  EXPECT_EQ(line.at("msg"), "request");
  EXPECT_EQ(line.at("level"), "info");
  EXPECT_EQ(line.at("request_id").as_string(), id);
  EXPECT_EQ(line.at("method"), "GET");
  EXPECT_EQ(line.at("route"), "/v1/accounts/{id}");
  EXPECT_EQ(line.at("status"), 200);
  EXPECT_FALSE(line.at("tenant").as_string().empty());
  EXPECT_TRUE(line.at("duration_ms").is_int64());
  EXPECT_TRUE(line.at("ts").is_string());
  EXPECT_EQ(line.at("logger"), "http");
  EXPECT_EQ(line.size(), 10u) << json::serialize(line);
}

INSTANTIATE_TEST_SUITE_P(Backends, Metrics, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
