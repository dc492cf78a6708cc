// The policy pack over HTTP: what a tenant starts with, refusing a broken pack, storing a
// new version, and the version every request records.

#include <algorithm>

#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

// `yaml` with `from` replaced by `to`; sets `line` to the 1-based line where `to` starts.
std::string Edit(std::string yaml, const std::string& from, const std::string& to,
                 int* line = nullptr) {
  size_t at = yaml.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return yaml;
  yaml.replace(at, from.size(), to);
  if (line) *line = 1 + static_cast<int>(std::count(yaml.begin(), yaml.begin() + at, '\n'));
  return yaml;
}

class PolicyPack : public Functional {
 protected:
  // A new tenant with an admin and an agent key.
  struct Tenant {
    std::string admin;
    std::string agent;
  };
  Tenant NewTenant() {
    std::string id = server().RunCli({"tenant", "create", "--name", "Policy " + NewRef()});
    EXPECT_FALSE(id.empty()) << "tenant create failed";
    Tenant t;
    t.admin =
        server().RunCli({"apikey", "create", "--tenant", id, "--role", "admin", "--name", "admin"});
    t.agent =
        server().RunCli({"apikey", "create", "--tenant", id, "--role", "agent", "--name", "agent"});
    EXPECT_FALSE(t.admin.empty() || t.agent.empty()) << "apikey create failed";
    return t;
  }

  boost::json::object Pack(const std::string& key) {
    HttpResponse r = CallAs(key, "GET", "/v1/policy-pack");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : boost::json::object{};
  }

  // The policy_version of the request that creates a new account with `key`.
  std::string NewRequestVersion(const std::string& key) {
    std::string body = R"({"external_ref":")" + NewRef() + "\"}";
    HttpResponse r = CallAs(key, "POST", "/v1/accounts", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.Json(), "policy_version") : "";
  }
};

TEST_P(PolicyPack, DemoTenantStartsWithTheDefaultPackAndRequestsRecordIt) {
  boost::json::object pack = Pack(server().demo_key());
  EXPECT_EQ(Str(pack, "version"), "2026.1");
  EXPECT_EQ(Str(pack, "effective_from"), "2026-01-01T00:00:00.000Z");
  EXPECT_NE(Str(pack, "yaml").find("calendar_default: paris_business"), std::string::npos);
  EXPECT_EQ(NewRequestVersion(server().demo_key()), "2026.1");
}

TEST_P(PolicyPack, BrokenPackIsRefusedWithPathAndLineAndChangesNothing) {
  Tenant t = NewTenant();
  std::string yaml = Str(Pack(t.admin), "yaml");
  int line = 0;
  std::string broken = Edit(Edit(yaml, "version: \"2026.1\"", "version: \"2027.1\""),
                            "  reconnection:\n", "  reconnection:\n    priority_boost: 2\n", &line);
  line += 1;  // the unknown key is on the line after "reconnection:"
  for (const char* method : {"PUT", "POST"}) {
    std::string target =
        method == std::string("PUT") ? "/v1/policy-pack" : "/v1/policy-pack/validate";
    HttpResponse r = CallAs(t.admin, method, target, broken, kYaml);
    ExpectProblem(r, 400, "requests.reconnection.priority_boost");
    EXPECT_NE(Str(r.Json(), "detail").find("line " + std::to_string(line)), std::string::npos)
        << r.body;
  }
  std::string unknown_reason = Edit(
      yaml, "[payment_received, fraud_cleared, agent_correction, customer_request]",
      "[customer_request, made_up]");  // the assistant files reconnections with customer_request
  ExpectProblem(CallAs(t.admin, "PUT", "/v1/policy-pack", unknown_reason, kYaml), 422,
                "requests.reconnection.reason_codes[1]", "unknown_reason_code");
  ExpectProblem(CallAs(t.admin, "PUT", "/v1/policy-pack", yaml, {{"Content-Type", "text/plain"}}),
                415);
  EXPECT_EQ(Str(Pack(t.admin), "version"), "2026.1");
  EXPECT_EQ(NewRequestVersion(t.admin), "2026.1");
}

TEST_P(PolicyPack, NewVersionReplacesItForThisTenantOnly) {
  Tenant t = NewTenant();
  std::string yaml = Edit(Str(Pack(t.admin), "yaml"), "version: \"2026.1\"", "version: \"2027.1\"");
  HttpResponse valid = CallAs(t.admin, "POST", "/v1/policy-pack/validate", yaml, kYaml);
  ASSERT_EQ(valid.status, 200) << valid.body;
  EXPECT_EQ(valid.Json().at("valid"), true);
  EXPECT_EQ(Str(valid.Json(), "version"), "2027.1");

  ExpectProblem(CallAs(t.agent, "PUT", "/v1/policy-pack", yaml, kYaml), 403);
  HttpResponse dry = CallAs(t.admin, "PUT", "/v1/policy-pack?dry_run=true", yaml, kYaml);
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.Json().at("dry_run"), true);
  EXPECT_EQ(Str(Pack(t.admin), "version"), "2026.1");

  Headers keyed = {{"Content-Type", "application/yaml"}, {"Idempotency-Key", "pp-" + NewRef()}};
  HttpResponse put = CallAs(t.admin, "PUT", "/v1/policy-pack", yaml, keyed);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json().at("in_force"), true);
  HttpResponse replay = CallAs(t.admin, "PUT", "/v1/policy-pack", yaml, keyed);
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(replay.Header("Idempotent-Replayed"), "true");
  ExpectProblem(CallAs(t.admin, "PUT", "/v1/policy-pack", yaml, kYaml), 409, "version");

  boost::json::object now = Pack(t.agent);
  EXPECT_EQ(Str(now, "version"), "2027.1");
  EXPECT_EQ(Str(now, "yaml"), yaml);
  EXPECT_EQ(NewRequestVersion(t.admin), "2027.1");
  // The demo tenant keeps its own pack.
  EXPECT_EQ(Str(Pack(server().demo_key()), "version"), "2026.1");
  EXPECT_EQ(NewRequestVersion(server().demo_key()), "2026.1");
}

// The entry of `type` in the GET /v1/policy-pack/request-types answer `list`.
boost::json::object TypeEntry(const boost::json::value& list, const std::string& type) {
  for (const boost::json::value& t : list.at("data").as_array()) {
    if (Str(t, "type") == type) return t.as_object();
  }
  ADD_FAILURE() << "no entry for " << type;
  return {};
}

// The kinds of the checks of `entry`, in order.
std::vector<std::string> CheckKinds(const boost::json::object& entry) {
  std::vector<std::string> kinds;
  for (const boost::json::value& c : entry.at("checks").as_array()) kinds.push_back(Str(c, "kind"));
  return kinds;
}

TEST_P(PolicyPack, RequestTypesTellWhatAFilingOffersAndWhatWillRun) {
  Tenant t = NewTenant();
  HttpResponse r = CallAs(t.agent, "GET", "/v1/policy-pack/request-types");
  ASSERT_EQ(r.status, 200) << r.body;
  boost::json::value list = r.Json();
  EXPECT_EQ(Str(list, "version"), "2026.1");
  EXPECT_EQ(list.at("data").as_array().size(), 15u);

  boost::json::object reconnection = TypeEntry(list, "reconnection");
  EXPECT_EQ(CheckKinds(reconnection),
            (std::vector<std::string>{"payment_cleared", "no_fraud_hold"}));
  const boost::json::array& codes = reconnection.at("reason_codes").as_array();
  EXPECT_NE(std::find(codes.begin(), codes.end(), boost::json::value("payment_received")),
            codes.end());
  EXPECT_EQ(Str(reconnection, "auto_approve"), "when_checks_pass");

  // Who approves, and that the filer may not: what the approvals inbox relies on.
  boost::json::object transfer = TypeEntry(list, "ownership_transfer");
  EXPECT_EQ(Str(transfer, "auto_approve"), "never");
  EXPECT_EQ(Str(transfer, "approval_role"), "admin");
  EXPECT_EQ(transfer.at("fee_minor"), 2500);
  bool maker_checker = false;
  for (const boost::json::value& c : transfer.at("checks").as_array()) {
    if (Str(c, "kind") == "approval") maker_checker = c.at("maker_checker").as_bool();
  }
  EXPECT_TRUE(maker_checker);
  EXPECT_EQ(Str(TypeEntry(list, "reactivation").at("offers").as_array().at(0), "code"),
            "welcome_back");
  ExpectProblem(CallAs("", "GET", "/v1/policy-pack/request-types"), 401);
}

TEST_P(PolicyPack, RequestTypesFollowTheNewVersionInForce) {
  Tenant t = NewTenant();
  std::string yaml = Edit(Str(Pack(t.admin), "yaml"), "version: \"2026.1\"", "version: \"2027.2\"");
  yaml = Edit(yaml, "      - kind: no_fraud_hold\n    auto_approve: when_checks_pass\n",
              "      - kind: no_fraud_hold\n      - kind: approval\n        role: supervisor\n"
              "    auto_approve: never\n    approval_role: supervisor\n");
  HttpResponse put = CallAs(t.admin, "PUT", "/v1/policy-pack", yaml, kYaml);
  ASSERT_EQ(put.status, 200) << put.body;

  HttpResponse r = CallAs(t.agent, "GET", "/v1/policy-pack/request-types");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Str(r.Json(), "version"), "2027.2");
  boost::json::object reconnection = TypeEntry(r.Json(), "reconnection");
  EXPECT_EQ(CheckKinds(reconnection),
            (std::vector<std::string>{"payment_cleared", "no_fraud_hold", "approval"}));
  EXPECT_EQ(Str(reconnection.at("checks").as_array().at(2), "role"), "supervisor");
  EXPECT_EQ(Str(reconnection, "auto_approve"), "never");
  // The demo tenant's reconnections still complete without a person.
  HttpResponse demo = Api("GET", "/v1/policy-pack/request-types");
  EXPECT_EQ(Str(TypeEntry(demo.Json(), "reconnection"), "auto_approve"), "when_checks_pass");
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, PolicyPack, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace sb::testing
