// The limits of request handling an attacker meets, over a real SQLite store: failed
// authentications are counted per source address and, past the limit, refused before any
// key lookup; a tenant's event budget is spent only by deliveries whose signature verifies.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <string>

#include "crypto/webhook_signature.h"
#include "http/handler.h"
#include "tests/support/handler_stack.h"

namespace sb::testing {
namespace {

using http::Request;
using http::Response;

constexpr const char* kAttacker = "192.0.2.66";
constexpr const char* kClient = "198.51.100.7";

http::ServerOptions Limits() {
  http::ServerOptions o;
  o.rate_limit_per_second = 0.01;  // a burst of 3, then nothing within the test
  o.rate_limit_burst = 3;
  o.auth_failures_per_minute = 5;
  return o;
}

class HandlerLimits : public ::testing::Test, protected HandlerStack {
 protected:
  HandlerLimits() : HandlerStack(Limits()) {}

  void SetUp() override {
    auto tenant = admin_.CreateTenant("Acme Telecom");
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    tenant_ = tenant->id;
    auto key = admin_.CreateApiKey(tenant_, "test", domain::Role::kAdmin);
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    key_ = key->secret;
    auto secret = events_.CreateSecret(tenant_);
    ASSERT_TRUE(secret.ok()) << secret.status().ToString();
    signing_key_ = crypto::DecodeWebhookSecret(*secret).value();
  }

  Response Get(const std::string& from, const std::string& key) {
    Request r;
    r.method = "GET";
    r.target = "/v1/accounts";
    r.remote_address = from;
    r.headers["Authorization"] = "Bearer " + key;
    return handler_.Handle(r);
  }

  // An event of a type the server ignores, posted to `tenant`; signed when `sign`.
  Response PostEvent(const std::string& from, const std::string& tenant, const std::string& id,
                     bool sign) {
    Request r;
    r.method = "POST";
    r.target = "/v1/events/" + tenant;
    r.remote_address = from;
    r.body = R"({"id":")" + id + R"(","type":"test.ping","data":{}})";
    r.headers["Content-Type"] = "application/json";
    if (sign) {
      Timestamp ts = clock_.Now() / kMillisPerSecond;
      r.headers["webhook-id"] = "msg_" + id;
      r.headers["webhook-timestamp"] = std::to_string(ts);
      r.headers["webhook-signature"] = crypto::SignWebhook(signing_key_, "msg_" + id, ts, r.body);
    }
    return handler_.Handle(r);
  }

  static std::string ProblemCode(const Response& r) {
    return std::string(boost::json::parse(r.body).at("code").as_string());
  }

  std::string tenant_;
  std::string key_;
  std::string signing_key_;
};

TEST_F(HandlerLimits, FailedKeysAreLimitedPerSourceAddress) {
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(Get(kAttacker, "sb_guess_" + std::to_string(i)).status, 401);
  Response refused = Get(kAttacker, "sb_guess_again");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(ProblemCode(refused), "too_many_failures");
  ASSERT_TRUE(refused.Header("Retry-After").has_value());
  EXPECT_GE(std::stoi(*refused.Header("Retry-After")), 1);
  EXPECT_EQ(Get(kAttacker, key_).status, 429);  // refused before the lookup
  EXPECT_EQ(Get(kClient, key_).status, 200);    // another address is not held back
  EXPECT_EQ(Get(kClient, "sb_one_typo").status, 401);
}

TEST_F(HandlerLimits, ForgedEventsDoNotSpendTheTenantsEventBudget) {
  // More forged deliveries than the tenant's whole event burst, from the attacker.
  for (int i = 0; i < 5; ++i) {
    Response r = PostEvent(kAttacker, tenant_, "evt_forged_" + std::to_string(i), false);
    EXPECT_EQ(r.status, 401) << r.body;
  }
  EXPECT_EQ(PostEvent(kAttacker, tenant_, "evt_forged_more", false).status, 429);
  // The client's signed events still get the tenant's whole burst.
  for (int i = 0; i < 3; ++i) {
    Response r = PostEvent(kClient, tenant_, "evt_real_" + std::to_string(i), true);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  Response over = PostEvent(kClient, tenant_, "evt_real_over", true);
  EXPECT_EQ(over.status, 429);
  EXPECT_EQ(ProblemCode(over), "rate_limited");
}

TEST_F(HandlerLimits, EventsToUnknownTenantsAreFailuresOfTheAddress) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(PostEvent(kAttacker, "ten_made_up_" + std::to_string(i), "e", true).status, 401);
  }
  EXPECT_EQ(PostEvent(kAttacker, "ten_made_up_more", "e", true).status, 429);
  EXPECT_EQ(PostEvent(kClient, tenant_, "evt_real", true).status, 200);
}

}  // namespace
}  // namespace sb::testing
