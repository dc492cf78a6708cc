#pragma once

// Webhook endpoints of format tmf641 (domain::WebhookFormat) receive TM Forum's TMF641 Service
// Ordering (v4) notifications instead of Switchboard's envelope: a request that names a
// service is a ServiceOrder with one ServiceOrderItem on that service, and each of its
// "request.<state>" events becomes a ServiceOrderCreateEvent (request.received) or a
// ServiceOrderStateChangeEvent (every other state). Events of other kinds, and of requests
// that name no service, are not service order events: such an endpoint is not sent them.
// The state table is TmfServiceOrderState, documented in docs/TMFORUM.md. Thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/enums.h"
#include "domain/model.h"

namespace sb::app {

// TMF641's ServiceOrderStateType (and ServiceOrderItemStateType) for a request state.
std::string_view TmfServiceOrderState(domain::RequestState state);

// TMF641's ServiceOrderItem action for a request of `type` on a service: "add" for an
// activation, "delete" for a termination, "modify" for the rest.
std::string_view TmfOrderItemAction(domain::RequestType type);

// OK when an endpoint of `format` may list `types` (already checked by
// domain::ValidateEventTypes): a tmf641 endpoint takes "*" (every request state event) or
// "request.<state>" names only; kInvalidArgument naming "event_types" otherwise.
Status CheckEventTypesForFormat(domain::WebhookFormat format,
                                const std::vector<std::string>& types);

// The TMF641 body of outbox message `m` (its payload the envelope the request engine wrote),
// or nullopt when it is not a service order event.
std::optional<std::string> Tmf641Body(const domain::OutboxMessage& m);

}  // namespace sb::app
