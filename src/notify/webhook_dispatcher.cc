#include "notify/webhook_dispatcher.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace sb::notify {
namespace {

// Logs what one post got, by ids only: URLs may carry the client's tokens, and payloads
// are the client's data. The transport's detail (why no answer came) goes to the log only.
void LogReply(const domain::OutboxMessage& m, const std::string& endpoint_id,
              const WebhookReply& r) {
  if (r.http_status >= 200 && r.http_status < 300) {
    spdlog::debug("webhook delivered: tenant={} message={} endpoint={} status={}", m.tenant_id,
                  m.id, endpoint_id, r.http_status);
    return;
  }
  spdlog::warn(
      "webhook delivery failed: tenant={} message={} event={} endpoint={} status={} error={} "
      "detail={} attempt={}",
      m.tenant_id, m.id, m.event_type, endpoint_id, r.http_status, r.error, r.detail,
      m.attempts + 1);
}

// Sends every target of every message in one transport pass and pairs the replies back.
std::vector<app::WebhookAttempt> Send(WebhookTransport& transport,
                                      std::vector<app::DueWebhook>& due, Timestamp now_seconds) {
  std::vector<WebhookPost> posts;
  for (const app::DueWebhook& d : due) {
    for (const app::WebhookTarget& t : d.targets) {
      posts.push_back(SignedPost(d.message, t, now_seconds));
    }
  }
  std::vector<WebhookReply> replies = transport.SendAll(posts);
  std::vector<app::WebhookAttempt> attempts;
  size_t next = 0;
  for (app::DueWebhook& d : due) {
    app::WebhookAttempt a{std::move(d.message), {}};
    for (const app::WebhookTarget& t : d.targets) {
      WebhookReply r = next < replies.size() ? replies[next] : WebhookReply{0, "not sent", "", ""};
      ++next;
      LogReply(a.message, t.endpoint_id, r);
      a.answers.push_back({t.endpoint_id, r.http_status, r.error});
    }
    attempts.push_back(std::move(a));
  }
  return attempts;
}

}  // namespace

WebhookDispatcher::WebhookDispatcher(const app::OutboxDelivery& delivery,
                                     WebhookTransport& transport, const Clock& clock,
                                     DispatchOptions options)
    : delivery_(delivery), transport_(transport), clock_(clock), options_(options) {}

Result<WebhookDispatcher::Pass> WebhookDispatcher::RunOnce() {
  SB_ASSIGN_OR_RETURN(app::ClaimedWebhooks claimed,
                      delivery_.ClaimDue(options_.batch, options_.lease_ms));
  Pass pass{claimed.claimed, static_cast<int>(claimed.due.size())};
  if (claimed.due.empty()) return pass;
  std::vector<app::WebhookAttempt> attempts =
      Send(transport_, claimed.due, clock_.Now() / kMillisPerSecond);
  SB_RETURN_IF_ERROR(delivery_.Record(attempts));
  return pass;
}

}  // namespace sb::notify
