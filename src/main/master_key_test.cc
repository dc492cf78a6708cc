#include "main/master_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

namespace sb::main {
namespace {

std::string TempDir() {
  char dir[] = "/tmp/sb_master_key_XXXXXX";
  EXPECT_NE(mkdtemp(dir), nullptr);
  return dir;
}

TEST(MasterKey, CreatedOnceWithOwnerOnlyAccessThenReused) {
  std::string dir = TempDir();
  std::string path = dir + "/master.key";
  auto first = LoadOrCreateMasterKey(path, "");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->size(), kMasterKeySize);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto second = LoadOrCreateMasterKey(path, "");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  std::filesystem::remove_all(dir);
}

TEST(MasterKey, EnvironmentOverridesTheFile) {
  std::string hex(64, 'a');
  auto key = LoadOrCreateMasterKey("/nonexistent/dir/master.key", hex);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, std::string(32, '\xaa'));
  EXPECT_EQ(LoadOrCreateMasterKey("/x", "abc").status().code(), Code::kInvalidArgument);
}

TEST(MasterKey, WrongSizedFileIsRefused) {
  std::string dir = TempDir();
  std::string path = dir + "/master.key";
  FILE* f = fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs("short", f);
  fclose(f);
  EXPECT_EQ(LoadOrCreateMasterKey(path, "").status().code(), Code::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

// Production mode refuses a key file its group or others may read (whoever can read it opens
// every account's personal data), with a message naming the file, its mode and the fix;
// development mode only reads it. Owner-only access and the environment variable pass.
TEST(MasterKey, ProductionRefusesAKeyFileOthersMayRead) {
  std::string dir = TempDir();
  std::string path = dir + "/master.key";
  auto created = LoadOrCreateMasterKey(path, "");
  ASSERT_TRUE(created.ok());
  for (mode_t mode : {0640, 0604, 0644, 0660, 0602}) {
    SCOPED_TRACE(mode);
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
    auto refused = LoadOrCreateMasterKey(path, "", /*production=*/true);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(refused.status().reason(), "master_key_exposed");
    EXPECT_EQ(refused.status().param(), "master_key_file");
    EXPECT_NE(refused.status().message().find(path), std::string::npos);
    EXPECT_NE(refused.status().message().find("production"), std::string::npos);
    EXPECT_NE(refused.status().message().find("chmod 600"), std::string::npos);
    auto development = LoadOrCreateMasterKey(path, "");
    ASSERT_TRUE(development.ok());
    EXPECT_EQ(*development, *created);
  }
  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  auto ok = LoadOrCreateMasterKey(path, "", /*production=*/true);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(*ok, *created);
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  EXPECT_TRUE(LoadOrCreateMasterKey(path, std::string(64, 'a'), /*production=*/true).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sb::main
