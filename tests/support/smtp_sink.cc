#include "tests/support/smtp_sink.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/support/server_process.h"

extern char** environ;

namespace sb::testing {
namespace {

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

}  // namespace

SmtpSink::SmtpSink(SmtpSinkOptions options, int port)
    : options_(std::move(options)), port_(port == 0 ? FreePort() : port) {
  char tmpl[] = "/tmp/sb-smtp-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  EXPECT_TRUE(Launch()) << "the SMTP sink did not start (python3-aiosmtpd installed?)";
}

SmtpSink::~SmtpSink() {
  Stop();
  if (!dir_.empty() && std::getenv("SB_KEEP_TEST_DATA") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string SmtpSink::Url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

bool SmtpSink::Launch() {
  std::vector<std::string> args = {"/usr/bin/python3",
                                   std::string(SB_SOURCE_DIR) + "/tests/support/smtp_sink.py",
                                   "--port",
                                   std::to_string(port_),
                                   "--dir",
                                   dir_};
  for (const std::string& a : options_.refuse) {
    args.push_back("--refuse");
    args.push_back(a);
  }
  if (options_.ack_delay_seconds > 0) {
    args.push_back("--ack-delay");
    args.push_back(std::to_string(options_.ack_delay_seconds));
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, "/usr/bin/python3", nullptr, nullptr, argv.data(), environ) != 0)
    return false;
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Accepts(port_)) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void SmtpSink::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
}

bool SmtpSink::Restart() { return Restart(options_); }

bool SmtpSink::Restart(SmtpSinkOptions options) {
  Stop();
  options_ = std::move(options);
  return Launch();
}

std::vector<boost::json::object> SmtpSink::Messages() const {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<boost::json::object> out;
  for (const std::string& f : files) {
    std::ifstream in(f);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code jec;
    boost::json::value v = boost::json::parse(text.str(), jec);
    if (!jec && v.is_object()) out.push_back(v.get_object());
  }
  return out;
}

bool SmtpSink::WaitForCount(size_t n, int timeout_ms) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Messages().size() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Messages().size() >= n;
}

std::string SmtpSink::CodeFor(const std::string& email, size_t n, int timeout_ms) const {
  static const std::regex kCode(" is ([0-9]{6})\\.");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    size_t seen = 0;
    std::string code;
    for (const boost::json::object& m : Messages()) {
      const boost::json::value* text = m.if_contains("text");
      if (text == nullptr || !text->is_string()) continue;
      std::string body(text->get_string());
      std::smatch match;
      if (!std::regex_search(body, match, kCode)) continue;
      ++seen;
      if (boost::json::serialize(m).find(email) != std::string::npos) code = match[1];
    }
    if (seen >= n && !code.empty()) return code;
    if (std::chrono::steady_clock::now() >= deadline) return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace sb::testing
