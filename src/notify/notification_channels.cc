#include "notify/notification_channels.h"

#include <spdlog/spdlog.h>

#include "notify/email_message.h"
#include "notify/sms_gateway.h"

namespace sb::notify {
namespace {

const char* OutcomeName(app::SendOutcome o) {
  switch (o) {
    case app::SendOutcome::kAccepted:
      return "accepted";
    case app::SendOutcome::kRefused:
      return "refused";
    case app::SendOutcome::kFailed:
      break;
  }
  return "failed";
}

// By ids only: the address and the text are the customer's.
void LogAttempt(const app::NotificationAttempt& a, const std::string& detail) {
  const domain::OutboxMessage& m = a.message;
  if (a.outcome == app::SendOutcome::kAccepted) {
    spdlog::debug("notification sent: channel={} tenant={} message={}", m.channel, m.tenant_id,
                  m.id);
    return;
  }
  spdlog::warn(
      "notification not sent: channel={} tenant={} message={} outcome={} error={} detail={} "
      "attempt={}",
      m.channel, m.tenant_id, m.id, OutcomeName(a.outcome), a.error, detail, m.attempts + 1);
}

SmtpMessage SmtpMessageOf(const app::DueNotification& d, Timestamp now) {
  const app::EmailChannel& c = d.email;
  const domain::Notification& n = d.notification;
  EmailParts parts;
  parts.from_address = c.from_address;
  parts.from_name = c.from_name;
  parts.reply_to = c.reply_to;
  parts.to = n.to;
  parts.subject = n.subject;
  parts.text = n.text;
  parts.html = n.html;
  parts.message_id = MessageIdFor(d.message.id, c.from_address);
  parts.date_ms = now;
  if (!n.transactional) parts.list_unsubscribe_url = n.unsubscribe_url;
  return SmtpMessage{c.smtp_url,     c.require_tls, c.username,         c.password,
                     c.from_address, n.to,          ComposeEmail(parts)};
}

}  // namespace

EmailDelivery::EmailDelivery(const app::NotificationDelivery& delivery, SmtpSender& sender,
                             const Clock& clock, ChannelOptions options)
    : delivery_(delivery), sender_(sender), clock_(clock), options_(options) {}

Result<ChannelPass> EmailDelivery::RunOnce() {
  SB_ASSIGN_OR_RETURN(app::ClaimedNotifications claimed,
                      delivery_.ClaimDue("email", options_.batch, options_.lease_ms));
  ChannelPass pass{claimed.claimed, static_cast<int>(claimed.due.size())};
  for (app::DueNotification& d : claimed.due) {
    // An address that is not one (a composer's bug, or data from before a check) would be
    // refused by every server: it goes no further than here.
    if (!app::IsEmailAddress(d.notification.to)) {
      app::NotificationAttempt a{std::move(d.message), "", app::SendOutcome::kRefused,
                                 "invalid address", ""};
      LogAttempt(a, "");
      SB_RETURN_IF_ERROR(delivery_.Record({a}));
      continue;
    }
    SmtpResult r = sender_.Send(SmtpMessageOf(d, clock_.Now()));
    app::NotificationAttempt a{std::move(d.message), d.notification.to, r.outcome, r.error, ""};
    LogAttempt(a, r.detail);
    SB_RETURN_IF_ERROR(delivery_.Record({a}));
  }
  return pass;
}

SmsDelivery::SmsDelivery(const app::NotificationDelivery& delivery, WebhookTransport& transport,
                         ChannelOptions options)
    : delivery_(delivery), transport_(transport), options_(options) {}

Result<ChannelPass> SmsDelivery::RunOnce() {
  SB_ASSIGN_OR_RETURN(app::ClaimedNotifications claimed,
                      delivery_.ClaimDue("sms", options_.batch, options_.lease_ms));
  ChannelPass pass{claimed.claimed, static_cast<int>(claimed.due.size())};
  if (claimed.due.empty()) return pass;
  std::vector<WebhookPost> posts;
  for (const app::DueNotification& d : claimed.due) {
    posts.push_back(SmsPost(d.sms, d.notification, d.message.id));
  }
  std::vector<WebhookReply> replies = transport_.SendAll(posts);
  std::vector<app::NotificationAttempt> attempts;
  for (size_t i = 0; i < claimed.due.size(); ++i) {
    WebhookReply r = i < replies.size() ? replies[i] : WebhookReply{0, "not sent", "", ""};
    app::DueNotification& d = claimed.due[i];
    app::NotificationAttempt a{std::move(d.message), d.notification.to, SmsOutcome(r.http_status),
                               "", ""};
    if (a.outcome == app::SendOutcome::kAccepted) {
      a.provider_ref = ProviderRefOf(r.body);
    } else {
      a.error = r.http_status > 0 ? "HTTP " + std::to_string(r.http_status) : r.error;
    }
    LogAttempt(a, r.detail);
    attempts.push_back(std::move(a));
  }
  SB_RETURN_IF_ERROR(delivery_.Record(attempts));
  return pass;
}

}  // namespace sb::notify
