// NotificationDelivery::ApplyReceipt: an SMS gateway's signed delivery receipt.
#include <boost/json.hpp>

#include "app/notifications/notification_delivery.h"
#include "crypto/webhook_signature.h"

namespace sb::app {

namespace json = boost::json;
using domain::OutboxState;

namespace {

struct GatewayReceipt {
  std::string reference;
  OutboxState state = OutboxState::kSent;
};

Result<GatewayReceipt> ParseReceipt(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return Status::Invalid("body", "The receipt is not a JSON object.");
  const json::object& o = v.get_object();
  const json::value* ref = o.if_contains("reference");
  if (ref == nullptr || !ref->is_string() || ref->get_string().empty() ||
      ref->get_string().size() > 200) {
    return Status::Invalid("reference", "reference must be the gateway's message id.");
  }
  const json::value* status = o.if_contains("status");
  // Not a conditional expression: its two arms would meet in a temporary json::string.
  std::string_view st;
  if (status != nullptr && status->is_string()) st = status->get_string();
  GatewayReceipt r{std::string(ref->get_string())};
  if (st == "delivered") {
    r.state = OutboxState::kDelivered;
  } else if (st == "undelivered" || st == "failed") {
    r.state = OutboxState::kFailed;
  } else {
    return Status::Invalid("status", "status must be delivered, undelivered or failed.");
  }
  return r;
}

}  // namespace

Status NotificationDelivery::VerifyReceipt(const std::string& tenant_id,
                                           const ReceiptHeaders& headers,
                                           const std::string& body) const {
  std::optional<domain::TenantSecret> row;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    auto r = tx.GetTenantSecret(tenant_id, ChannelSettingsUseCases::kReceiptSecretPurpose);
    if (r.ok()) row = std::move(*r);
    return r.ok() || r.status().code() == Code::kNotFound ? Status::Ok() : r.status();
  }));
  if (!row) {
    return Status(Code::kUnauthenticated, "no_signing_secret", "the tenant has no receipt secret",
                  "webhook-signature");
  }
  SB_ASSIGN_OR_RETURN(
      std::string secret,
      deps_.keyring.UnwrapSecret(row->secret_sealed,
                                 ChannelSettingsUseCases::ReceiptSealPurpose(tenant_id)));
  Status verified =
      crypto::VerifyWebhook(secret, headers.webhook_id, headers.webhook_timestamp,
                            headers.webhook_signature, body, deps_.clock.Now() / kMillisPerSecond);
  if (!verified.ok()) {
    return Status(Code::kUnauthenticated, verified.reason(), verified.message(), verified.param());
  }
  return Status::Ok();
}

Result<ReceiptOutcome> NotificationDelivery::ApplyReceipt(const std::string& tenant_id,
                                                          const ReceiptHeaders& headers,
                                                          const std::string& body) const {
  SB_RETURN_IF_ERROR(VerifyReceipt(tenant_id, headers, body));
  SB_ASSIGN_OR_RETURN(GatewayReceipt receipt, ParseReceipt(body));
  ReceiptOutcome out;
  Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
    out = {};
    // The gateway's own id, or the `reference` the json shape sent it (our message id).
    auto id = tx.MessageIdByProviderRef(tenant_id, receipt.reference);
    if (!id.ok() && id.status().code() != Code::kNotFound) return id.status();
    auto found = tx.GetOutbox(tenant_id, id.ok() ? *id : receipt.reference);
    if (!found.ok() && found.status().code() == Code::kNotFound) return Status::Ok();
    SB_RETURN_IF_ERROR(found.status());
    domain::OutboxMessage m = std::move(found).value();
    if (m.channel != "sms") return Status::Ok();
    out.message_id = m.id;
    out.state = m.state;
    // Only a message waiting for its receipt moves: a repeated or late one changes nothing.
    if (m.state != OutboxState::kSent) return Status::Ok();
    Timestamp now = deps_.clock.Now();
    m.state = receipt.state;
    if (m.state == OutboxState::kDelivered) {
      m.delivered_at = now;
    } else {
      m.last_error = "gateway: undelivered";
    }
    SB_RETURN_IF_ERROR(tx.UpdateOutboxDelivery(m));
    out.changed = true;
    out.state = m.state;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace sb::app
