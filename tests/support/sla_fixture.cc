#include "tests/support/sla_fixture.h"

namespace sb::testing {

namespace json = boost::json;

void OwnServer::PutPack(const std::vector<std::pair<std::string, std::string>>& edits) {
  HttpResponse got = Api("GET", "/v1/policy-pack");
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
  HttpResponse put = Api("PUT", "/v1/policy-pack", yaml, {{"Content-Type", "application/yaml"}});
  ASSERT_EQ(put.status, 200) << put.body;
  ASSERT_EQ(put.Json().at("in_force"), true) << put.body;
}

std::string OwnServer::NewAccount(std::int64_t amount_due_minor) {
  return Str(ServerTest::NewAccount({{"amount_due_minor", amount_due_minor}}), "id");
}

json::object OwnServer::File(const std::string& type, const std::string& account_id,
                             const std::string& priority, const std::string& reason,
                             const std::string& payload, const std::string& service_id) {
  json::object body{{"type", type},
                    {"account_id", account_id},
                    {"priority", priority},
                    {"payload", json::parse(payload)}};
  if (!service_id.empty()) body["service_id"] = service_id;
  return File(body, reason);
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

size_t OwnServer::Events(const std::string& request_id, const std::string& event_type) {
  return Outbox("limit=100&request_id=" + request_id + "&event_type=" + event_type).size();
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
