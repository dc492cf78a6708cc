#include "main/components.h"

#include <algorithm>
#include <cstdlib>

#include "app/notifications/composer.h"
#include "main/master_key.h"
#include "storage/open.h"

namespace sb::main {
namespace {

void BuildUseCases(Components& c) {
  app::Deps deps{*c.store, *c.clock, *c.keyring};
  c.accounts = std::make_unique<app::AccountUseCases>(deps);
  c.requests = std::make_unique<app::RequestQueries>(deps);
  c.admin = std::make_unique<app::AdminUseCases>(deps);
  c.audit = std::make_unique<app::AuditLog>(deps);
  c.idempotency = std::make_unique<app::IdempotencyGate>(deps);
  c.policy_packs =
      std::make_unique<app::PolicyPackUseCases>(deps, c.config.policy_parse_concurrency);
  c.events = std::make_unique<app::EventUseCases>(deps);
  c.engine = std::make_unique<app::RequestEngine>(deps);
  c.kpis = std::make_unique<app::KpiQueries>(deps);
  c.webhooks = std::make_unique<app::WebhookEndpointUseCases>(
      deps, domain::WebhookTargetRules{c.config.webhooks_allow_private_targets});
  c.outbox = std::make_unique<app::OutboxDelivery>(deps);
  c.channels = std::make_unique<app::ChannelSettingsUseCases>(
      deps, domain::WebhookTargetRules{c.config.webhooks_allow_private_targets});
  c.notifications = std::make_unique<app::NotificationDelivery>(deps);
  c.templates = std::make_unique<app::TemplateUseCases>(deps);
  c.users = std::make_unique<app::StaffUsers>(deps, c.config.public_url);
  c.sessions = std::make_unique<app::Sessions>(
      deps,
      app::SessionOptions{
          std::max<std::int64_t>(1, c.config.session_idle_minutes) * 60 * kMillisPerSecond,
          std::max<std::int64_t>(1, c.config.session_absolute_hours) * 3600 * kMillisPerSecond});
  c.verification_codes = std::make_unique<app::VerificationCodes>(deps);
  c.fraud = std::make_unique<app::FraudSignals>(deps);
  c.portal = std::make_unique<app::PortalSignIn>(deps, *c.verification_codes, *c.sessions);
  c.conversations = std::make_unique<app::Conversations>(deps, *c.engine, *c.verification_codes);
  app::BulkOptions bulk;
  bulk.rows_per_transaction = std::max(1, c.config.bulk_rows_per_transaction);
  bulk.parallel_transactions = std::max(0, c.config.bulk_parallel_transactions);
  bulk.slice_ms = std::max(1, c.config.bulk_slice_ms);
  bulk.yield_ms = std::max(0, c.config.bulk_yield_ms);
  c.bulk = std::make_unique<app::BulkJobs>(deps, bulk);
  c.reconciliations = std::make_unique<app::Reconciliations>(deps);
  c.data_rights = std::make_unique<app::DataRights>(deps);
  c.exports = std::make_unique<app::ReportExports>(deps);
  c.csat = std::make_unique<app::CsatAnswers>(deps);
  c.receipts = std::make_unique<app::Receipts>(deps, *c.audit);
  c.account_history = std::make_unique<app::AccountHistory>(deps, *c.audit);
  c.customer_messages = std::make_unique<app::CustomerMessages>(deps);
  app::ScoringOptions scoring;
  scoring.refresh_every_ms =
      static_cast<Timestamp>(std::max(0, c.config.scoring_refresh_seconds)) * kMillisPerSecond;
  c.scoring = std::make_unique<app::Scoring>(deps, scoring);
  app::Deps system_deps{*c.raw_store, *c.clock, *c.keyring};
  c.system_accounts = std::make_unique<app::AccountUseCases>(system_deps);
  c.system_engine = std::make_unique<app::RequestEngine>(system_deps);
  c.system_audit = std::make_unique<app::AuditLog>(system_deps);
  c.system_dormancy = std::make_unique<app::DormancyScan>(system_deps);
  c.system_retention = std::make_unique<app::RetentionScan>(system_deps);
  c.system_scoring = std::make_unique<app::Scoring>(system_deps, scoring);
  c.system_bulk = std::make_unique<app::BulkJobs>(system_deps, bulk);
  c.system_outbox = std::make_unique<app::OutboxDelivery>(system_deps);
  c.system_notifications = std::make_unique<app::NotificationDelivery>(system_deps);
}

}  // namespace

Result<std::unique_ptr<Components>> Compose(const Config& config) {
  auto c = std::make_unique<Components>();
  c->config = config;
  if (config.test_clock) {
    auto clock = std::make_unique<AdjustableClock>();
    c->test_clock = clock.get();
    c->clock = std::move(clock);
  } else {
    c->clock = std::make_unique<SystemClock>();
  }
  SB_RETURN_IF_ERROR(EnsureDataDir(config));
  const char* env_key = std::getenv("SWITCHBOARD_MASTER_KEY");
  SB_ASSIGN_OR_RETURN(std::string master_key,
                      LoadOrCreateMasterKey(config.master_key_file, env_key ? env_key : "",
                                            config.mode == "production"));

  storage::OpenOptions options;
  options.migrate = true;
  options.read_connections = config.read_connections;
  options.pg_pool_size = config.pg_pool_size;
  options.owner_url = config.database_owner_url;
  SB_ASSIGN_OR_RETURN(storage::Opened opened, storage::OpenStore(config.database_url, options));
  c->raw_store = std::move(opened.store);
  c->applied_migrations = std::move(opened.applied_migrations);
  c->store = std::make_unique<NotifyingStore>(*c->raw_store);
  c->keyring = std::make_unique<app::Keyring>(std::move(master_key));
  // The process serves with one keyring; notifications are sealed with it wherever an event
  // is written (app/notifications/composer.h).
  app::InstallNotificationKeyring(c->keyring.get());
  app::InstallConsoleUrl(c->config.public_url);
  NotifyingStore* store = c->store.get();
  c->notification_composer = std::make_unique<app::NotificationComposer>(*c->store, [store] {
    return app::StoreLoad{store->WritesInFlight(), app::IntentsWritten()};
  });
  // Notifications a change queued are composed as soon as it committed, while the store is
  // free (serve adds the dispatcher's nudge to this hook).
  app::NotificationComposer* composer = c->notification_composer.get();
  c->store->SetOnCommit([composer] { composer->AfterCommit(); });
  BuildUseCases(*c);
  return c;
}

}  // namespace sb::main
