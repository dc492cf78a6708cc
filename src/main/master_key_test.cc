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

}  // namespace
}  // namespace sb::main
