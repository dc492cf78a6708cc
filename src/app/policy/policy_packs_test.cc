// Policy packs over a real SQLite store: the pack a tenant starts with, validation against
// the tenant's reason codes, new versions, and the version every request records.
#include "app/policy/policy_packs.h"

#include <gtest/gtest.h>

#include "app/accounts/accounts.h"
#include "app/core/keyring.h"
#include "app/policy/policy_cache.h"
#include "app/policy/policy_yaml.h"
#include "app/tenants/tenant_admin.h"
#include "tests/support/test_stores.h"

namespace sb::app {
namespace {

// The default pack with `from` replaced by `to` (which must occur in it).
std::string DefaultWith(const std::string& from, const std::string& to) {
  std::string yaml = DefaultPolicyPackYaml();
  size_t at = yaml.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) yaml.replace(at, from.size(), to);
  return yaml;
}

std::string Version(const std::string& v) {
  return DefaultWith("version: \"2026.1\"", "version: \"" + v + "\"");
}

class PolicyPacksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = NewTenant("Acme Telecom");
    default_version_ = ParsePolicyPack(DefaultPolicyPackYaml())->version;
  }

  CallContext NewTenant(const std::string& name) {
    CallContext ctx;
    auto tenant = admin_.CreateTenant(name);
    EXPECT_TRUE(tenant.ok()) << tenant.status().ToString();
    ctx.tenant_id = tenant->id;
    ctx.actor = {domain::ActorType::kApiKey, "key_admin", domain::Role::kAdmin};
    ctx.correlation_id = "corr-1";
    return ctx;
  }

  std::string NewRequestVersion(const CallContext& ctx) {
    CreateAccountInput in;
    in.external_ref = "CUST-" + std::to_string(++refs_);
    in.profile = {"Jane Doe", "jane@example.com", "+33600000000", "1 Main St"};
    auto r = accounts_.CreateAccount(ctx, in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->request.policy_version : "";
  }

  std::string InForce(const CallContext& ctx) {
    auto p = packs_.Get(ctx);
    return p.ok() ? p->version : p.status().ToString();
  }

  ManualClock clock_{1'800'000'000'000};  // 2027-01-15, after the default pack's date
  Keyring keyring_{std::string(32, 'k')};
  std::unique_ptr<domain::Store> store_ = sb::testing::NewSqliteTestStore();
  AdminUseCases admin_{Deps{*store_, clock_, keyring_}};
  AccountUseCases accounts_{Deps{*store_, clock_, keyring_}};
  PolicyPackUseCases packs_{Deps{*store_, clock_, keyring_}};
  CallContext ctx_;
  std::string default_version_;
  int refs_ = 0;
};

TEST_F(PolicyPacksTest, NewTenantStartsWithTheDefaultPack) {
  auto p = packs_.Get(ctx_);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->version, default_version_);
  EXPECT_EQ(p->yaml_text, DefaultPolicyPackYaml());
  EXPECT_EQ(NewRequestVersion(ctx_), default_version_);
}

TEST_F(PolicyPacksTest, DefaultPackIsInForceFromCreationEvenBeforeItsDate) {
  clock_.Set(1'700'000'000'000);  // 2023, before the pack's effective_from
  CallContext early = NewTenant("Early Telecom");
  EXPECT_EQ(InForce(early), default_version_);
  EXPECT_EQ(NewRequestVersion(early), default_version_);
}

TEST_F(PolicyPacksTest, UnknownReasonCodeNamesPathAndLine) {
  std::string yaml =
      DefaultWith("[payment_received, fraud_cleared, agent_correction, customer_request]",
                  "[payment_received, made_up, agent_correction, customer_request]");
  auto v = packs_.Validate(ctx_, yaml);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), Code::kUnprocessable);
  EXPECT_EQ(v.status().param(), "requests.reconnection.reason_codes[1]");
  EXPECT_NE(v.status().message().find("line "), std::string::npos) << v.status().message();
  EXPECT_FALSE(packs_.Replace(ctx_, yaml).ok());
  EXPECT_EQ(InForce(ctx_), default_version_);
}

// Status changes announce themselves; a pack that lists one would send it twice.
TEST_F(PolicyPacksTest, AStatusEventAsANotificationIsRefusedNamingPathAndLine) {
  std::string yaml = DefaultWith("    notifications: [request.completed, request.rejected]\n",
                                 "    notifications: [request.rejected, service.reconnected]\n");
  auto v = packs_.Validate(ctx_, yaml);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(v.status().reason(), "status_event_not_allowed");
  EXPECT_EQ(v.status().param(), "requests.reconnection.notifications[1]");
  EXPECT_NE(v.status().message().find("line "), std::string::npos) << v.status().message();
  EXPECT_FALSE(packs_.Replace(ctx_, yaml).ok());
  EXPECT_EQ(InForce(ctx_), default_version_);
}

TEST_F(PolicyPacksTest, ReplaceStoresANewVersionThatRequestsRecord) {
  auto r = packs_.Replace(ctx_, Version("2027.1"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->in_force);
  EXPECT_EQ(r->pack.created_by, "key_admin");
  EXPECT_EQ(InForce(ctx_), "2027.1");
  EXPECT_EQ(NewRequestVersion(ctx_), "2027.1");
  auto again = packs_.Replace(ctx_, Version("2027.1"));
  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_EQ(again.status().param(), "version");
}

TEST_F(PolicyPacksTest, DryRunWritesNothing) {
  CallContext dry = ctx_;
  dry.dry_run = true;
  auto r = packs_.Replace(dry, Version("2027.1"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->pack.version, "2027.1");
  EXPECT_EQ(InForce(ctx_), default_version_);
}

TEST_F(PolicyPacksTest, FutureDatedPackWaitsForItsDate) {
  std::string yaml = DefaultWith("effective_from: \"2026-01-01T00:00:00Z\"",
                                 "effective_from: \"2027-06-01T00:00:00Z\"");
  yaml.replace(yaml.find("version: \"2026.1\""), 17, "version: \"2027.2\"");
  auto r = packs_.Replace(ctx_, yaml);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->in_force);
  EXPECT_EQ(InForce(ctx_), default_version_);
  clock_.Set(1'820'000'000'000);  // 2027-09
  EXPECT_EQ(InForce(ctx_), "2027.2");
  EXPECT_EQ(NewRequestVersion(ctx_), "2027.2");
}

TEST_F(PolicyPacksTest, PackDatedBeforeTheOneInForceIsNotInForce) {
  std::string june = DefaultWith("effective_from: \"2026-01-01T00:00:00Z\"",
                                 "effective_from: \"2026-06-01T00:00:00Z\"");
  june.replace(june.find("version: \"2026.1\""), 17, "version: \"2026.6\"");
  ASSERT_TRUE(packs_.Replace(ctx_, june).ok());
  std::string march = DefaultWith("effective_from: \"2026-01-01T00:00:00Z\"",
                                  "effective_from: \"2026-03-01T00:00:00Z\"");
  march.replace(march.find("version: \"2026.1\""), 17, "version: \"2026.3\"");
  auto r = packs_.Replace(ctx_, march);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->in_force);
  EXPECT_EQ(InForce(ctx_), "2026.6");
}

TEST_F(PolicyPacksTest, AnotherTenantKeepsItsPack) {
  CallContext other = NewTenant("Other Telecom");
  ASSERT_TRUE(packs_.Replace(ctx_, Version("2027.1")).ok());
  EXPECT_EQ(InForce(other), default_version_);
  EXPECT_EQ(NewRequestVersion(other), default_version_);
  // Versions are per tenant: the other tenant may use the same one.
  EXPECT_TRUE(packs_.Replace(other, Version("2027.1")).ok());
}

// Compiled packs are kept by their text: tenants running the same text share one (a process
// serving a thousand tenants on the default pack holds it once), and one whose text differs
// under the same version keeps its own rules.
TEST_F(PolicyPacksTest, TenantsOnTheSamePackTextShareItAndADifferentTextKeepsItsRules) {
  CallContext same = NewTenant("Same Telecom");
  CallContext cheaper = NewTenant("Cheaper Telecom");
  std::string cheaper_yaml = DefaultWith("fee_minor: 1500", "fee_minor: 900");
  cheaper_yaml.replace(cheaper_yaml.find("version: \"2026.1\""), 17, "version: \"2027.1\"");
  ASSERT_TRUE(packs_.Replace(ctx_, Version("2027.1")).ok());
  ASSERT_TRUE(packs_.Replace(same, Version("2027.1")).ok());
  ASSERT_TRUE(packs_.Replace(cheaper, cheaper_yaml).ok());
  std::shared_ptr<const CompiledPolicy> a, b, c;
  ASSERT_TRUE(store_
                  ->Read([&](domain::Tx& tx) -> Status {
                    SB_ASSIGN_OR_RETURN(a, PolicyInForce(tx, ctx_.tenant_id, clock_.Now()));
                    SB_ASSIGN_OR_RETURN(b, PolicyInForce(tx, same.tenant_id, clock_.Now()));
                    SB_ASSIGN_OR_RETURN(c, PolicyInForce(tx, cheaper.tenant_id, clock_.Now()));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(a.get(), c.get());
  EXPECT_EQ(c->pack.version, "2027.1");
  EXPECT_EQ(a->For(domain::RequestType::kReactivation).fee_minor, 1500);
  EXPECT_EQ(c->For(domain::RequestType::kReactivation).fee_minor, 900);
}

}  // namespace
}  // namespace sb::app
