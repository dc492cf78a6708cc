#include "tests/functional/webhooks.h"

#include <chrono>
#include <thread>

#include "common/time.h"
#include "crypto/webhook_signature.h"

namespace sb::testing {

namespace json = boost::json;

void Webhooks::SetUp() {
  Functional::SetUp();
  // A tenant of its own: tests run in parallel, and an endpoint for "*" would see the others'.
  key_ = NewTenantKey("Webhooks Telecom", &tenant_);
  ASSERT_FALSE(key_.empty()) << "tenant or key creation failed";
  agent_ = server().RunCli(
      {"apikey", "create", "--tenant", tenant_, "--role", "agent", "--name", "agent"});
  ASSERT_FALSE(agent_.empty()) << "apikey create failed";
}

HttpResponse Webhooks::Api(const std::string& method, const std::string& target,
                           const std::string& body, Headers headers) {
  return CallAs(key_, method, target, body, std::move(headers));
}

std::string Webhooks::NewTenantKey(const std::string& name, std::string* tenant_id) {
  std::string tenant = server().RunCli({"tenant", "create", "--name", name});
  if (tenant.empty()) return "";
  if (tenant_id) *tenant_id = tenant;
  return server().RunCli(
      {"apikey", "create", "--tenant", tenant, "--role", "admin", "--name", "admin"});
}

Webhooks::Endpoint Webhooks::AddEndpoint(const std::string& url,
                                         const std::vector<std::string>& types) {
  json::array t;
  for (const std::string& type : types) t.emplace_back(type);
  HttpResponse r = Api("POST", "/v1/webhook-endpoints",
                       json::serialize(json::object{{"url", url}, {"event_types", t}}));
  EXPECT_EQ(r.status, 201) << r.body;
  if (r.status != 201) return {};
  return {Str(r.Json(), "id"), Str(r.Json(), "secret")};
}

json::object Webhooks::PauseAService() {
  json::object account{{"external_ref", NewRef()},
                       {"name", "Ada Lovelace"},
                       {"email", "ada@example.com"},
                       {"plans", json::array{"mobile_basic"}}};
  HttpResponse created = Api("POST", "/v1/accounts", json::serialize(account));
  EXPECT_EQ(created.status, 201) << created.body;
  if (created.status != 201) return {};
  json::value parsed = created.Json();
  const json::value& acc = parsed.at("account");
  json::object body{{"type", "suspension"},
                    {"account_id", acc.at("id")},
                    {"service_id", acc.at("services").at(0).at("id")},
                    {"payload", {{"hold_type", "voluntary_pause"}}}};
  HttpResponse filed =
      Api("POST", "/v1/requests", json::serialize(body), {{"X-Reason", "customer_request"}});
  EXPECT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(Str(filed.Json(), "state"), "completed") << filed.body;
  return filed.status == 201 ? filed.Json().as_object() : json::object{};
}

json::array Webhooks::Outbox(const std::string& query) {
  HttpResponse r = Api("GET", "/v1/outbox?" + query);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? r.Json().at("data").as_array() : json::array{};
}

json::object Webhooks::MessageWhen(const std::string& request_id, const std::string& type,
                                   const std::function<bool(const json::object&)>& ready) {
  json::object last;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const json::value& m : Outbox("limit=100&request_id=" + request_id)) {
      if (Str(m, "event_type") != type) continue;
      last = m.as_object();
      if (ready(last)) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "no " << type << " message of " << request_id
                << " got there: " << json::serialize(last);
  return last;
}

void Webhooks::Advance(Timestamp seconds) {
  HttpResponse r =
      Api("POST", "/v1/test/clock", json::serialize(json::object{{"advance_seconds", seconds}}));
  EXPECT_EQ(r.status, 200) << r.body;
}

Timestamp Webhooks::ServerNowSeconds() {
  HttpResponse now = Api("POST", "/v1/test/clock", R"({"advance_seconds":0})");
  EXPECT_EQ(now.status, 200) << now.body;
  return ParseRfc3339(Str(now.Json(), "now")).value_or(0) / kMillisPerSecond;
}

Status Webhooks::Verify(const ReceivedRequest& r, const std::string& secret) {
  auto key = crypto::DecodeWebhookSecret(secret);
  if (!key.ok()) return key.status();
  return crypto::VerifyWebhook(*key, r.Header("webhook-id"), r.Header("webhook-timestamp"),
                               r.Header("webhook-signature"), r.body, ServerNowSeconds());
}

void Webhooks::LetTheDispatcherRun() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
}

std::int64_t Int(const json::value& v, const char* key) {
  const json::value* f = v.is_object() ? v.as_object().if_contains(key) : nullptr;
  return f && f->is_int64() ? f->as_int64() : 0;
}

}  // namespace sb::testing
