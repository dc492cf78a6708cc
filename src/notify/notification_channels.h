#pragma once

// The email and SMS channels of the outbox dispatcher (notify/outbox_dispatcher.h): each pass
// claims its channel's due notifications (app::NotificationDelivery), sends them, and records
// what they got. Logs name tenants, messages and outcomes only: never an address, a body or
// a credential (docs/SECURITY.md, "Notification channels").

#include "app/notifications/notification_delivery.h"
#include "common/time.h"
#include "notify/outbox_dispatcher.h"
#include "notify/smtp_sender.h"
#include "notify/webhook_post.h"

namespace sb::notify {

struct ChannelOptions {
  int batch = 8;
  // How long a claimed message is this process's: longer than a pass can take (batch times
  // the per-message timeout).
  Timestamp lease_ms = 10 * kMillisPerMinute;
};

// Email: one SMTP transaction per message, in turn, each recorded as soon as it is done, so
// that a process killed mid-pass can repeat only the message it was sending (with the same
// Message-ID).
class EmailDelivery final : public ChannelAdapter {
 public:
  // Every reference must outlive this object.
  EmailDelivery(const app::NotificationDelivery& delivery, SmtpSender& sender, const Clock& clock,
                ChannelOptions options = {});
  Result<ChannelPass> RunOnce() override;
  const char* channel() const override { return "email"; }
  int batch() const override { return options_.batch; }

 private:
  const app::NotificationDelivery& delivery_;
  SmtpSender& sender_;
  const Clock& clock_;
  ChannelOptions options_;
};

// SMS: every message of a pass posted at once through the transport, then recorded together.
class SmsDelivery final : public ChannelAdapter {
 public:
  // Every reference must outlive this object.
  SmsDelivery(const app::NotificationDelivery& delivery, WebhookTransport& transport,
              ChannelOptions options = {16, 2 * kMillisPerMinute});
  Result<ChannelPass> RunOnce() override;
  const char* channel() const override { return "sms"; }
  int batch() const override { return options_.batch; }

 private:
  const app::NotificationDelivery& delivery_;
  WebhookTransport& transport_;
  ChannelOptions options_;
};

}  // namespace sb::notify
