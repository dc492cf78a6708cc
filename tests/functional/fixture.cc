#include "tests/functional/fixture.h"

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>

namespace sb::testing {
namespace {

struct Running {
  std::unique_ptr<ScratchPgDatabase> pg;
  std::unique_ptr<ServerProcess> server;
  bool failed = false;
};

std::map<std::string, Running>& Servers() {
  static std::map<std::string, Running> servers;
  return servers;
}

// Stops every server (and drops scratch databases) after the last test.
class ServersEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    for (auto& [name, running] : Servers()) {
      running.server.reset();
      running.pg.reset();
    }
  }
};

[[maybe_unused]] const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new ServersEnvironment);

ServerProcess* ServerFor(const std::string& backend) {
  Running& r = Servers()[backend];
  if (r.server || r.failed) return r.server.get();
  std::string url;
  if (backend == "postgres") {
    const char* admin_url = std::getenv("SB_TEST_PG_URL");
    if (admin_url == nullptr || *admin_url == '\0') {
      ADD_FAILURE() << "SB_TEST_PG_URL is not set: start a cluster with "
                       "scripts/pg_test_cluster.sh start DIR (scripts/test.sh does)";
      r.failed = true;
      return nullptr;
    }
    r.pg = std::make_unique<ScratchPgDatabase>(admin_url);
    url = r.pg->url();
    if (url.empty()) {
      r.failed = true;
      return nullptr;
    }
  }
  r.server = ServerProcess::Start(url);
  r.failed = r.server == nullptr;
  return r.server.get();
}

}  // namespace

// Both backends are always registered (test discovery happens at build time, without
// SB_TEST_PG_URL); the PostgreSQL ones fail when no cluster is given.
std::vector<std::string> Backends() { return {"sqlite", "postgres"}; }

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

void Functional::SetUp() {
  server_ = ServerFor(GetParam());
  ASSERT_NE(server_, nullptr) << "the " << GetParam() << " server did not start";
}

HttpResponse Functional::Call(const std::string& method, const std::string& target,
                              const std::string& body, Headers headers) {
  return CallAs(server_->demo_key(), method, target, body, std::move(headers));
}

HttpResponse Functional::CallAs(const std::string& key, const std::string& method,
                                const std::string& target, const std::string& body,
                                Headers headers) {
  if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
  return server_->client().Send(method, target, body, headers);
}

std::string Functional::NewRef() {
  static std::atomic<int> n{0};
  static const std::string run = std::to_string(std::rand() % 100000);
  return "ft-" + run + "-" + std::to_string(++n);
}

boost::json::object Functional::CreateAccount(const std::vector<std::string>& plans) {
  boost::json::array p;
  for (const auto& code : plans) p.push_back(boost::json::value(code));
  boost::json::object body{{"external_ref", NewRef()},
                           {"name", "Test Customer"},
                           {"email", "test@example.com"},
                           {"plans", p}};
  HttpResponse r = Call("POST", "/v1/accounts", boost::json::serialize(body));
  EXPECT_EQ(r.status, 201) << r.body;
  if (r.status != 201) return {};
  return r.Json().at("account").as_object();
}

boost::json::object Functional::GetAccount(const std::string& id) {
  HttpResponse r = Call("GET", "/v1/accounts/" + id);
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return {};
  return r.Json().as_object();
}

size_t Functional::CountByRef(const std::string& ref) {
  HttpResponse r = Call("GET", "/v1/accounts?external_ref=" + ref);
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return 0;
  return r.Json().at("data").as_array().size();
}

std::string Str(const boost::json::value& v, const char* key) {
  const boost::json::value* f = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  if (f == nullptr || !f->is_string()) return {};
  return std::string(f->as_string());
}

void ExpectProblem(const HttpResponse& r, int status, const std::string& param,
                   const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << r.body;
  boost::json::value v = r.Json();
  ASSERT_TRUE(v.is_object()) << r.body;
  EXPECT_EQ(v.at("status").to_number<int>(), status);
  EXPECT_EQ(Str(v, "type").rfind("https://switchboard.dev/problems/", 0), 0u) << r.body;
  EXPECT_FALSE(Str(v, "title").empty());
  if (!param.empty()) EXPECT_EQ(Str(v, "param"), param) << r.body;
  if (!code.empty()) EXPECT_EQ(Str(v, "code"), code) << r.body;
}

}  // namespace sb::testing
