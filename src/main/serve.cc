#include "main/serve.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/core/job_kinds.h"
#include "app/core/job_queue.h"
#include "http/log.h"
#include "http/server.h"
#include "http/web_assets.h"
#include "jobs/bulk_work.h"
#include "jobs/job_runner.h"
#include "jobs/standard_work.h"
#include "main/components.h"
#include "main/logging.h"
#include "notify/curl_transport.h"
#include "notify/notification_channels.h"
#include "notify/outbox_dispatcher.h"
#include "notify/smtp_sender.h"
#include "notify/webhook_dispatcher.h"

namespace sb::main {
namespace {

int Fail(const std::string& what, const Status& status) {
  spdlog::error("{}: {}", what, status.ToString());
  std::cerr << "switchboard: " << what << ": " << status.message() << "\n";
  return 1;
}

// The host part of "host:port", for the URL we print.
std::string HostOf(const std::string& listen) {
  auto colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  return host.empty() ? "127.0.0.1" : host;
}

// Seeds the demo tenant on first start and announces its key on stdout (never in logs).
Result<std::string> SeedDemo(const app::AdminUseCases& admin, std::ostream& out) {
  SB_ASSIGN_OR_RETURN(std::string secret, admin.SeedDemoIfEmpty());
  if (secret.empty()) return secret;
  auto tenants = admin.ListTenants();
  std::string tenant_id = tenants.ok() && !tenants->empty() ? tenants->front().id : "";
  out << "{\"event\":\"demo_tenant_created\",\"tenant_id\":\"" << JsonEscape(tenant_id)
      << "\",\"api_key\":\"" << JsonEscape(secret) << "\"}" << std::endl;
  spdlog::info("demo tenant created: tenant={}", tenant_id);
  return secret;
}

http::ServerOptions ServerOptionsFrom(const Components& c) {
  http::ServerOptions o;
  o.listen = c.config.listen;
  o.io_threads = c.config.io_threads;
  o.handler_threads = c.config.handler_threads;
  o.read_threads = c.config.read_threads;
  o.stream_threads = c.config.stream_threads;
  o.max_body_bytes = c.config.max_body_bytes;
  o.max_receiving_body_bytes = c.config.max_receiving_body_bytes;
  o.max_header_bytes = c.config.max_header_bytes;
  o.read_timeout_seconds = c.config.read_timeout_seconds;
  o.header_timeout_seconds = c.config.header_timeout_seconds;
  o.max_connections = c.config.max_connections;
  o.rate_limit_per_second = c.config.rate_limit_per_second;
  o.rate_limit_burst = c.config.rate_limit_burst;
  o.auth_failures_per_minute = c.config.auth_failures_per_minute;
  o.rate_limit_entries = c.config.rate_limit_entries;
  o.test_clock = c.test_clock;
  o.metrics_token = c.config.metrics_token;
  o.max_upload_bytes = c.config.max_upload_bytes;
  o.upload_dir = (std::filesystem::path(c.config.data_dir) / "uploads").string();
  return o;
}

jobs::RunnerOptions RunnerOptionsFrom(const Config& config) {
  jobs::RunnerOptions o;
  o.poll_ms = config.job_poll_ms;
  o.batch = config.job_batch;
  o.max_attempts = config.job_max_attempts;
  o.lease_ms = std::max(1, config.job_lease_seconds) * kMillisPerSecond;
  return o;
}

// Blocks the stop signals in this thread and, by inheritance, every thread started later,
// so that only WaitForStopSignal sees them.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

// Blocks until SIGTERM or SIGINT; returns the signal.
int WaitForStopSignal(const sigset_t& set) {
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

// First-start work: the audit signing key and, outside production mode, the demo tenant.
// Returns the demo key's secret on the first start, else an empty string. A production
// server (the package's configuration) starts with no tenant: its operators create them
// with `switchboard tenant create` (docs/OPERATIONS.md).
Result<std::string> PrepareKeysAndDemo(Components& c) {
  for (int v : c.applied_migrations) spdlog::info("applied migration {}", v);
  SB_RETURN_IF_ERROR(c.audit->EnsureSigningKey());
  if (c.config.mode == "production") return std::string();
  return SeedDemo(*c.admin, std::cout);
}

void Announce(const Config& config, int port, const std::string& demo_key,
              std::string_view backend) {
  std::string url = "http://" + HostOf(config.listen) + ":" + std::to_string(port);
  spdlog::info("listening: url={} backend={} test_clock={}", url, backend, config.test_clock);
  std::cout << "Switchboard is listening on " << url;
  if (!demo_key.empty()) std::cout << " - demo API key: " << demo_key;
  std::cout << std::endl;
}

}  // namespace

int Serve(const Config& config) {
  sigset_t stop_signals = BlockStopSignals();
  auto composed = Compose(config);
  if (!composed.ok()) return Fail("cannot start", composed.status());
  Components& c = **composed;
  auto demo_key = PrepareKeysAndDemo(c);
  if (!demo_key.ok()) return Fail("first-start setup failed", demo_key.status());

  app::JobQueue job_queue(*c.raw_store);
  // Held apart so that it can go before the components: destroying it waits for the work it
  // started beside its thread (a scoring retraining) that still uses the store.
  auto runner_owned =
      std::make_unique<jobs::JobRunner>(job_queue, *c.clock, RunnerOptionsFrom(config));
  jobs::JobRunner& runner = *runner_owned;
  jobs::RegisterStandardWork(runner, *c.system_accounts, *c.system_engine, *c.system_audit,
                             job_queue, *c.clock);
  jobs::RegisterBulkWork(runner, *c.system_bulk);
  jobs::RegisterTriggerWork(runner, *c.system_dormancy, *c.clock,
                            c.config.dormancy_scan_seconds * kMillisPerSecond);
  jobs::RegisterRetentionWork(runner, *c.system_retention, *c.clock,
                              c.config.retention_scan_seconds * kMillisPerSecond);
  jobs::RegisterSessionPurge(runner, *c.sessions, *c.clock);
  jobs::RegisterScoringWork(runner, *c.system_scoring, *c.clock,
                            c.config.scoring_retrain_seconds * kMillisPerSecond);
  if (config.webhooks_allow_private_targets) {
    spdlog::warn("webhooks.allow_private_targets is on: endpoints may reach this network");
  }
  notify::CurlOptions curl_options;
  curl_options.allow_private_targets = config.webhooks_allow_private_targets;
  notify::CurlTransport transport(curl_options);
  notify::CurlTransport sms_transport(curl_options);
  notify::SmtpOptions smtp_options;
  smtp_options.allow_private_targets = config.webhooks_allow_private_targets;
  notify::SmtpSender smtp(smtp_options);
  notify::WebhookDispatcher webhooks(*c.system_outbox, transport, *c.clock);
  notify::EmailDelivery email(*c.system_notifications, smtp, *c.clock);
  notify::SmsDelivery sms(*c.system_notifications, sms_transport);
  // One lane per channel: a slow SMTP server holds up no webhook.
  notify::OutboxDispatcher dispatcher({&webhooks, &email, &sms});
  // Soon after each commit (a change that wrote outbox messages) and every 250 ms (retries
  // come due by the clock alone); the sends themselves run on the dispatcher's lanes.
  runner.AddPeriodic(app::kOutboxDispatchTask, 250, /*on_nudge=*/true,
                     [&dispatcher] { return dispatcher.Tick(); });
  app::NotificationComposer& composer = *c.notification_composer;
  c.store->SetOnCommit([&composer, &runner] {
    composer.AfterCommit();
    runner.Nudge();
  });
  // What a burst of changes left to compose (app/notifications/notification_queue.h).
  runner.AddPeriodic(app::kNotificationComposeTask, 250, /*on_nudge=*/false,
                     [&composer] { return composer.ComposeWaiting(); });
  // Bulk uploads are spooled here; those left by a process that died mid-request are of no use.
  const std::string upload_dir = ServerOptionsFrom(c).upload_dir;
  std::error_code uploads_ec;
  std::filesystem::remove_all(upload_dir, uploads_ec);
  std::filesystem::create_directories(upload_dir, uploads_ec);
  if (uploads_ec)
    return Fail("cannot create " + upload_dir, Status::Unavailable(uploads_ec.message()));
  http::Api api{*c.accounts, *c.requests, *c.admin,        *c.audit,         *c.idempotency,
                *c.store,    *c.clock,    *c.policy_packs, *c.events,        *c.engine,
                *c.kpis,     *c.webhooks, *c.outbox,       c.channels.get(), c.notifications.get()};
  api.templates = c.templates.get();
  api.users = c.users.get();
  api.sessions = c.sessions.get();
  api.portal = c.portal.get();
  api.verification_codes = c.verification_codes.get();
  api.fraud = c.fraud.get();
  api.bulk = c.bulk.get();
  api.reconciliations = c.reconciliations.get();
  api.data_rights = c.data_rights.get();
  api.exports = c.exports.get();
  api.csat = c.csat.get();
  api.receipts = c.receipts.get();
  api.conversations = c.conversations.get();
  api.account_history = c.account_history.get();
  api.customer_messages = c.customer_messages.get();
  api.scoring = c.scoring.get();
  api.notification_composer = c.notification_composer.get();
  http::ServerOptions server_options = ServerOptionsFrom(c);
  const std::string web_dir = ResolveWebAssetsDir(config);
  auto web_assets = http::WebAssets::Load(web_dir);
  if (web_assets.ok()) {
    server_options.web_assets = web_assets->get();
    spdlog::info("web console served from {} ({} assets)", web_dir, (*web_assets)->asset_count());
  } else {
    spdlog::warn("no web console: {}", web_assets.status().message());
  }
  http::Server server(api, server_options);
  auto port = server.Start();
  if (!port.ok()) return Fail("cannot listen on " + config.listen, port.status());
  dispatcher.Start();
  runner.Start();
  Announce(config, *port, *demo_key, c.store->Backend());

  int sig = WaitForStopSignal(stop_signals);
  spdlog::info("shutting down: signal={}", sig);
  server.Shutdown();  // stop accepting, finish in-flight requests
  http::FlushLog();
  runner.Stop();      // finish the job in hand
  dispatcher.Stop();  // finish each lane's pass in hand (its sends time out)
  c.store->SetOnCommit(nullptr);
  (void)composer.ComposeAll();  // what the last changes queued
  runner_owned.reset();         // wait for a retraining under way
  composed->reset();            // close the store
  spdlog::info("stopped");
  return 0;
}

}  // namespace sb::main
