#include "http/routes.h"

#include <vector>

#include "http/handlers/accounts.h"
#include "http/handlers/audit.h"
#include "http/handlers/bulk_jobs.h"
#include "http/handlers/conversations.h"
#include "http/handlers/events.h"
#include "http/handlers/fraud.h"
#include "http/handlers/holds.h"
#include "http/handlers/notification_channels.h"
#include "http/handlers/notifications.h"
#include "http/handlers/people.h"
#include "http/handlers/policy.h"
#include "http/handlers/portal.h"
#include "http/handlers/receipts.h"
#include "http/handlers/reconciliation.h"
#include "http/handlers/reports.h"
#include "http/handlers/requests.h"
#include "http/handlers/rights.h"
#include "http/handlers/scoring.h"
#include "http/handlers/service_inventory.h"
#include "http/handlers/services.h"
#include "http/handlers/system.h"
#include "http/handlers/verification_codes.h"
#include "http/handlers/verifications.h"
#include "http/handlers/web.h"
#include "http/handlers/webhooks.h"
#include "http/handlers/webhooks_outbox.h"

namespace sb::http {

namespace h = handlers;

void AddRoutes(Router& router, const ServerOptions& options) {
  // clang-format off
  const std::vector<Route> routes = {
      {"GET", "/healthz", Access::kPublic, h::system::Healthz},
      {"GET", "/readyz", Access::kPublic, h::system::Readyz},
      {"GET", "/v1/openapi.json", Access::kPublic, h::system::OpenApi},
      {"GET", "/v1/plans", Access::kRead, h::system::ListPlans},
      {"GET", "/v1/whoami", Access::kRead, h::system::WhoAmI},
      {"POST", "/v1/sessions", Access::kCredentials, h::people::SignIn},
      {"DELETE", "/v1/sessions/current", Access::kRead, h::people::SignOut},
      {"POST", "/v1/me/password", Access::kRead, h::people::ChangePassword},
      {"POST", "/v1/invitations/accept", Access::kCredentials, h::people::AcceptInvitation},
      {"POST", "/v1/users", Access::kAdmin, h::people::InviteUser},
      {"GET", "/v1/users", Access::kAdmin, h::people::ListUsers},
      {"GET", "/v1/users/{id}", Access::kAdmin, h::people::GetUser},
      {"PATCH", "/v1/users/{id}", Access::kAdmin, h::people::UpdateUser},
      {"POST", "/v1/users/{id}/disable", Access::kAdmin, h::people::DisableUser},
      {"GET", "/v1/teams", Access::kRead, h::people::ListTeams},
      {"GET", "/v1/staff", Access::kRead, h::people::ListStaff},
      {"POST", "/v1/users/{id}/invitation", Access::kAdmin, h::people::ReinviteUser},
      {"POST", "/v1/portal/sign-in-codes", Access::kCredentials, h::portal::SendSignInCode},
      {"POST", "/v1/portal/sessions", Access::kCredentials, h::portal::SignIn},
      {"DELETE", "/v1/portal/sessions/current", Access::kPortal, h::people::SignOut},
      {"GET", "/v1/portal/account", Access::kPortal, h::portal::GetAccount},
      {"GET", "/v1/portal/notifications", Access::kPortal, h::portal::ListNotifications},
      {"GET", "/v1/portal/requests", Access::kPortal, h::portal::ListRequests},
      {"POST", "/v1/portal/requests", Access::kPortal, h::portal::FileRequest},
      {"GET", "/v1/portal/request-types", Access::kPortal, h::portal::ListRequestTypes},
      {"POST", "/v1/portal/requests/{id}/offer", Access::kPortal, h::portal::AnswerOffer},
      {"GET", "/v1/portal/requests/{id}/data-export", Access::kPortal, h::rights::DataExport},
      {"GET", "/v1/portal/requests/{id}/receipt", Access::kPortal, h::receipts::ForPortalRequest},
      {"POST", "/v1/accounts", Access::kWrite, h::accounts::CreateAccount},
      {"GET", "/v1/accounts", Access::kRead, h::accounts::ListAccounts},
      {"GET", "/v1/accounts/{id}", Access::kRead, h::accounts::GetAccount},
      {"PATCH", "/v1/accounts/{id}", Access::kWrite, h::accounts::UpdateAccount},
      {"POST", "/v1/accounts/{id}/activate", Access::kWrite, h::accounts::Lifecycle(app::AccountAction::kActivate)},
      {"POST", "/v1/accounts/{id}/close", Access::kWrite, h::accounts::Lifecycle(app::AccountAction::kClose)},
      {"POST", "/v1/accounts/{id}/dormant", Access::kWrite, h::accounts::Lifecycle(app::AccountAction::kMarkDormant)},
      {"POST", "/v1/accounts/{id}/reactivate", Access::kWrite, h::accounts::Lifecycle(app::AccountAction::kReactivate)},
      {"POST", "/v1/accounts/{id}/services", Access::kWrite, h::services::AddService},
      {"GET", "/v1/accounts/{id}/services", Access::kRead, h::services::ListServices},
      {"POST", "/v1/services/{id}/plan-change", Access::kWrite, h::services::ChangePlan},
      {"POST", "/v1/services/{id}/terminate", Access::kWrite, h::services::Terminate},
      {"GET", "/tmf-api/serviceInventory/v4/service", Access::kRead, h::service_inventory::ListServices},
      {"GET", "/tmf-api/serviceInventory/v4/service/{id}", Access::kRead, h::service_inventory::GetService},
      {"POST", "/v1/accounts/{id}/holds", Access::kWrite, h::holds::PlaceHold},
      {"GET", "/v1/accounts/{id}/holds", Access::kRead, h::holds::ListHolds},
      {"GET", "/v1/holds/{id}", Access::kRead, h::holds::GetHold},
      {"POST", "/v1/holds/{id}/lift", Access::kWrite, h::holds::LiftHold},
      {"POST", "/v1/requests", Access::kWrite, h::requests::Submit},
      {"GET", "/v1/requests/{id}", Access::kRead, h::requests::GetRequest},
      {"GET", "/v1/requests", Access::kRead, h::requests::ListRequests},
      {"POST", "/v1/requests/{id}/approve", Access::kWrite, h::requests::Approve},
      {"POST", "/v1/requests/{id}/reject", Access::kWrite, h::requests::Reject},
      {"POST", "/v1/requests/{id}/cancel", Access::kWrite, h::requests::Cancel},
      {"POST", "/v1/requests/{id}/assign", Access::kWrite, h::requests::Assign},
      {"POST", "/v1/requests/{id}/comments", Access::kWrite, h::requests::AddComment},
      {"POST", "/v1/requests/{id}/offer", Access::kWrite, h::requests::AnswerOffer},
      {"GET", "/v1/accounts/{id}/timeline", Access::kRead, h::requests::Timeline},
      {"GET", "/v1/requests/{id}/data-export", Access::kRead, h::rights::DataExport},
      {"GET", "/v1/requests/{id}/receipt", Access::kRead, h::receipts::ForRequest},
      {"POST", "/v1/receipts/check", Access::kCredentials, h::receipts::Check},
      {"POST", "/v1/bulk-jobs", Access::kSupervise, h::bulk_jobs::Submit, BodyType::kUpload},
      {"GET", "/v1/bulk-jobs", Access::kSupervise, h::bulk_jobs::List},
      {"GET", "/v1/bulk-jobs/{id}", Access::kSupervise, h::bulk_jobs::Get},
      {"GET", "/v1/bulk-jobs/{id}/events", Access::kSupervise, h::bulk_jobs::Events},
      {"GET", "/v1/bulk-jobs/{id}/results", Access::kSupervise, h::bulk_jobs::Results},
      {"POST", "/v1/bulk-jobs/{id}/pause", Access::kSupervise, h::bulk_jobs::Pause},
      {"POST", "/v1/bulk-jobs/{id}/resume", Access::kSupervise, h::bulk_jobs::Resume},
      {"POST", "/v1/bulk-jobs/{id}/cancel", Access::kSupervise, h::bulk_jobs::Cancel},
      {"POST", "/v1/reconciliations", Access::kSupervise, h::reconciliation::Run,
       BodyType::kUpload},
      {"GET", "/v1/reconciliations", Access::kSupervise, h::reconciliation::List},
      {"GET", "/v1/reconciliations/{id}", Access::kSupervise, h::reconciliation::Get},
      {"GET", "/v1/reconciliations/{id}/items", Access::kSupervise, h::reconciliation::Items},
      {"GET", "/v1/drift-items", Access::kWrite, h::reconciliation::Queue},
      {"POST", "/v1/drift-items/{id}/resolve", Access::kWrite, h::reconciliation::Resolve},
      {"POST", "/v1/scoring/models", Access::kAdmin, h::scoring::Train},
      {"GET", "/v1/scoring/models", Access::kRead, h::scoring::ListModels},
      {"GET", "/v1/outreach", Access::kRead, h::scoring::Outreach},
      {"GET", "/v1/audit/checkpoint", Access::kAudit, h::audit::Checkpoint},
      {"GET", "/v1/audit/entries", Access::kAudit, h::audit::Entries},
      {"GET", "/v1/audit/entries/{id}/proof", Access::kAudit, h::audit::Proof},
      {"GET", "/v1/audit/consistency", Access::kAudit, h::audit::Consistency},
      {"GET", "/v1/policy-pack", Access::kRead, h::policy::GetPack},
      {"PUT", "/v1/policy-pack", Access::kAdmin, h::policy::ReplacePack, BodyType::kOwn},
      {"GET", "/v1/policy-pack/request-types", Access::kRead, h::policy::ListRequestTypes},
      {"POST", "/v1/policy-pack/validate", Access::kAdmin, h::policy::ValidatePack, BodyType::kOwn},
      {"POST", "/v1/policy-pack/simulate", Access::kAdmin, h::policy::SimulatePack, BodyType::kOwn},
      {"POST", "/v1/events/{tenant_id}", Access::kSigned, h::events::ReceiveEvent},
      {"POST", "/v1/accounts/{id}/verifications", Access::kWrite, h::verifications::Record},
      {"GET", "/v1/accounts/{id}/verifications", Access::kRead, h::verifications::List},
      {"POST", "/v1/accounts/{id}/verification-codes", Access::kWrite, h::verification_codes::Send},
      {"POST", "/v1/accounts/{id}/verification-codes/check", Access::kWrite,
       h::verification_codes::Check},
      {"POST", "/v1/conversations", Access::kWrite, h::conversations::Start},
      {"GET", "/v1/conversations", Access::kRead, h::conversations::List},
      {"GET", "/v1/conversations/{id}", Access::kRead, h::conversations::Get},
      {"POST", "/v1/conversations/{id}/turns", Access::kWrite, h::conversations::Turn},
      {"GET", "/v1/fraud/signals", Access::kRead, h::fraud::ListSignals},
      {"GET", "/v1/kpis", Access::kRead, h::reports::GetKpis},
      {"GET", "/v1/kpis/dashboard", Access::kSupervise, h::reports::GetDashboard},
      {"GET", "/v1/reports/requests", Access::kSupervise, h::reports::ExportRequests},
      {"GET", "/v1/reports/audit-entries", Access::kAudit, h::reports::ExportAuditEntries},
      {"POST", "/v1/csat", Access::kCredentials, h::reports::RecordCsat},
      {"GET", "/v1/outbox", Access::kRead, h::webhooks_outbox::ListOutbox},
      {"POST", "/v1/outbox/{id}/replay", Access::kAdmin, h::webhooks_outbox::Replay},
      {"POST", "/v1/webhook-endpoints", Access::kAdmin, h::webhooks::Create},
      {"GET", "/v1/webhook-endpoints", Access::kAdmin, h::webhooks::List},
      {"GET", "/v1/webhook-endpoints/{id}", Access::kAdmin, h::webhooks::Get},
      {"DELETE", "/v1/webhook-endpoints/{id}", Access::kAdmin, h::webhooks::Remove},
      {"POST", "/v1/notification-templates/preview", Access::kAdmin, h::notifications::PreviewTemplate},
      {"GET", "/v1/notification-templates", Access::kAdmin, h::notifications::ListTemplates},
      {"GET", "/v1/notification-templates/{notification}/{channel}/{locale}", Access::kAdmin, h::notifications::GetTemplate},
      {"PUT", "/v1/notification-templates/{notification}/{channel}/{locale}", Access::kAdmin, h::notifications::PutTemplate},
      {"DELETE", "/v1/notification-templates/{notification}/{channel}/{locale}", Access::kAdmin, h::notifications::DeleteTemplate},
      {"GET", "/v1/notification-channels/email", Access::kAdmin, h::notification_channels::GetEmail},
      {"PUT", "/v1/notification-channels/email", Access::kAdmin, h::notification_channels::PutEmail},
      {"GET", "/v1/notification-channels/sms", Access::kAdmin, h::notification_channels::GetSms},
      {"PUT", "/v1/notification-channels/sms", Access::kAdmin, h::notification_channels::PutSms},
      {"POST", "/v1/notification-receipts/{tenant_id}", Access::kSigned,
       h::notification_channels::ReceiveReceipt, BodyType::kJson,
       h::notification_channels::VerifyReceipt},
      {"GET", "/", Access::kPublic, h::web::Console},
      {"GET", "/portal", Access::kPublic, h::web::Portal},
      {"GET", "/assets/{name}", Access::kPublic, h::web::Asset},
  };
  // clang-format on
  for (const Route& r : routes) router.Add(r);
  // Metrics carry per-tenant figures: served only with a token to check (the handler does,
  // as no API key is involved).
  if (!options.metrics_token.empty()) {
    router.Add({"GET", "/metrics", Access::kPublic, h::system::MetricsText});
  }
  // Moving the clock exists only in servers started with --test-clock.
  if (options.test_clock != nullptr) {
    router.Add({"POST", "/v1/test/clock", Access::kAdmin, h::system::MoveClock});
  }
}

}  // namespace sb::http
