#pragma once

// A fixture for tests that need a tenant of their own (tests run in parallel against one
// server, and some replace the tenant's policy pack or secrets): the tenant, an admin key,
// and helpers to create accounts, file requests and read what changed.

#include <boost/json.hpp>
#include <string>

#include "tests/functional/fixture.h"

namespace sb::testing {

class OwnTenant : public Functional {
 protected:
  void SetUp() override {
    Functional::SetUp();
    tenant_ = server().RunCli({"tenant", "create", "--name", "Own Tenant"});
    ASSERT_FALSE(tenant_.empty()) << "tenant create failed";
    key_ = NewKey("admin", "own");
  }

  // A new API key of the tenant with `role`.
  std::string NewKey(const std::string& role, const std::string& name) {
    std::string key =
        server().RunCli({"apikey", "create", "--tenant", tenant_, "--role", role, "--name", name});
    EXPECT_FALSE(key.empty()) << "apikey create failed";
    return key;
  }

  // A call with the test tenant's admin key.
  HttpResponse Api(const std::string& method, const std::string& target,
                   const std::string& body = "", Headers headers = {}) {
    return CallAs(key_, method, target, body, std::move(headers));
  }

  // A new account of the tenant with one mobile_basic service; returns the account object.
  boost::json::object NewAccount(boost::json::object extra = {}) {
    boost::json::object body{{"external_ref", NewRef()},
                             {"name", "Own Customer"},
                             {"plans", boost::json::array{"mobile_basic"}}};
    for (const auto& kv : extra) body[kv.key()] = kv.value();
    HttpResponse r = Api("POST", "/v1/accounts", boost::json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.Json().at("account").as_object() : boost::json::object{};
  }

  boost::json::object Account(const std::string& id) {
    HttpResponse r = Api("GET", "/v1/accounts/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : boost::json::object{};
  }

  static std::string FirstServiceId(const boost::json::object& account) {
    return Str(account.at("services").as_array().at(0), "id");
  }
  std::string ServiceStatus(const std::string& account) {
    return Str(Account(account).at("services").as_array().at(0), "status");
  }

  boost::json::array Requests(const std::string& account) {
    HttpResponse r = Api("GET", "/v1/requests?limit=100&account_id=" + account);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().at("data").as_array() : boost::json::array{};
  }

  boost::json::object Request(const std::string& id) {
    HttpResponse r = Api("GET", "/v1/requests/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : boost::json::object{};
  }

  // Files a request; expects 201 and returns it.
  boost::json::object File(const boost::json::object& body, const std::string& reason) {
    HttpResponse r =
        Api("POST", "/v1/requests", boost::json::serialize(body), {{"X-Reason", reason}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.Json().as_object() : boost::json::object{};
  }

  boost::json::array Outbox(const std::string& account, const std::string& event_type) {
    HttpResponse r =
        Api("GET", "/v1/outbox?limit=100&account_id=" + account + "&event_type=" + event_type);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().at("data").as_array() : boost::json::array{};
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

  std::string tenant_;
  std::string key_;
};

}  // namespace sb::testing
