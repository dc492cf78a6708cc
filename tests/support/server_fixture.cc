#include "tests/support/server_fixture.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

namespace sb::testing {
namespace {

namespace json = boost::json;

struct Running {
  std::unique_ptr<ScratchPgDatabase> pg;
  std::unique_ptr<ServerProcess> server;
  bool failed = false;
};

std::map<std::string, Running>& Servers() {
  static std::map<std::string, Running> servers;
  return servers;
}

// Stops every shared server (and drops scratch databases) after the last test.
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

// A scratch database for `backend` ("" for SQLite, which the server makes itself); false
// when the backend cannot run here.
bool ScratchDatabase(const std::string& backend, std::unique_ptr<ScratchPgDatabase>* pg,
                     std::string* url) {
  if (backend != "postgres") return true;
  const char* admin_url = std::getenv("SB_TEST_PG_URL");
  if (admin_url == nullptr || *admin_url == '\0') {
    ADD_FAILURE() << "SB_TEST_PG_URL is not set: start a cluster with "
                     "scripts/pg_test_cluster.sh start DIR (scripts/test.sh does)";
    return false;
  }
  *pg = std::make_unique<ScratchPgDatabase>(admin_url);
  *url = (*pg)->url();
  return !url->empty();
}

ServerProcess* SharedServer(const std::string& backend) {
  Running& r = Servers()[backend];
  if (r.server || r.failed) return r.server.get();
  std::string url;
  if (!ScratchDatabase(backend, &r.pg, &url)) {
    r.failed = true;
    return nullptr;
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

void ServerTest::SetUp() {
  if (which_ == Server::kShared) {
    server_ = SharedServer(GetParam());
  } else {
    std::string url;
    ASSERT_TRUE(ScratchDatabase(GetParam(), &own_pg_, &url));
    own_server_ = ServerProcess::Start(url, /*joins_existing=*/false, config_yaml_);
    server_ = own_server_.get();
  }
  ASSERT_NE(server_, nullptr) << "the " << GetParam() << " server did not start";
  tenant_ = server_->demo_tenant();
  key_ = server_->demo_key();
}

void ServerTest::TearDown() {
  if (HasFailure() && own_server_) {
    std::cerr << "the server's log ends with:\n" << own_server_->LogTail() << "\n";
  }
}

HttpResponse ServerTest::Call(const std::string& method, const std::string& target,
                              const std::string& body, Headers headers) {
  return CallAs(server_->demo_key(), method, target, body, std::move(headers));
}

HttpResponse ServerTest::CallAs(const std::string& key, const std::string& method,
                                const std::string& target, const std::string& body,
                                Headers headers) {
  if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
  return server_->client().Send(method, target, body, headers);
}

HttpResponse ServerTest::Api(const std::string& method, const std::string& target,
                             const std::string& body, Headers headers) {
  return CallAs(key_, method, target, body, std::move(headers));
}

std::string ServerTest::NewRef() {
  static std::atomic<int> n{0};
  static const std::string run = std::to_string(std::rand() % 100000);
  return "ft-" + run + "-" + std::to_string(++n);
}

json::object ServerTest::NewAccount(json::object extra) {
  json::object body{{"external_ref", NewRef()},
                    {"name", "Test Customer"},
                    {"plans", json::array{"mobile_basic"}}};
  for (const auto& kv : extra) body[kv.key()] = kv.value();
  HttpResponse r = Api("POST", "/v1/accounts", json::serialize(body));
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.Json().at("account").as_object() : json::object{};
}

std::string ServerTest::SuspendedAccount(std::int64_t amount_due_minor) {
  std::string id = Str(NewAccount({{"amount_due_minor", amount_due_minor}}), "id");
  HttpResponse hold = Api("POST", "/v1/accounts/" + id + "/holds", R"({"hold_type":"non_payment"})",
                          {{"X-Reason", "non_payment"}});
  EXPECT_EQ(hold.status, 201) << hold.body;
  return id;
}

json::object ServerTest::Account(const std::string& id) {
  HttpResponse r = Api("GET", "/v1/accounts/" + id);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().as_object() : json::object{};
}

std::string ServerTest::FirstServiceId(const json::object& account) {
  const json::value* services = account.if_contains("services");
  if (services == nullptr || !services->is_array() || services->as_array().empty()) return "";
  return Str(services->as_array().at(0), "id");
}

std::string ServerTest::ServiceOf(const std::string& account_id) {
  return FirstServiceId(Account(account_id));
}

json::object ServerTest::File(const json::object& body, const std::string& reason) {
  HttpResponse r = Api("POST", "/v1/requests", json::serialize(body), {{"X-Reason", reason}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.Json().as_object() : json::object{};
}

json::object ServerTest::Request(const std::string& id) {
  HttpResponse r = Api("GET", "/v1/requests/" + id);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().as_object() : json::object{};
}

json::array ServerTest::Requests(const std::string& account) {
  HttpResponse r = Api("GET", "/v1/requests?limit=100&account_id=" + account);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().at("data").as_array() : json::array{};
}

json::array ServerTest::Outbox(const std::string& query) {
  HttpResponse r = Api("GET", "/v1/outbox?" + query);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().at("data").as_array() : json::array{};
}

size_t ServerTest::AuditEntries(const std::string& request_id, const std::string& action) {
  HttpResponse r = Api("GET", "/v1/audit/entries?limit=100&request_id=" + request_id);
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return 0;
  size_t n = 0;
  json::value entries = r.Json();
  for (const auto& e : entries.at("data").as_array()) n += Str(e, "action") == action;
  return n;
}

void ServerTest::SetClock(const std::string& rfc3339) {
  HttpResponse r = Api("POST", "/v1/test/clock", json::serialize(json::object{{"set", rfc3339}}));
  ASSERT_EQ(r.status, 200) << r.body;
}

void ServerTest::Advance(Timestamp seconds) {
  HttpResponse r =
      Api("POST", "/v1/test/clock", json::serialize(json::object{{"advance_seconds", seconds}}));
  EXPECT_EQ(r.status, 200) << r.body;
}

Timestamp ServerTest::ServerNowSeconds() {
  HttpResponse now = Api("POST", "/v1/test/clock", R"({"advance_seconds":0})");
  EXPECT_EQ(now.status, 200) << now.body;
  return ParseRfc3339(Str(now.Json(), "now")).value_or(0) / kMillisPerSecond;
}

bool ServerTest::Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 100; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

void ServerTest::LetJobsRun() { std::this_thread::sleep_for(std::chrono::milliseconds(700)); }

void ServerTest::LetTheDispatcherRun() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
}

json::object Functional::CreateAccount(const std::vector<std::string>& plans) {
  json::array p;
  for (const auto& code : plans) p.push_back(json::value(code));
  return NewAccount({{"email", "test@example.com"}, {"plans", p}});
}

size_t Functional::CountByRef(const std::string& ref) {
  HttpResponse r = Api("GET", "/v1/accounts?external_ref=" + ref);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().at("data").as_array().size() : 0;
}

std::string Str(const json::value& v, const char* key) {
  const json::value* f = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  if (f == nullptr || !f->is_string()) return {};
  return std::string(f->as_string());
}

std::int64_t Int(const json::value& v, const char* key) {
  const json::value* f = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return f && f->is_int64() ? f->as_int64() : 0;
}

void ExpectProblem(const HttpResponse& r, int status, const std::string& param,
                   const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << r.body;
  json::value v = r.Json();
  ASSERT_TRUE(v.is_object()) << r.body;
  EXPECT_EQ(v.at("status").to_number<int>(), status);
  EXPECT_EQ(Str(v, "type").rfind("https://switchboard.dev/problems/", 0), 0u) << r.body;
  EXPECT_FALSE(Str(v, "title").empty());
  if (!param.empty()) {
    EXPECT_EQ(Str(v, "param"), param) << r.body;
  }
  if (!code.empty()) {
    EXPECT_EQ(Str(v, "code"), code) << r.body;
  }
}

Timestamp At(const std::string& rfc3339) {
  std::optional<Timestamp> t = ParseRfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(0);
}

void ExpectJustAfter(Timestamp actual, Timestamp expected, const std::string& what) {
  EXPECT_GE(actual, expected) << what << ": " << FormatRfc3339(actual) << " is before "
                              << FormatRfc3339(expected);
  EXPECT_LT(actual, expected + 10 * kMillisPerSecond)
      << what << ": " << FormatRfc3339(actual) << " is well after " << FormatRfc3339(expected);
}

}  // namespace sb::testing
