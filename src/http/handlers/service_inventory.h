#pragma once

// The service inventory in TM Forum's vocabulary, read-only: TMF638 Service Inventory
// Management v4 resources for the client's OSS/BSS, which expect TMF shapes and state names.
// The mapping from Switchboard's service statuses to TMF states is TmfServiceState's table,
// documented in docs/TMFORUM.md. The routes themselves (method, path, who may call) are listed
// in http/routes.cc.

#include <string_view>

#include "domain/enums.h"
#include "http/exchange.h"
#include "http/router.h"
#include "http/types.h"

namespace sb::http::handlers::service_inventory {

// TMF638's ServiceStateType for a Switchboard service status.
std::string_view TmfServiceState(domain::ServiceStatus status);

// GET /tmf-api/serviceInventory/v4/service/{id}.
Response GetService(Exchange& ex);

// GET /tmf-api/serviceInventory/v4/service?relatedParty.id=<account id or external_ref>: a
// JSON array (TMF's list shape), with X-Total-Count and X-Result-Count; `offset` and `limit`
// page it.
Response ListServices(Exchange& ex);

}  // namespace sb::http::handlers::service_inventory
