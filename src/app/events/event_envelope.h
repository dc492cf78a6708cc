#pragma once
// What a signed inbound event is before anything is stored: its signature headers checked
// against the tenant's secret, then its envelope and its data read strictly. Pure: no
// storage, no clock (the caller passes the secret and "now"), so EventUseCases::Receive and
// the fuzz target of tests/fuzz read deliveries with the same code.

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "app/events/event_data.h"
#include "app/events/events.h"
#include "common/status.h"
#include "common/time.h"

namespace sb::app::events {

// The parts of an envelope this server reads.
struct Envelope {
  std::string id;
  std::string type;
  boost::json::object data;
};

// A delivery whose signature verified and whose envelope and data read.
struct CheckedEvent {
  Envelope envelope;
  EventData data;
};

// Verifies the signature headers of a delivery over `body` with `secret` (the raw key
// bytes), at `now` (milliseconds). Failures are kUnauthenticated, param naming the header
// ("webhook-id", "webhook-timestamp", "webhook-signature").
Status VerifyDelivery(std::string_view secret, const EventHeaders& headers, std::string_view body,
                      Timestamp now);

// Reads the envelope {"id","type","data":{...}} (optional "created_at", "tenant_id",
// "previous") strictly: 400 invalid_json, duplicate_field, unknown_field, a missing or
// mistyped field naming it, "tenant_id" when it names another tenant than `tenant_id`; 422
// card_number_refused naming where a card number appears anywhere in the event.
Result<Envelope> ParseEnvelope(std::string_view body, const std::string& tenant_id);

// VerifyDelivery, then ParseEnvelope, then ParseEventData: the first failure, or the event
// ready to be applied. Nothing is read before the signature verifies. Thread-safe.
Result<CheckedEvent> CheckEvent(std::string_view secret, const EventHeaders& headers,
                                std::string_view body, const std::string& tenant_id, Timestamp now);

}  // namespace sb::app::events
