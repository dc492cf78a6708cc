// Signed inbound deliveries checked and read before any transaction (event_envelope.h).
#include "app/events/event_envelope.h"

#include <optional>

#include "app/core/card_fields.h"
#include "app/core/json_fields.h"
#include "crypto/webhook_signature.h"

namespace sb::app::events {

namespace json = boost::json;

namespace {

// The envelope's fields: null is a value, and every problem (a missing id included) is
// "invalid".
JsonFields EnvelopeFields(const json::object& o) {
  JsonReasons reasons;
  reasons.missing = "invalid";
  return JsonFields(o, "", JsonNull::kValue, reasons);
}

}  // namespace

Status VerifyDelivery(std::string_view secret, const EventHeaders& headers, std::string_view body,
                      Timestamp now) {
  Status verified = crypto::VerifyWebhook(secret, headers.webhook_id, headers.webhook_timestamp,
                                          headers.webhook_signature, body, now / kMillisPerSecond);
  if (!verified.ok()) {
    return Status(Code::kUnauthenticated, verified.reason(), verified.message(), verified.param());
  }
  return Status::Ok();
}

// Read with the app's one strict reader, as every body of the API is read: a key repeated
// anywhere is 400 duplicate_field, an unknown envelope field 400 unknown_field. A card number
// anywhere in the event (its id, its data, any key) is refused before anything reads it: an
// event is stored in inbound_events, holds, requests and the audit log.
Result<Envelope> ParseEnvelope(std::string_view body, const std::string& tenant_id) {
  SB_ASSIGN_OR_RETURN(json::object o, ParseJsonObject(body));
  if (std::optional<std::string> where = CardNumberPath(json::value(o))) {
    return CardNumberRefused(*where);
  }
  JsonFields fields = EnvelopeFields(o);
  SB_RETURN_IF_ERROR(
      fields.OnlyFields({"id", "type", "created_at", "tenant_id", "data", "previous"}));
  Envelope e;
  SB_ASSIGN_OR_RETURN(e.id, fields.RequiredString("id", 1, 200));
  SB_ASSIGN_OR_RETURN(e.type, fields.RequiredString("type", 1, 200));
  SB_ASSIGN_OR_RETURN(std::optional<std::string> tenant, fields.String("tenant_id", 0, 200));
  if (fields.Has("tenant_id") && tenant != tenant_id) {
    return Status::Invalid("tenant_id", "tenant_id does not match the tenant in the path");
  }
  SB_ASSIGN_OR_RETURN(const json::object* data, fields.Object("data"));
  if (data == nullptr) return Status::Invalid("data", "data must be an object");
  e.data = *data;
  return e;
}

Result<CheckedEvent> CheckEvent(std::string_view secret, const EventHeaders& headers,
                                std::string_view body, const std::string& tenant_id,
                                Timestamp now) {
  SB_RETURN_IF_ERROR(VerifyDelivery(secret, headers, body, now));
  SB_ASSIGN_OR_RETURN(Envelope envelope, ParseEnvelope(body, tenant_id));
  // The data is read in full before the transaction: a malformed event writes nothing.
  SB_ASSIGN_OR_RETURN(EventData data, ParseEventData(envelope.type, envelope.data, now));
  return CheckedEvent{std::move(envelope), std::move(data)};
}

}  // namespace sb::app::events
