#pragma once

// The HTTP front: Boost.Beast over one io_context run by a thread pool, HTTP/1.1
// keep-alive, body/header limits, read timeouts. Requests are handled on a separate pool
// because use cases block until their transaction is durable.

#include <cstdint>
#include <memory>
#include <string>

#include "app/accounts/accounts.h"
#include "app/audit/audit_log.h"
#include "app/core/idempotency.h"
#include "app/events/events.h"
#include "app/policy/policy_packs.h"
#include "app/reports/csat.h"
#include "app/reports/kpi_queries.h"
#include "app/reports/report_exports.h"
#include "app/requests/request_queries.h"
#include "app/requests/requests.h"
#include "app/tenants/tenant_admin.h"
#include "app/webhooks/outbox_delivery.h"
#include "app/webhooks/webhook_endpoints.h"
#include "common/status.h"
#include "common/time.h"

namespace sb::app {
class ChannelSettingsUseCases;
class NotificationDelivery;
class TemplateUseCases;
class StaffUsers;
class Sessions;
class PortalSignIn;
class VerificationCodes;
class FraudSignals;
class BulkJobs;
class Reconciliations;
class Receipts;
class Conversations;
class AccountHistory;
class DataRights;
class CustomerMessages;
class Scoring;
class NotificationComposer;
}  // namespace sb::app

namespace sb::http {

class WebAssets;

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  int io_threads = 2;
  // Requests that write wait in their handler for the group commit that makes them durable,
  // so many are handled at once (handler_threads) for commits to gather many changes. GET and
  // HEAD requests wait for nothing but the CPU: they are handled on a pool of their own, this
  // size, where fewer threads than connections means fewer hand-overs between threads
  // (docs/PERFORMANCE.md, "Account reads against nginx"). An answer streamed as it is made
  // (an export, a results download, a live progress stream) holds a thread of a third pool,
  // this size, for as long as it lasts; past it a stream is answered 503 (Retry-After), so
  // that open streams never take the threads writes and reads need.
  int handler_threads = 64;
  int read_threads = 4;
  int stream_threads = 16;
  std::size_t max_body_bytes = 1 << 20;
  // The bodies being received at once, all connections together, by what their headers
  // announce (max_body_bytes for a chunked one): past it a request is answered 503 before its
  // body is read, so that connections sending bodies they never finish cannot take the
  // server's memory.
  std::size_t max_receiving_body_bytes = 64 << 20;
  std::size_t max_header_bytes = 16 << 10;
  // The body of an upload route (BodyType::kUpload: a bulk job's file) is written to a
  // temporary file in `upload_dir` as it arrives, never held in memory, up to this size.
  std::uint64_t max_upload_bytes = std::uint64_t{1} << 30;
  std::string upload_dir = "/tmp";
  // How long an answer streamed to the client (Response::stream) may last before the server
  // ends it; a live progress stream is reopened by the client.
  int max_stream_seconds = 300;
  // Time for a request's body once its header has arrived (a slow body is dropped).
  int read_timeout_seconds = 30;
  // Time from the moment a connection waits for a request (just accepted, or its previous
  // answer sent) until the request's whole header has arrived: a slow header and an idle
  // keep-alive connection are both closed after it.
  int header_timeout_seconds = 10;
  // Connections open at once. Past it a new connection is closed as soon as it is accepted,
  // so the ones being served keep their descriptors and memory. Start also caps it below the
  // process's descriptor limit (raised to its hard limit) to keep room for the database.
  int max_connections = 10000;
  // Per-API-key token bucket: refill rate and burst. rate <= 0 disables the limit.
  double rate_limit_per_second = 200;
  double rate_limit_burst = 400;
  // Failed authentications (an unknown API key, an event whose signature does not verify or
  // whose tenant has no secret) allowed per source address per minute, as a burst that
  // refills over the minute. Past them the address gets 429 before any database read.
  // <= 0 disables the limit.
  double auth_failures_per_minute = 30;
  // How many buckets each rate limiter keeps (see http/rate_limiter.h).
  std::size_t rate_limit_entries = 10000;
  // When set, POST /v1/test/clock moves this clock (the server's clock). Off by default.
  AdjustableClock* test_clock = nullptr;
  // The bearer token GET /metrics requires (compared in constant time). Empty: /metrics is
  // not served at all, since it carries per-tenant figures.
  std::string metrics_token;
  // The web console's and portal's files (http/web_assets.h), owned by the caller; null:
  // GET /, /portal and /assets/... answer 404.
  const WebAssets* web_assets = nullptr;
};

// The use cases the routes call. References; owned by the composition root.
struct Api {
  app::AccountUseCases& accounts;
  app::RequestQueries& requests;
  app::AdminUseCases& admin;
  app::AuditLog& audit;
  app::IdempotencyGate& idempotency;
  domain::Store& store;  // for /readyz only
  const Clock& clock;
  app::PolicyPackUseCases& policy_packs;
  app::EventUseCases& events;
  app::RequestEngine& engine;
  app::KpiQueries& kpis;  // GET /v1/kpis and the request gauges of /metrics
  app::WebhookEndpointUseCases& webhooks;
  app::OutboxDelivery& outbox;  // replay
  // The email and SMS channels' settings and the SMS delivery receipts. Null in servers built
  // without them (handler tests): their routes then answer 503.
  app::ChannelSettingsUseCases* channels = nullptr;
  app::NotificationDelivery* notifications = nullptr;
  // The tenants' notification templates. Null in servers built without them: their routes
  // then answer 503, and the preview renders only the shipped templates and candidates.
  app::TemplateUseCases* templates = nullptr;
  // Staff users and sign-in sessions. Null in servers built without them: sign-in and the
  // user routes then answer 503, and a session cookie authenticates nothing.
  app::StaffUsers* users = nullptr;
  app::Sessions* sessions = nullptr;
  // The customer portal's sign-in by one-time code. Null: its routes answer 503.
  app::PortalSignIn* portal = nullptr;
  // One-time verification codes. Null in servers built without them: their routes then
  // answer 503.
  app::VerificationCodes* verification_codes = nullptr;
  // Fraud signals. Null in servers built without them: their route then answers 503.
  app::FraudSignals* fraud = nullptr;
  // Bulk jobs. Null in servers built without them: their routes then answer 503.
  app::BulkJobs* bulk = nullptr;
  // Subject access exports. Null in servers built without them: their route then answers 503.
  app::DataRights* data_rights = nullptr;
  // What the portal shows a customer of the messages sent to them. Null: its route answers 503.
  app::CustomerMessages* customer_messages = nullptr;
  // The requests and audit exports. Null in servers built without them: their routes answer 503.
  app::ReportExports* exports = nullptr;
  // Customer satisfaction answers. Null: their route answers 503.
  app::CsatAnswers* csat = nullptr;
  // Reconciliation runs and the drift queue. Null: their routes answer 503.
  app::Reconciliations* reconciliations = nullptr;
  // The account as it stood at a past instant (GET /v1/accounts/{id}?as_of). Null: 503.
  app::AccountHistory* account_history = nullptr;
  // Customer receipts. Null: their routes answer 503.
  app::Receipts* receipts = nullptr;
  // The chat and IVR assistant's conversations. Null: their routes answer 503.
  app::Conversations* conversations = nullptr;
  // Reconnection and churn scoring. Null: its routes answer 503 and accounts show no score.
  app::Scoring* scoring = nullptr;
  // The switchboard_notification_intents_waiting gauge of GET /metrics; null: not shown.
  app::NotificationComposer* notification_composer = nullptr;
};

class Server {
 public:
  Server(Api api, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving in background threads. Returns the bound port.
  Result<int> Start();
  // Stops accepting, lets in-flight requests finish (up to `grace_ms`), then returns.
  void Shutdown(int grace_ms = 10000);

 private:
  friend class Session;  // server.cc: one connection
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sb::http
