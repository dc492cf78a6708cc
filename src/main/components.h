#pragma once

// Everything a subcommand needs, built from a Config in dependency order:
// master key -> store (migrations applied) -> keyring -> use cases.

#include <memory>
#include <vector>

#include "app/accounts/accounts.h"
#include "app/accounts/dormancy.h"
#include "app/audit/account_as_of.h"
#include "app/audit/audit_log.h"
#include "app/bulk/bulk_jobs.h"
#include "app/conversations/conversations.h"
#include "app/core/idempotency.h"
#include "app/core/keyring.h"
#include "app/events/events.h"
#include "app/fraud/fraud_signals.h"
#include "app/notifications/channel_settings.h"
#include "app/notifications/customer_messages.h"
#include "app/notifications/notification_delivery.h"
#include "app/notifications/notification_queue.h"
#include "app/notifications/tenant_templates.h"
#include "app/people/portal.h"
#include "app/people/sessions.h"
#include "app/people/staff_users.h"
#include "app/policy/policy_packs.h"
#include "app/receipts/receipts.h"
#include "app/reconciliation/reconciliation.h"
#include "app/reports/csat.h"
#include "app/reports/kpi_queries.h"
#include "app/reports/report_exports.h"
#include "app/requests/request_queries.h"
#include "app/requests/requests.h"
#include "app/rights/data_export.h"
#include "app/rights/retention.h"
#include "app/scoring/scoring.h"
#include "app/tenants/tenant_admin.h"
#include "app/verification/verification_codes.h"
#include "app/webhooks/outbox_delivery.h"
#include "app/webhooks/webhook_endpoints.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/ports/store.h"
#include "main/config.h"
#include "main/notifying_store.h"

namespace sb::main {

// Owns the process's collaborators. Use cases see `store` through NotifyingStore so that
// their commits can wake the job runner; the runner's own use cases (`system_*`) use the
// raw store so its work does not wake itself. Not copyable; members are stable.
struct Components {
  Config config;
  std::unique_ptr<Clock> clock;
  AdjustableClock* test_clock = nullptr;  // == clock when config.test_clock, else null
  std::unique_ptr<domain::Store> raw_store;
  std::unique_ptr<NotifyingStore> store;
  // Composes the notifications changes queue (its hook is the store's).
  std::unique_ptr<app::NotificationComposer> notification_composer;
  std::vector<int> applied_migrations;
  std::unique_ptr<app::Keyring> keyring;

  std::unique_ptr<app::AccountUseCases> accounts;
  std::unique_ptr<app::RequestQueries> requests;
  std::unique_ptr<app::AdminUseCases> admin;
  std::unique_ptr<app::AuditLog> audit;
  std::unique_ptr<app::IdempotencyGate> idempotency;
  std::unique_ptr<app::PolicyPackUseCases> policy_packs;
  std::unique_ptr<app::EventUseCases> events;
  std::unique_ptr<app::RequestEngine> engine;
  std::unique_ptr<app::KpiQueries> kpis;
  std::unique_ptr<app::WebhookEndpointUseCases> webhooks;
  std::unique_ptr<app::OutboxDelivery> outbox;
  std::unique_ptr<app::ChannelSettingsUseCases> channels;
  std::unique_ptr<app::NotificationDelivery> notifications;  // SMS receipts
  std::unique_ptr<app::TemplateUseCases> templates;
  std::unique_ptr<app::StaffUsers> users;
  std::unique_ptr<app::Sessions> sessions;
  std::unique_ptr<app::VerificationCodes> verification_codes;
  std::unique_ptr<app::FraudSignals> fraud;
  std::unique_ptr<app::PortalSignIn> portal;  // uses verification_codes and sessions
  // Uses engine and verification_codes.
  std::unique_ptr<app::Conversations> conversations;
  std::unique_ptr<app::BulkJobs> bulk;
  std::unique_ptr<app::Reconciliations> reconciliations;
  std::unique_ptr<app::DataRights> data_rights;
  std::unique_ptr<app::CustomerMessages> customer_messages;
  std::unique_ptr<app::ReportExports> exports;
  std::unique_ptr<app::CsatAnswers> csat;
  std::unique_ptr<app::Receipts> receipts;
  std::unique_ptr<app::AccountHistory> account_history;
  std::unique_ptr<app::Scoring> scoring;
  std::unique_ptr<app::AccountUseCases> system_accounts;
  std::unique_ptr<app::RequestEngine> system_engine;
  std::unique_ptr<app::AuditLog> system_audit;
  std::unique_ptr<app::DormancyScan> system_dormancy;
  std::unique_ptr<app::RetentionScan> system_retention;
  std::unique_ptr<app::Scoring> system_scoring;                     // the scheduled retraining
  std::unique_ptr<app::BulkJobs> system_bulk;                       // the job runner's slices
  std::unique_ptr<app::OutboxDelivery> system_outbox;               // the webhook dispatcher's
  std::unique_ptr<app::NotificationDelivery> system_notifications;  // email and SMS lanes'
};

// Creates data_dir, loads or creates the master key, opens the store (applying migrations)
// and builds the use cases. Errors name what is wrong (kInvalidArgument: bad configuration;
// kUnavailable: database or files unreachable).
Result<std::unique_ptr<Components>> Compose(const Config& config);

}  // namespace sb::main
