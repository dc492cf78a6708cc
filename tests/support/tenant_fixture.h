#pragma once

// A fixture for tests that need a tenant of their own (tests run in parallel against one
// server, and some replace the tenant's policy pack or secrets): the tenant (tenant_), an
// admin key (key_), and what only a tenant of one's own allows. See server_fixture.h for
// the chain.

#include <boost/json.hpp>
#include <string>

#include "tests/support/server_fixture.h"

namespace sb::testing {

class OwnTenant : public Functional {
 protected:
  void SetUp() override {
    Functional::SetUp();
    if (HasFatalFailure()) return;
    key_ = NewTenantKey("Own Tenant", &tenant_);
    ASSERT_FALSE(key_.empty()) << "tenant or key creation failed";
  }

  // A new API key of the test's tenant with `role`.
  std::string NewKey(const std::string& role, const std::string& name) {
    std::string key =
        server().RunCli({"apikey", "create", "--tenant", tenant_, "--role", role, "--name", name});
    EXPECT_FALSE(key.empty()) << "apikey create failed";
    return key;
  }

  // Creates another tenant with an admin key; returns the key ("" on failure).
  std::string NewTenantKey(const std::string& name, std::string* tenant_id = nullptr) {
    std::string tenant = server().RunCli({"tenant", "create", "--name", name});
    if (tenant.empty()) return "";
    if (tenant_id) *tenant_id = tenant;
    return server().RunCli(
        {"apikey", "create", "--tenant", tenant, "--role", "admin", "--name", "admin"});
  }

  std::string ServiceStatus(const std::string& account) {
    return Str(Account(account).at("services").as_array().at(0), "status");
  }

  using ServerTest::Outbox;
  // The account's outbox messages of `event_type`.
  boost::json::array Outbox(const std::string& account, const std::string& event_type) {
    return Outbox("limit=100&account_id=" + account + "&event_type=" + event_type);
  }

  // The requests of `type` on the account, newest first.
  boost::json::array RequestsOfType(const std::string& account, const std::string& type) {
    boost::json::array out;
    for (const auto& q : Requests(account)) {
      if (Str(q, "type") == type) out.push_back(q);
    }
    return out;
  }

  // Stores a new version of the tenant's pack: the one in force with `edit` applied to its
  // YAML and the version bumped.
  template <typename Edit>
  void ReplacePack(Edit edit) {
    HttpResponse got = Api("GET", "/v1/policy-pack");
    ASSERT_EQ(got.status, 200) << got.body;
    std::string yaml = Str(got.Json(), "yaml");
    yaml = Replace(yaml, "version: \"2026.1\"", "version: \"2026.2\"");
    yaml = edit(yaml);
    HttpResponse put = Api("PUT", "/v1/policy-pack", yaml, {{"Content-Type", "application/yaml"}});
    ASSERT_EQ(put.status, 200) << put.body;
  }

  // `text` with the first `from` replaced by `to` (a failure when there is none).
  static std::string Replace(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }
};

}  // namespace sb::testing
