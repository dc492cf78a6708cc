#include "notify/webhook_post.h"

#include "crypto/webhook_signature.h"

namespace sb::notify {

WebhookPost SignedPost(const domain::OutboxMessage& m, const app::WebhookTarget& target,
                       Timestamp now_seconds) {
  WebhookPost post;
  post.url = target.url;
  post.body = target.body ? *target.body : m.payload_json;
  post.headers = {
      {"Content-Type", "application/json"},
      {"User-Agent", "Switchboard-Webhooks/1"},
      {"webhook-id", m.id},
      {"webhook-timestamp", std::to_string(now_seconds)},
      {"webhook-signature", crypto::SignWebhook(target.secret, m.id, now_seconds, post.body)},
  };
  return post;
}

}  // namespace sb::notify
