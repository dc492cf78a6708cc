#include "tests/support/webhooks_fixture.h"

#include <chrono>
#include <thread>

#include "common/time.h"
#include "crypto/webhook_signature.h"

namespace sb::testing {

namespace json = boost::json;

void Webhooks::SetUp() {
  OwnTenant::SetUp();
  if (HasFatalFailure()) return;
  agent_ = NewKey("agent", "agent");
  ASSERT_FALSE(agent_.empty());
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
  json::object acc = NewAccount({{"name", "Ada Lovelace"}, {"email", "ada@example.com"}});
  if (acc.empty()) return {};
  json::object body{{"type", "suspension"},
                    {"account_id", acc.at("id")},
                    {"service_id", FirstServiceId(acc)},
                    {"payload", {{"hold_type", "voluntary_pause"}}}};
  json::object filed = File(body, "customer_request");
  EXPECT_EQ(Str(filed, "state"), "completed") << json::serialize(filed);
  return filed;
}

json::object Webhooks::MessageWhen(const std::string& request_id, const std::string& type,
                                   const std::function<bool(const json::object&)>& ready) {
  json::object last;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const json::value& m : Outbox("limit=100&channel=webhook&request_id=" + request_id)) {
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

Status Webhooks::Verify(const ReceivedRequest& r, const std::string& secret) {
  auto key = crypto::DecodeWebhookSecret(secret);
  if (!key.ok()) return key.status();
  return crypto::VerifyWebhook(*key, r.Header("webhook-id"), r.Header("webhook-timestamp"),
                               r.Header("webhook-signature"), r.body, ServerNowSeconds());
}

}  // namespace sb::testing
