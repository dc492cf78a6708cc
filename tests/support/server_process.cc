#include "tests/support/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "storage/open.h"
#include "tests/support/pg_test_roles.h"
#include "tests/support/text.h"

namespace sb::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string RandomSuffix() {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  const char* hex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 12; ++i) s.push_back(hex[gen() % 16]);
  return s;
}

// Starts the switchboard binary; stdout into a pipe, stderr appended to `log_path`.
// posix_spawn, not fork: a forked child of this multi-threaded process that allocates before
// exec can wait forever on a lock another thread held at the fork (a sanitizer's allocator
// lock did, once in CI). Everything the child needs is prepared here, before the spawn.
int SpawnBinary(const std::vector<std::string>& args, const std::string& log_path, int* stdout_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(SB_BINARY));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, SB_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return -1;
  }
  *stdout_fd = fds[0];
  return pid;
}

// Reads from `fd` until a line contains `needle` or the deadline passes.
std::string ReadLineWith(int fd, const std::string& needle, Clock::time_point deadline) {
  std::string buffer;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    size_t at = buffer.find(needle);
    if (at != std::string::npos) {
      size_t start = buffer.rfind('\n', at);
      start = start == std::string::npos ? 0 : start + 1;
      size_t end = buffer.find('\n', at);
      if (end != std::string::npos) return buffer.substr(start, end - start);
    }
  }
  return {};
}

// The last lines of a log file, for failure messages (the data directory is removed).
std::string Tail(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return "(no log)";
  std::string text;
  char chunk[4096];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) text.append(chunk, n);
  std::fclose(f);
  return text.size() > 3000 ? text.substr(text.size() - 3000) : text;
}

// The running test servers by port, for HangReport.
std::mutex servers_mutex;
std::map<int, const ServerProcess*> servers_by_port;

}  // namespace

std::string HangReport(int port) {
  std::lock_guard lock(servers_mutex);
  auto it = servers_by_port.find(port);
  if (it == servers_by_port.end()) return "(no test server on that port)";
  return "The server's threads:\n" + it->second->ThreadStacks() + "\nIts log ends with:\n" +
         it->second->LogTail();
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::string TestServerConfig() {
  return std::string("webhooks:\n  allow_private_targets: true\nmetrics:\n  token: ") +
         kTestMetricsToken + "\n";
}

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::string& database_url,
                                                    bool joins_existing,
                                                    const std::string& config_yaml) {
  std::unique_ptr<ServerProcess> p(new ServerProcess());
  std::string tmpl = (std::filesystem::temp_directory_path() / "sb_ft_XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    ADD_FAILURE() << "cannot create a temporary directory";
    return nullptr;
  }
  p->data_dir_ = tmpl;
  p->database_url_ = database_url.empty() ? "sqlite:" + tmpl + "/db.sqlite" : database_url;
  p->port_ = FreePort();
  p->config_yaml_ = config_yaml;
  if (!p->Launch(joins_existing) || !p->WaitUntilReady()) return nullptr;
  std::lock_guard lock(servers_mutex);
  servers_by_port[p->port_] = p.get();
  return p;
}

bool ServerProcess::Spawn() {
  if (stdout_fd_ >= 0) close(stdout_fd_);
  std::vector<std::string> args{
      "serve",          "--listen",    "127.0.0.1:" + std::to_string(port_),
      "--database-url", database_url_, "--data-dir",
      data_dir_,        "--test-clock"};
  if (!config_yaml_.empty()) {
    std::string path = data_dir_ + "/config.yaml";
    std::ofstream(path) << config_yaml_;
    args.insert(args.end(), {"--config", path});
  }
  pid_ = SpawnBinary(args, data_dir_ + "/server.log", &stdout_fd_);
  if (pid_ < 0) ADD_FAILURE() << "cannot start " << SB_BINARY;
  return pid_ >= 0;
}

bool ServerProcess::KillAndRestart() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  return Spawn() && WaitUntilReady();
}

bool ServerProcess::Launch(bool joins_existing) {
  if (!Spawn()) return false;
  if (joins_existing) return true;
  std::string line =
      ReadLineWith(stdout_fd_, "demo_tenant_created", Clock::now() + std::chrono::seconds(60));
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(line, ec);
  if (ec || !v.is_object() || !v.as_object().contains("api_key")) {
    ADD_FAILURE() << "no demo key on stdout; server log:\n" << Tail(data_dir_ + "/server.log");
    return false;
  }
  demo_key_ = std::string(v.at("api_key").as_string());
  demo_tenant_ = std::string(v.at("tenant_id").as_string());
  return true;
}

bool ServerProcess::WaitUntilReady() {
  HttpClient c(port_);
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    if (c.Send("GET", "/readyz").status == 200) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "server not ready; server log:\n" << Tail(data_dir_ + "/server.log");
  return false;
}

std::string ServerProcess::LogTail() const { return Tail(log_path()); }

std::string ServerProcess::FlushedLog() const {
  static std::atomic<int> markers{0};
  const std::string marker =
      "log-marker-" + std::to_string(getpid()) + "-" + std::to_string(markers.fetch_add(1));
  client().Send("GET", "/healthz", "", {{"X-Request-Id", marker}});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    std::string log = ReadFile(log_path());
    if (log.find("\"" + marker + "\"") != std::string::npos) return log;
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "the server's log never showed request " << marker;
      return log;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string ServerProcess::ThreadStacks() const { return StacksOf(pid_); }

std::string StacksOf(int pid) {
  if (pid <= 0) return "(not running)";
  if (access("/usr/bin/gdb", X_OK) != 0) return "(gdb is not installed)";
  std::string command = "timeout 60 /usr/bin/gdb -batch -nx -p " + std::to_string(pid) +
                        " -ex 'thread apply all bt 40' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "(gdb could not be started)";
  // Each thread as its innermost frame and the project's own frames (sb::), threads with
  // the same such stack counted once: seventy idle connection threads make one line.
  std::map<std::string, int> threads;
  std::string current;
  bool innermost = false;
  auto flush = [&] {
    if (!current.empty()) ++threads[current];
    current.clear();
  };
  char line[4096];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    std::string text(line);
    if (text.rfind("Thread ", 0) == 0) {
      flush();
      innermost = true;
      continue;
    }
    if (text.empty() || text[0] != '#') continue;
    // "#3  0x... in sb::x::Y () at file:line": keep the function and where it is.
    size_t in = text.find(" in ");
    std::string frame =
        in == std::string::npos ? text.substr(text.find(' ') + 1) : text.substr(in + 4);
    size_t args = frame.find(" (");
    size_t at = frame.rfind(" at ");
    std::string where = at == std::string::npos ? "" : frame.substr(at);
    if (!where.empty() && where.back() == '\n') where.pop_back();
    frame = frame.substr(0, args) + where;
    if (innermost || frame.find("sb::") != std::string::npos) current += "  " + frame + "\n";
    innermost = false;
  }
  flush();
  pclose(pipe);
  std::string out;
  for (const auto& [stack, count] : threads) {
    out += std::to_string(count) + (count == 1 ? " thread:\n" : " threads:\n") + stack;
  }
  return out.empty() ? "(gdb printed no stack)" : out;
}

int ServerProcess::Stop(int timeout_ms) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  int code = -1;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      break;
    }
    if (Clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  return code;
}

ServerProcess::~ServerProcess() {
  {
    std::lock_guard lock(servers_mutex);
    auto it = servers_by_port.find(port_);
    if (it != servers_by_port.end() && it->second == this) servers_by_port.erase(it);
  }
  Stop();
  if (stdout_fd_ >= 0) close(stdout_fd_);
  if (!data_dir_.empty() && std::getenv("SB_KEEP_TEST_DATA") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
}

std::string ServerProcess::RunCli(const std::vector<std::string>& args) const {
  std::vector<std::string> all = args;
  all.insert(all.end(), {"--database-url", database_url_, "--data-dir", data_dir_});
  int fd = -1;
  int pid = SpawnBinary(all, data_dir_ + "/cli.log", &fd);
  if (pid < 0) return {};
  std::string out;
  char chunk[4096];
  // A command that does not end within two minutes fails the test instead of hanging it.
  auto deadline = Clock::now() + std::chrono::seconds(120);
  bool ended = false;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) {
      ended = true;
      break;
    }
    out.append(chunk, static_cast<size_t>(n));
  }
  close(fd);
  if (!ended) {
    // Its children too: a sanitizer's leak check at exit runs in a tracer process of its own.
    std::string processes;
    std::string ps = "ps -o pid,stat,args --pid " + std::to_string(pid) + " --ppid " +
                     std::to_string(pid) + " 2>&1";
    if (FILE* pipe = popen(ps.c_str(), "r")) {
      char line[512];
      while (std::fgets(line, sizeof line, pipe) != nullptr) processes += line;
      pclose(pipe);
    }
    std::string stacks = StacksOf(pid);
    kill(pid, SIGKILL);
    ADD_FAILURE() << "switchboard " << args.front() << " did not end in 120 s.\n"
                  << processes << "Its threads:\n"
                  << stacks << "It logged:\n"
                  << Tail(data_dir_ + "/cli.log");
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

ScratchPgDatabase::ScratchPgDatabase(std::string admin_url) : admin_url_(std::move(admin_url)) {
  name_ = "sb_ft_" + RandomSuffix();
  PgTestUrls urls = CreatePgTestDatabase(admin_url_, name_);
  if (urls.app.empty()) return;
  // Migrated here by the owner role, so that the servers started on it connect as the app
  // role alone and find nothing to migrate, as in production (docs/SECURITY.md).
  storage::OpenOptions options;
  options.pg_pool_size = 1;
  options.owner_url = urls.owner;
  auto opened = storage::OpenStore(urls.app, options);
  if (!opened.ok()) {
    ADD_FAILURE() << "migrating " << name_ << " failed: " << opened.status().ToString();
    return;
  }
  url_ = std::move(urls.app);
  owner_url_ = std::move(urls.owner);
}

ScratchPgDatabase::~ScratchPgDatabase() {
  PGconn* conn = PQconnectdb(admin_url_.c_str());
  if (PQstatus(conn) == CONNECTION_OK) {
    PQclear(PQexec(conn, ("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").c_str()));
  }
  PQfinish(conn);
}

}  // namespace sb::testing
