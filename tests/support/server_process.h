#pragma once

// Runs the real `switchboard serve` binary for functional tests: a fresh data directory,
// a free port, the demo tenant's key captured from stdout; killed on destruction.

#include <memory>
#include <string>
#include <vector>

#include "tests/support/http_client.h"

namespace sb::testing {

// The bearer token /metrics of a server started with TestServerConfig() answers.
inline constexpr const char* kTestMetricsToken = "test-metrics-token";

// The configuration file test servers run with unless a test says otherwise: webhook
// endpoints may be plain http:// receivers on 127.0.0.1 (webhooks.allow_private_targets),
// and /metrics is served to kTestMetricsToken.
std::string TestServerConfig();

class ServerProcess {
 public:
  // Starts a server on SQLite (database_url empty) or on the given PostgreSQL database and
  // waits until /readyz answers 200. Fails the current test (and returns null) otherwise.
  // `joins_existing`: the database already has a server's data (another process serves
  // it), so no demo tenant is created and demo_key() stays empty. `config_yaml`: the
  // --config file's text; empty runs with the built-in defaults (production's).
  static std::unique_ptr<ServerProcess> Start(const std::string& database_url = "",
                                              bool joins_existing = false,
                                              const std::string& config_yaml = TestServerConfig());
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  const std::string& demo_key() const { return demo_key_; }
  const std::string& demo_tenant() const { return demo_tenant_; }
  HttpClient client() const { return HttpClient(port_); }
  // The database it serves ("sqlite:<file>" or a PostgreSQL URL), for tests that look at
  // what was written.
  const std::string& database_url() const { return database_url_; }
  // The file the server writes its log lines (stderr) to, for tests that look at what was
  // logged.
  std::string log_path() const { return data_dir_ + "/server.log"; }
  // The last lines it logged, for the message of a failed test.
  std::string LogTail() const;
  // The whole log once every line logged before this call is in the file (the server writes
  // its request lines in batches): sends a request with a marker id and waits for its line.
  // Fails the test when the marker does not appear within 10 seconds.
  std::string FlushedLog() const;
  // Every thread's stack as gdb prints it, or why it could not be taken.
  std::string ThreadStacks() const;

  // Sends SIGTERM and waits up to `timeout_ms` for the process to exit. Returns its exit
  // code, or -1 when it had to be killed.
  int Stop(int timeout_ms = 15000);

  // Kills the server with SIGKILL (no shutdown at all) and starts it again on the same data
  // directory and database, on the same port; waits until it is ready. The demo key stays
  // valid (the demo tenant is only created on the very first start).
  bool KillAndRestart();

  // Runs `switchboard <args...> --database-url ... --data-dir ...`; returns its stdout
  // (trimmed) or "" on a non-zero exit.
  std::string RunCli(const std::vector<std::string>& args) const;

 private:
  ServerProcess() = default;
  bool Launch(bool joins_existing);
  bool Spawn();
  bool WaitUntilReady();

  std::string data_dir_;
  std::string database_url_;
  std::string config_yaml_;
  int port_ = 0;
  int pid_ = -1;
  int stdout_fd_ = -1;
  std::string demo_key_;
  std::string demo_tenant_;
};

// A fresh PostgreSQL database on the server of `admin_url` (CREATE DATABASE with a random
// name), owned by the test owner role and migrated (tests/support/pg_test_roles.h); dropped on
// destruction.
class ScratchPgDatabase {
 public:
  explicit ScratchPgDatabase(std::string admin_url);
  ~ScratchPgDatabase();
  // The new database's URL for the app role (what a server's database_url is), or "" when it
  // could not be created.
  const std::string& url() const { return url_; }
  // The same database as its owner role.
  const std::string& owner_url() const { return owner_url_; }

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
  std::string owner_url_;
};

// A port that was free a moment ago on 127.0.0.1.
int FreePort();

// Every thread's stack of process `pid` as gdb prints it (innermost frame and the project's
// own frames, identical threads counted once), or why it could not be taken.
std::string StacksOf(int pid);

// What the test server on `port` is doing: every thread's stack (through gdb, when it is
// installed) and the last lines of its log. For the message of a request left unanswered.
std::string HangReport(int port);

}  // namespace sb::testing
