#pragma once

// Shared by the files that act on inbound events (events*.cc): the effect of each type,
// run inside the event's transaction after its data was read (app/event_data.h). Not part
// of the app's public surface.

#include <string>

#include "app/accounts/account_requests.h"
#include "app/accounts/account_state.h"
#include "app/core/change.h"
#include "app/core/context.h"
#include "app/events/event_data.h"
#include "app/events/events.h"
#include "app/requests/request_flow.h"
#include "common/status.h"
#include "domain/ports/store.h"

namespace sb::app::events {

// One event being handled inside its transaction.
struct EventTx {
  domain::Tx& tx;
  const Deps& deps;
  const CallContext& ctx;  // actor and channel `system`, the reason code of ReasonFor
  Timestamp now;
  const std::string& event_id;
};

// The reason code the rows an event of this kind write carry ("" for the provisioning
// events: the request they finish keeps its own).
std::string ReasonFor(const EventData& data);

// Acts on the event; its outcome and the requests it created, then those it moved on.
Result<EventReceipt> Apply(EventTx& e, const EventData& data);

// The account `ref` names, loaded for update. kNotFound naming "data.account_id" or
// "data.external_ref".
Result<AccountState> LoadTarget(EventTx& e, const AccountRef& ref);

// Re-runs the checks of the account's waiting requests (ResumeWaiting) and appends the ids of
// those that moved to out.request_ids.
Status ResumeInto(EventTx& e, const std::string& account_id, EventReceipt& out);

// events_payment.cc
Result<EventReceipt> ApplyPaymentReceived(EventTx& e, const PaymentReceived& p);
Result<EventReceipt> ApplyPaymentFailed(EventTx& e, const PaymentFailed& p);

}  // namespace sb::app::events
