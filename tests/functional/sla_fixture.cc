#include "tests/functional/sla_fixture.h"

#include <chrono>
#include <cstdlib>
#include <thread>

namespace sb::testing {

namespace json = boost::json;

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

void OwnServer::SetUp() {
  std::string url;
  if (GetParam() == "postgres") {
    const char* admin_url = std::getenv("SB_TEST_PG_URL");
    ASSERT_TRUE(admin_url != nullptr && *admin_url != '\0') << "SB_TEST_PG_URL is not set";
    pg_ = std::make_unique<ScratchPgDatabase>(admin_url);
    url = pg_->url();
    ASSERT_FALSE(url.empty());
  }
  server_ = ServerProcess::Start(url);
  ASSERT_NE(server_, nullptr);
}

HttpResponse OwnServer::Call(const std::string& method, const std::string& target,
                             const std::string& body, Headers headers) {
  bool typed = false;
  for (const auto& [name, value] : headers) typed = typed || name == "Content-Type";
  if (!body.empty() && !typed) headers.emplace_back("Content-Type", "application/json");
  headers.emplace_back("Authorization", "Bearer " + server_->demo_key());
  return server_->client().Send(method, target, body, headers);
}

void OwnServer::SetClock(const std::string& rfc3339) {
  HttpResponse r = Call("POST", "/v1/test/clock", json::serialize(json::object{{"set", rfc3339}}));
  ASSERT_EQ(r.status, 200) << r.body;
}

void OwnServer::PutPack(const std::vector<std::pair<std::string, std::string>>& edits) {
  HttpResponse got = Call("GET", "/v1/policy-pack");
  ASSERT_EQ(got.status, 200) << got.body;
  std::string yaml = Str(got.Json(), "yaml");
  std::vector<std::pair<std::string, std::string>> all = {
      {"version: \"2026.1\"", "version: \"2026.2\""},
      {"effective_from: \"2026-01-01T00:00:00Z\"", "effective_from: \"2026-01-02T00:00:00Z\""}};
  all.insert(all.end(), edits.begin(), edits.end());
  for (const auto& [from, to] : all) {
    size_t at = yaml.find(from);
    ASSERT_NE(at, std::string::npos) << "not in the default pack: " << from;
    yaml.replace(at, from.size(), to);
  }
  HttpResponse put = Call("PUT", "/v1/policy-pack", yaml, {{"Content-Type", "application/yaml"}});
  ASSERT_EQ(put.status, 200) << put.body;
  ASSERT_EQ(put.Json().at("in_force"), true) << put.body;
}

std::string OwnServer::NewAccount(std::int64_t amount_due_minor) {
  static int made = 0;
  json::object body{{"external_ref", "SLA-" + std::to_string(++made)},
                    {"plans", json::array{"mobile_basic"}},
                    {"amount_due_minor", amount_due_minor}};
  HttpResponse created = Call("POST", "/v1/accounts", json::serialize(body));
  EXPECT_EQ(created.status, 201) << created.body;
  return created.status == 201 ? Str(created.Json().at("account"), "id") : "";
}

std::string OwnServer::SuspendedAccount(std::int64_t amount_due_minor) {
  std::string id = NewAccount(amount_due_minor);
  HttpResponse hold =
      Call("POST", "/v1/accounts/" + id + "/holds", R"({"hold_type":"non_payment"})",
           {{"Content-Type", "application/json"}, {"X-Reason", "non_payment"}});
  EXPECT_EQ(hold.status, 201) << hold.body;
  return id;
}

std::string OwnServer::ServiceOf(const std::string& account_id) {
  HttpResponse r = Call("GET", "/v1/accounts/" + account_id);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? Str(r.Json().at("services").at(0), "id") : "";
}

json::object OwnServer::File(const std::string& type, const std::string& account_id,
                             const std::string& priority, const std::string& reason,
                             const std::string& payload, const std::string& service_id) {
  json::object body{{"type", type},
                    {"account_id", account_id},
                    {"priority", priority},
                    {"payload", json::parse(payload)}};
  if (!service_id.empty()) body["service_id"] = service_id;
  HttpResponse r = Call("POST", "/v1/requests", json::serialize(body),
                        {{"Content-Type", "application/json"}, {"X-Reason", reason}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? r.Json().as_object() : json::object{};
}

json::object OwnServer::Reconnect(const std::string& account_id, const std::string& priority) {
  return File("reconnection", account_id, priority, "payment_received", "{}",
              ServiceOf(account_id));
}

json::object OwnServer::WaitingReconnection(const std::string& priority) {
  json::object r = Reconnect(SuspendedAccount(5000), priority);
  EXPECT_EQ(Str(r, "state"), "awaiting_payment") << json::serialize(r);
  return r;
}

json::object OwnServer::Request(const std::string& id) {
  HttpResponse r = Call("GET", "/v1/requests/" + id);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().as_object() : json::object{};
}

size_t OwnServer::Events(const std::string& request_id, const std::string& event_type) {
  HttpResponse r =
      Call("GET", "/v1/outbox?limit=100&request_id=" + request_id + "&event_type=" + event_type);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().at("data").as_array().size() : 0;
}

size_t OwnServer::AuditEntries(const std::string& request_id, const std::string& action) {
  HttpResponse r = Call("GET", "/v1/audit/entries?limit=100&request_id=" + request_id);
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return 0;
  size_t n = 0;
  json::value entries = r.Json();
  for (const auto& e : entries.at("data").as_array()) n += Str(e, "action") == action;
  return n;
}

bool OwnServer::Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 100; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

void OwnServer::LetJobsRun() {
  // The runner looks for due jobs every 150 ms.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
}

const json::object& OwnServer::SlaOf(const json::object& request) {
  static const json::object kNone;
  const json::value* sla = request.if_contains("sla");
  return sla && sla->is_object() ? sla->as_object() : kNone;
}

Timestamp OwnServer::SlaTime(const json::object& request, const char* key) {
  std::string text = Str(SlaOf(request), key);
  EXPECT_FALSE(text.empty()) << key << " missing in " << json::serialize(request);
  return text.empty() ? 0 : At(text);
}

}  // namespace sb::testing
