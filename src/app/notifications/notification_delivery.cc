// NotificationDelivery: claiming due email and SMS messages and recording what sending got.
#include "app/notifications/notification_delivery.h"

#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>

#include "app/notifications/sealed_notification.h"
#include "app/notifications/suppression_list.h"
#include "crypto/crypto.h"
#include "domain/webhooks.h"

namespace sb::app {

using domain::OutboxMessage;
using domain::OutboxState;

namespace {

double RandomJitter() {
  std::string bytes = crypto::RandomBytes(sizeof(std::uint64_t));
  std::uint64_t v = 0;
  std::memcpy(&v, bytes.data(), sizeof v);
  return static_cast<double>(v >> 11) / static_cast<double>(std::uint64_t{1} << 53);
}

OutboxMessage Settle(OutboxMessage m, OutboxState state, std::string why) {
  m.state = state;
  m.locked_until.reset();
  m.last_error = std::move(why);
  return m;
}

// The tenant's settings for `channel`, loaded once per claim. An empty optional inside: none.
struct SettingsCache {
  std::map<std::string, std::optional<EmailChannel>> email;
  std::map<std::string, std::optional<SmsChannel>> sms;
};

// Fills d.email or d.sms; false when the tenant has no settings for the channel.
Result<bool> WithSettings(domain::Tx& tx, const Keyring& keyring, SettingsCache& cache,
                          DueNotification& d) {
  const std::string& tenant = d.message.tenant_id;
  if (d.message.channel == "email") {
    auto it = cache.email.find(tenant);
    if (it == cache.email.end()) {
      SB_ASSIGN_OR_RETURN(auto loaded, ChannelSettingsUseCases::LoadEmail(tx, keyring, tenant));
      it = cache.email.emplace(tenant, std::move(loaded)).first;
    }
    if (!it->second) return false;
    d.email = *it->second;
    return true;
  }
  auto it = cache.sms.find(tenant);
  if (it == cache.sms.end()) {
    SB_ASSIGN_OR_RETURN(auto loaded, ChannelSettingsUseCases::LoadSms(tx, keyring, tenant));
    it = cache.sms.emplace(tenant, std::move(loaded)).first;
  }
  if (!it->second) return false;
  d.sms = *it->second;
  return true;
}

}  // namespace

NotificationDelivery::NotificationDelivery(Deps deps, Jitter jitter)
    : deps_(deps), jitter_(jitter ? std::move(jitter) : Jitter(RandomJitter)) {}

Result<ClaimedNotifications> NotificationDelivery::ClaimDue(const std::string& channel, int limit,
                                                            Timestamp lease_ms) const {
  ClaimedNotifications out;
  Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
    out = {};
    Timestamp now = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(auto claimed, tx.ClaimDueOutbox(channel, now, limit, lease_ms));
    out.claimed = static_cast<int>(claimed.size());
    SettingsCache cache;
    for (OutboxMessage& m : claimed) {
      auto opened = OpenNotification(tx, deps_.keyring, m.tenant_id, m.account_id, m.payload_json);
      if (!opened.ok()) {
        // Erased: the customer's data is gone and so is the message. Anything else cannot be
        // read and never will be: dead, for someone to look at.
        bool erased = opened.status().code() == Code::kNotFound;
        if (!erased) {
          spdlog::error("notification does not open: tenant={} message={} error={}", m.tenant_id,
                        m.id, opened.status().reason());
        }
        SB_RETURN_IF_ERROR(tx.UpdateOutboxDelivery(
            Settle(std::move(m), erased ? OutboxState::kSuppressed : OutboxState::kDead,
                   erased ? "erased" : "unreadable")));
        continue;
      }
      DueNotification d{std::move(m), std::move(opened).value(), {}, {}};
      SB_ASSIGN_OR_RETURN(
          bool suppressed,
          IsSuppressedAddress(tx, deps_.keyring, d.message.tenant_id, d.notification.to));
      if (suppressed) {
        SB_RETURN_IF_ERROR(tx.UpdateOutboxDelivery(
            Settle(std::move(d.message), OutboxState::kSuppressed, "address suppressed")));
        continue;
      }
      SB_ASSIGN_OR_RETURN(bool configured, WithSettings(tx, deps_.keyring, cache, d));
      if (!configured) {
        SB_RETURN_IF_ERROR(tx.UpdateOutboxDelivery(domain::AfterAttempt(
            std::move(d.message), {{channel, 0, "channel not configured"}}, now, jitter_())));
        continue;
      }
      out.due.push_back(std::move(d));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status NotificationDelivery::Record(const std::vector<NotificationAttempt>& attempts) const {
  if (attempts.empty()) return Status::Ok();
  return deps_.store.Write([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    for (const NotificationAttempt& a : attempts) {
      OutboxMessage m = a.message;
      switch (a.outcome) {
        case SendOutcome::kAccepted:
          m.attempts += 1;
          m = Settle(std::move(m), OutboxState::kSent, "");
          if (!a.provider_ref.empty()) {
            Status ref = tx.InsertProviderRef(m.tenant_id, a.provider_ref, m.id, now);
            if (!ref.ok() && ref.code() != Code::kConflict) return ref;
          }
          break;
        case SendOutcome::kRefused:
          m.attempts += 1;
          m = Settle(std::move(m), OutboxState::kFailed, a.error);
          if (m.channel == "email") {
            SB_RETURN_IF_ERROR(SuppressAddress(tx, deps_.keyring, m.tenant_id, a.to, m.id, now));
          }
          break;
        case SendOutcome::kFailed: {
          std::string channel = m.channel;
          m = domain::AfterAttempt(std::move(m), {{channel, 0, a.error}}, now, jitter_());
          break;
        }
      }
      SB_RETURN_IF_ERROR(tx.UpdateOutboxDelivery(m));
    }
    return Status::Ok();
  });
}

}  // namespace sb::app
