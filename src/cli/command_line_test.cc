#include "cli/command_line.h"

#include <gtest/gtest.h>

#include <sstream>

namespace sb::cli {
namespace {

struct Parsed {
  ParseOutcome outcome;
  std::string out, err;
};

Parsed ParseLine(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Parsed p{ParseArgs(args, out, err), {}, {}};
  p.out = out.str();
  p.err = err.str();
  return p;
}

TEST(CommandLine, ServeTakesCommonFlags) {
  auto p = ParseLine({"serve", "--listen", "127.0.0.1:0", "--data-dir", "/tmp/x", "--test-clock"});
  ASSERT_TRUE(p.outcome.invocation);
  const Invocation& inv = *p.outcome.invocation;
  EXPECT_EQ(inv.command, Command::kServe);
  EXPECT_EQ(inv.common.listen, "127.0.0.1:0");
  EXPECT_EQ(inv.common.data_dir, "/tmp/x");
  EXPECT_FALSE(inv.common.database_url);
  EXPECT_TRUE(inv.common.test_clock);
}

TEST(CommandLine, ApiKeyCreateReadsRole) {
  auto p = ParseLine({"apikey", "create", "--tenant", "ten_1", "--role", "auditor", "--name", "ext",
                      "--database-url", "sqlite:/tmp/a.db"});
  ASSERT_TRUE(p.outcome.invocation);
  EXPECT_EQ(p.outcome.invocation->command, Command::kApiKeyCreate);
  EXPECT_EQ(p.outcome.invocation->role, domain::Role::kAuditor);
  EXPECT_EQ(p.outcome.invocation->tenant_id, "ten_1");
  EXPECT_EQ(p.outcome.invocation->common.database_url, "sqlite:/tmp/a.db");
}

TEST(CommandLine, AuditVerifyTenantIsOptional) {
  auto p = ParseLine({"audit", "verify", "--bundle", "b.json"});
  ASSERT_TRUE(p.outcome.invocation);
  EXPECT_EQ(p.outcome.invocation->command, Command::kAuditVerify);
  EXPECT_EQ(p.outcome.invocation->bundle_file, "b.json");
  EXPECT_TRUE(p.outcome.invocation->tenant_id.empty());
}

TEST(CommandLine, BadArgumentsExitTwoWithAMessage) {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"frobnicate"},
      {"tenant", "create"},
      {"apikey", "create", "--tenant", "t", "--role", "root", "--name", "n"},
      {"serve", "--no-such-flag"},
      {"migrate", "--listen", "x"},
  };
  for (const auto& args : cases) {
    auto p = ParseLine(args);
    EXPECT_FALSE(p.outcome.invocation);
    EXPECT_EQ(p.outcome.exit_code, 2);
    EXPECT_NE(p.err.find("switchboard: "), std::string::npos) << p.err;
  }
}

TEST(CommandLine, HelpExitsZero) {
  auto p = ParseLine({"--help"});
  EXPECT_FALSE(p.outcome.invocation);
  EXPECT_EQ(p.outcome.exit_code, 0);
  EXPECT_NE(p.out.find("serve"), std::string::npos);
}

}  // namespace
}  // namespace sb::cli
