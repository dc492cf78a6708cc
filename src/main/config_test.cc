#include "main/config.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

namespace sb::main {
namespace {

TEST(Config, DefaultsFollowDataDir) {
  auto c = LoadConfig({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->database_url, "sqlite:./data/switchboard.db");
  EXPECT_EQ(c->master_key_file, "./data/master.key");
  EXPECT_EQ(c->listen, "127.0.0.1:8080");

  cli::CommonFlags flags;
  flags.data_dir = "/tmp/sb";
  c = LoadConfig(flags);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->database_url, "sqlite:/tmp/sb/switchboard.db");
}

TEST(Config, PublicUrlDefaultsToTheListenAddressAndMustBeHttp) {
  auto c = LoadConfig({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->public_url, "http://127.0.0.1:8080");

  char path[] = "/tmp/sb-config-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string yaml = "public_url: https://switchboard.example.com/\n";
  ASSERT_EQ(write(fd, yaml.data(), yaml.size()), static_cast<ssize_t>(yaml.size()));
  close(fd);
  cli::CommonFlags flags;
  flags.config_file = path;
  c = LoadConfig(flags);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->public_url, "https://switchboard.example.com");  // no trailing slash

  fd = open(path, O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0);
  yaml = "public_url: switchboard.example.com\n";
  ASSERT_EQ(write(fd, yaml.data(), yaml.size()), static_cast<ssize_t>(yaml.size()));
  close(fd);
  auto refused = LoadConfig(flags);
  unlink(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().param(), "public_url");
}

TEST(Config, YamlOverridesDefaultsAndNestedKeysWork) {
  Config c;
  ASSERT_TRUE(
      ApplyYamlText("listen: 0.0.0.0:9000\nthreads:\n  io: 4\nlimits:\n"
                    "  max_body_bytes: 2048\n  rate_limit_per_second: 0\nlog_level: debug\n",
                    c)
          .ok());
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  EXPECT_EQ(c.io_threads, 4);
  EXPECT_EQ(c.max_body_bytes, 2048u);
  EXPECT_EQ(c.rate_limit_per_second, 0);
  EXPECT_EQ(c.log_level, "debug");
}

TEST(Config, AbuseLimitsAreSettings) {
  Config c;
  EXPECT_EQ(c.auth_failures_per_minute, 30);
  EXPECT_EQ(c.policy_parse_concurrency, 2);
  ASSERT_TRUE(ApplyYamlText("limits:\n  auth_failures_per_minute: 5\n  rate_limit_entries: 100\n"
                            "  policy_parse_concurrency: 4\n",
                            c)
                  .ok());
  EXPECT_EQ(c.auth_failures_per_minute, 5);
  EXPECT_EQ(c.rate_limit_entries, 100u);
  EXPECT_EQ(c.policy_parse_concurrency, 4);
}

TEST(Config, ConnectionLimitsAreSettings) {
  Config c;
  EXPECT_EQ(c.header_timeout_seconds, 10);
  EXPECT_EQ(c.max_connections, 10000);
  ASSERT_TRUE(
      ApplyYamlText("limits:\n  header_timeout_seconds: 3\n  max_connections: 50\n", c).ok());
  EXPECT_EQ(c.header_timeout_seconds, 3);
  EXPECT_EQ(c.max_connections, 50);
}

// Production is safe by default: webhooks only to public https targets, no metrics served.
TEST(Config, PrivateWebhookTargetsAndMetricsAreOffUnlessConfigured) {
  Config c;
  EXPECT_FALSE(c.webhooks_allow_private_targets);
  EXPECT_EQ(c.metrics_token, "");
  ASSERT_TRUE(ApplyYamlText("webhooks:\n  allow_private_targets: true\nmetrics:\n"
                            "  token: s3cret-scrape-token\n",
                            c)
                  .ok());
  EXPECT_TRUE(c.webhooks_allow_private_targets);
  EXPECT_EQ(c.metrics_token, "s3cret-scrape-token");
  EXPECT_EQ(ApplyYamlText("webhooks:\n  allow_private_targets: maybe\n", c).param(),
            "webhooks.allow_private_targets");
}

// The web console is served from beside the executable (or its share/) unless configured.
TEST(Config, WebAssetsDirDefaultsBesideTheExecutable) {
  Config c;
  std::string found = ResolveWebAssetsDir(c);
  EXPECT_EQ(found.substr(found.size() - 4), "/web") << found;
  ASSERT_TRUE(ApplyYamlText("web:\n  assets_dir: /srv/switchboard/web\n", c).ok());
  EXPECT_EQ(ResolveWebAssetsDir(c), "/srv/switchboard/web");
}

TEST(Config, UnknownKeysAndWrongTypesAreRefused) {
  Config c;
  Status s = ApplyYamlText("listn: x\n", c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.param(), "listn");
  s = ApplyYamlText("threads:\n  io: many\n", c);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.param(), "threads.io");
}

TEST(Config, ModeIsDevelopmentUnlessTheFileSaysProduction) {
  Config c;
  EXPECT_EQ(c.mode, "development");
  ASSERT_TRUE(ApplyYamlText("mode: production\n", c).ok());
  EXPECT_EQ(c.mode, "production");
  char path[] = "/tmp/sb_config_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string yaml = "mode: staging\n";
  ASSERT_EQ(write(fd, yaml.data(), yaml.size()), static_cast<ssize_t>(yaml.size()));
  close(fd);
  cli::CommonFlags flags;
  flags.config_file = path;
  auto refused = LoadConfig(flags);
  unlink(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().param(), "mode");
}

TEST(Config, FlagsOverrideTheFile) {
  char path[] = "/tmp/sb_config_XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string yaml = "listen: 0.0.0.0:9000\ndatabase_url: sqlite:/tmp/file.db\n";
  ASSERT_EQ(write(fd, yaml.data(), yaml.size()), static_cast<ssize_t>(yaml.size()));
  close(fd);
  cli::CommonFlags flags;
  flags.config_file = path;
  flags.listen = "127.0.0.1:0";
  auto c = LoadConfig(flags);
  unlink(path);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen, "127.0.0.1:0");
  EXPECT_EQ(c->database_url, "sqlite:/tmp/file.db");
}

TEST(Config, OwnerUrlComesFromTheFileOrTheEnvironment) {
  Config c;
  ASSERT_TRUE(ApplyYamlText("database_owner_url: postgresql://own@db/sb\n", c).ok());
  EXPECT_EQ(c.database_owner_url, "postgresql://own@db/sb");
  setenv("SWITCHBOARD_DATABASE_OWNER_URL", "postgresql://env@db/sb", 1);
  auto loaded = LoadConfig(cli::CommonFlags{});
  unsetenv("SWITCHBOARD_DATABASE_OWNER_URL");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->database_owner_url, "postgresql://env@db/sb");
}

}  // namespace
}  // namespace sb::main
