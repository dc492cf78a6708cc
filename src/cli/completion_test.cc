// The completion script as a user's shell runs it: bash sources what
// `switchboard completion bash` prints and completes partial command lines.
#include "cli/completion.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/command_line.h"

namespace sb::cli {
namespace {

std::string Printed(const std::vector<std::string>& args, int* exit_code) {
  std::ostringstream out, err;
  ParseOutcome p = ParseArgs(args, out, err);
  *exit_code = p.exit_code;
  EXPECT_FALSE(p.invocation);
  return out.str();
}

class BashCompletionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int code = -1;
    std::string script = Printed({"completion", "bash"}, &code);
    ASSERT_EQ(code, 0);
    path_ = std::filesystem::temp_directory_path() /
            ("switchboard-completion-" + std::to_string(getpid()) + ".bash");
    std::ofstream(path_) << script;
  }
  void TearDown() override { std::filesystem::remove(path_); }

  // What bash offers for the command line `words`, the last one being completed.
  std::string Complete(const std::vector<std::string>& words) {
    std::string array = "switchboard";
    for (const std::string& w : words) array += " '" + w + "'";
    std::string cmd = "bash -c \"source '" + path_.string() + "'; COMP_WORDS=(" + array +
                      "); COMP_CWORD=" + std::to_string(words.size()) +
                      "; _switchboard; echo \\${COMPREPLY[*]}\"";
    FILE* pipe = popen(cmd.c_str(), "r");
    EXPECT_NE(pipe, nullptr);
    if (pipe == nullptr) return "";
    std::string out;
    std::array<char, 512> buf{};
    while (fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
    EXPECT_EQ(pclose(pipe), 0) << cmd;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

  std::filesystem::path path_;
};

TEST_F(BashCompletionTest, CompletesEverySubcommandAtTheTop) {
  std::string top = Complete({""});
  for (const char* cmd :
       {"serve", "migrate", "tenant", "apikey", "events", "audit", "completion"}) {
    EXPECT_NE(top.find(cmd), std::string::npos) << cmd << " missing from: " << top;
  }
  EXPECT_EQ(Complete({"mi"}), "migrate");
}

TEST_F(BashCompletionTest, CompletesNestedSubcommandsAndTheirFlags) {
  EXPECT_EQ(Complete({"apikey", "re"}), "revoke");
  EXPECT_EQ(Complete({"apikey", "create", "--ro"}), "--role");
  // A flag's value does not lose the level: after --tenant ten_1 the flags of create remain.
  EXPECT_EQ(Complete({"apikey", "create", "--tenant", "ten_1", "--na"}), "--name");
  EXPECT_EQ(Complete({"audit", "export", "--o"}), "--out");
  // Flags of another level are not offered.
  EXPECT_EQ(Complete({"serve", "--ou"}), "");
}

TEST(CommandLineVersion, PrintsTheProjectVersionAndExitsZero) {
  int code = -1;
  std::string out = Printed({"--version"}, &code);
  EXPECT_EQ(code, 0);
  EXPECT_NE(out.find(std::string(Version())), std::string::npos) << out;
  EXPECT_FALSE(Version().empty());
  EXPECT_NE(Version().find('.'), std::string_view::npos);
}

}  // namespace
}  // namespace sb::cli
