#include "main/config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace sb::main {
namespace {

using Setter = std::function<void(const YAML::Node&, Config&)>;

template <typename T>
Setter Set(T Config::*field) {
  return [field](const YAML::Node& n, Config& c) { c.*field = n.as<T>(); };
}

// Flat keys, plus the nested forms under "threads", "limits", "storage", "jobs", "webhooks",
// "metrics", "sessions" and "bulk".
const std::map<std::string, Setter>& Setters() {
  static const std::map<std::string, Setter> kSetters{
      {"listen", Set(&Config::listen)},
      {"public_url", Set(&Config::public_url)},
      {"database_url", Set(&Config::database_url)},
      {"database_owner_url", Set(&Config::database_owner_url)},
      {"data_dir", Set(&Config::data_dir)},
      {"master_key_file", Set(&Config::master_key_file)},
      {"log_level", Set(&Config::log_level)},
      {"test_clock", Set(&Config::test_clock)},
      {"mode", Set(&Config::mode)},
      {"threads.io", Set(&Config::io_threads)},
      {"threads.handlers", Set(&Config::handler_threads)},
      {"threads.readers", Set(&Config::read_threads)},
      {"threads.streams", Set(&Config::stream_threads)},
      {"limits.max_body_bytes", Set(&Config::max_body_bytes)},
      {"limits.max_receiving_body_bytes", Set(&Config::max_receiving_body_bytes)},
      {"limits.max_header_bytes", Set(&Config::max_header_bytes)},
      {"limits.read_timeout_seconds", Set(&Config::read_timeout_seconds)},
      {"limits.header_timeout_seconds", Set(&Config::header_timeout_seconds)},
      {"limits.max_connections", Set(&Config::max_connections)},
      {"limits.rate_limit_per_second", Set(&Config::rate_limit_per_second)},
      {"limits.rate_limit_burst", Set(&Config::rate_limit_burst)},
      {"limits.auth_failures_per_minute", Set(&Config::auth_failures_per_minute)},
      {"limits.rate_limit_entries", Set(&Config::rate_limit_entries)},
      {"limits.policy_parse_concurrency", Set(&Config::policy_parse_concurrency)},
      {"storage.read_connections", Set(&Config::read_connections)},
      {"storage.pg_pool_size", Set(&Config::pg_pool_size)},
      {"jobs.poll_ms", Set(&Config::job_poll_ms)},
      {"jobs.batch", Set(&Config::job_batch)},
      {"jobs.max_attempts", Set(&Config::job_max_attempts)},
      {"jobs.dormancy_scan_seconds", Set(&Config::dormancy_scan_seconds)},
      {"jobs.retention_scan_seconds", Set(&Config::retention_scan_seconds)},
      {"jobs.scoring_retrain_seconds", Set(&Config::scoring_retrain_seconds)},
      {"jobs.scoring_refresh_seconds", Set(&Config::scoring_refresh_seconds)},
      {"webhooks.allow_private_targets", Set(&Config::webhooks_allow_private_targets)},
      {"metrics.token", Set(&Config::metrics_token)},
      {"web.assets_dir", Set(&Config::web_assets_dir)},
      {"sessions.idle_minutes", Set(&Config::session_idle_minutes)},
      {"sessions.absolute_hours", Set(&Config::session_absolute_hours)},
      {"limits.max_upload_bytes", Set(&Config::max_upload_bytes)},
      {"jobs.lease_seconds", Set(&Config::job_lease_seconds)},
      {"bulk.rows_per_transaction", Set(&Config::bulk_rows_per_transaction)},
      {"bulk.parallel_transactions", Set(&Config::bulk_parallel_transactions)},
      {"bulk.slice_ms", Set(&Config::bulk_slice_ms)},
      {"bulk.yield_ms", Set(&Config::bulk_yield_ms)},
  };
  return kSetters;
}

Status ApplyNode(const YAML::Node& node, const std::string& prefix, Config& config) {
  if (!node.IsMap()) return Status::Invalid(prefix.empty() ? "config" : prefix, "expected a map");
  for (const auto& kv : node) {
    std::string key = prefix + kv.first.as<std::string>();
    if (kv.second.IsMap()) {
      SB_RETURN_IF_ERROR(ApplyNode(kv.second, key + ".", config));
      continue;
    }
    auto it = Setters().find(key);
    if (it == Setters().end()) return Status::Invalid(key, "unknown configuration key " + key);
    try {
      it->second(kv.second, config);
    } catch (const YAML::Exception&) {
      return Status::Invalid(key, "wrong type for configuration key " + key);
    }
  }
  return Status::Ok();
}

}  // namespace

Status ApplyYamlText(const std::string& text, Config& config) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::Invalid("config", std::string("malformed YAML: ") + e.what());
  }
  if (root.IsNull()) return Status::Ok();
  return ApplyNode(root, "", config);
}

Status ApplyYamlFile(const std::string& path, Config& config) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("config file " + path, "config");
  std::stringstream text;
  text << in.rdbuf();
  return ApplyYamlText(text.str(), config);
}

Result<Config> LoadConfig(const cli::CommonFlags& flags) {
  Config config;
  if (flags.config_file) SB_RETURN_IF_ERROR(ApplyYamlFile(*flags.config_file, config));
  if (flags.listen) config.listen = *flags.listen;
  if (flags.database_url) config.database_url = *flags.database_url;
  if (const char* owner = std::getenv("SWITCHBOARD_DATABASE_OWNER_URL"); owner && *owner) {
    config.database_owner_url = owner;
  }
  if (flags.data_dir) config.data_dir = *flags.data_dir;
  if (flags.test_clock) config.test_clock = true;
  if (config.data_dir.empty()) return Status::Invalid("data_dir", "data_dir must not be empty");
  if (config.mode != "development" && config.mode != "production") {
    return Status::Invalid("mode", "mode must be development or production");
  }
  std::filesystem::path dir(config.data_dir);
  if (config.database_url.empty()) {
    config.database_url = "sqlite:" + (dir / "switchboard.db").string();
  }
  if (config.master_key_file.empty()) config.master_key_file = (dir / "master.key").string();
  if (config.public_url.empty()) config.public_url = "http://" + config.listen;
  while (!config.public_url.empty() && config.public_url.back() == '/') {
    config.public_url.pop_back();
  }
  if (config.public_url.rfind("https://", 0) != 0 && config.public_url.rfind("http://", 0) != 0) {
    return Status::Invalid("public_url", "public_url must be an http:// or https:// address");
  }
  return config;
}

Status EnsureDataDir(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Status::Unavailable("cannot create data_dir " + config.data_dir);
  return Status::Ok();
}

}  // namespace sb::main

namespace sb::main {

std::string ResolveWebAssetsDir(const Config& config) {
  if (!config.web_assets_dir.empty()) return config.web_assets_dir;
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "web";
  // Beside the executable, or one level up: build/src/switchboard serves build/web.
  for (const auto& dir : {self.parent_path(), self.parent_path().parent_path()}) {
    if (std::filesystem::is_directory(dir / "web", ec)) return (dir / "web").string();
  }
  // Installed: /usr/bin/switchboard serves /usr/share/switchboard/web.
  return (self.parent_path().parent_path() / "share" / "switchboard" / "web").string();
}

}  // namespace sb::main
