#pragma once

// Server configuration: built-in defaults, overridden by a YAML file (--config FILE),
// overridden by command-line flags.

#include <cstddef>
#include <string>

#include "cli/command_line.h"
#include "common/status.h"

namespace sb::main {

struct Config {
  std::string listen = "127.0.0.1:8080";
  // The address people reach this server at (behind a proxy, its public https:// address):
  // the base of the links staff emails carry. Empty means "http://<listen>" (see LoadConfig).
  std::string public_url;
  // Empty means "sqlite:DATA_DIR/switchboard.db" (see Resolve).
  std::string database_url;
  // PostgreSQL: the URL of the role that owns the tables, used only to migrate and to grant
  // database_url's role what it needs (docs/SECURITY.md). Empty: database_url migrates.
  // SWITCHBOARD_DATABASE_OWNER_URL overrides the file, so its password can stay out of it.
  std::string database_owner_url;
  std::string data_dir = "./data";
  // Empty means DATA_DIR/master.key. SWITCHBOARD_MASTER_KEY (hex) overrides the file.
  std::string master_key_file;
  int io_threads = 2;
  int handler_threads = 64;
  int read_threads = 4;     // GET and HEAD (http::ServerOptions::read_threads)
  int stream_threads = 16;  // streamed answers at once (http::ServerOptions::stream_threads)
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_receiving_body_bytes = 64 << 20;  // http::ServerOptions, same name
  std::size_t max_header_bytes = 16 << 10;
  int read_timeout_seconds = 30;  // a request's body, once its header has arrived
  // From the moment a connection waits for a request (new, or after an answer) until that
  // request's whole header has arrived; idle keep-alive connections close after it.
  int header_timeout_seconds = 10;
  // Connections open at once; past it new ones are closed as soon as they are accepted.
  int max_connections = 10000;
  double rate_limit_per_second = 1000;  // per API key; <= 0 disables the limit
  double rate_limit_burst = 2000;
  // Failed authentications per source address per minute; <= 0 disables the limit.
  double auth_failures_per_minute = 30;
  // Buckets each rate limiter keeps (API keys, tenants, source addresses).
  std::size_t rate_limit_entries = 10000;
  // Policy packs parsed at once, server-wide; more answer 429.
  int policy_parse_concurrency = 2;
  int read_connections = 4;  // SQLite readers
  int pg_pool_size = 8;      // about four per core (docs/PERFORMANCE.md)
  int job_poll_ms = 150;
  int job_batch = 32;
  int job_max_attempts = 8;
  // How often (in the server's clock) the dormancy scan runs.
  int dormancy_scan_seconds = 60;
  // How often (in the server's clock) the retention scan runs.
  int retention_scan_seconds = 3600;
  // How often (in the server's clock) every tenant's scoring model is retrained; 0: never.
  int scoring_retrain_seconds = 86400;
  // How long (in the server's clock) after one refresh run of the outreach list's scores the next
  // one starts; 0: only when a model is trained.
  int scoring_refresh_seconds = 3600;
  std::string log_level = "info";  // trace, debug, info, warn, error, off
  bool test_clock = false;
  // "development" (the default) or "production": production refuses to start on what is
  // only tolerable on a developer's machine (a master key file others may read).
  std::string mode = "development";
  // webhooks.allow_private_targets: lets webhook endpoints be plain http:// and loopback,
  // private or link-local addresses, at registration and at delivery. For tests and
  // development only (docs/SECURITY.md, "Webhook targets").
  bool webhooks_allow_private_targets = false;
  // sessions.idle_minutes / sessions.absolute_hours: a signed-in session ends after this
  // long without a request, and this long after sign-in whatever happens.
  std::int64_t session_idle_minutes = 30;
  std::int64_t session_absolute_hours = 12;
  // limits.max_upload_bytes: a bulk job's file, spooled to DATA_DIR/uploads as it arrives.
  std::uint64_t max_upload_bytes = std::uint64_t{1} << 30;
  // jobs.lease_seconds: a claimed job is the claimer's this long; a job whose process died
  // runs again once its lease is over (a bulk job resumes then).
  int job_lease_seconds = 30;
  // bulk.rows_per_transaction / bulk.parallel_transactions / bulk.slice_ms / bulk.yield_ms:
  // how a bulk job runs (app/bulk/bulk_jobs.h, BulkOptions).
  int bulk_rows_per_transaction = 16;
  int bulk_parallel_transactions = 0;  // 0: by the store (BulkOptions)
  int bulk_slice_ms = 200;
  int bulk_yield_ms = 20;
  // metrics.token: the bearer token GET /metrics requires. Empty: /metrics is not served.
  std::string metrics_token;
  // web.assets_dir: the bundled web console and portal (web/build.mjs). Empty: see
  // ResolveWebAssetsDir.
  std::string web_assets_dir;
};

// The folder the web console is served from: `config.web_assets_dir` when set, else the
// first `web` folder found beside the running executable or in its parent folder
// (build/src/switchboard finds build/web), else `../share/switchboard/web` from it
// (/usr/bin/switchboard: /usr/share/switchboard/web, where the package installs it).
std::string ResolveWebAssetsDir(const Config& config);

// Applies the keys present in the YAML file at `path` to `config`. Unknown keys and values
// of the wrong type are kInvalidArgument (naming the key); a missing file is kNotFound.
Status ApplyYamlFile(const std::string& path, Config& config);

// Same, from YAML text (for tests).
Status ApplyYamlText(const std::string& text, Config& config);

// Defaults < config file < flags, then fills the derived defaults (database_url,
// master_key_file) from data_dir.
Result<Config> LoadConfig(const cli::CommonFlags& flags);

// Creates data_dir (and parents) if missing. kUnavailable when it cannot.
Status EnsureDataDir(const Config& config);

}  // namespace sb::main
