#pragma once

// The request-type registry (docs/ARCHITECTURE.md, "Domain"): one row per request type with
// everything the code knows about the type besides its effect (which
// app/requests/effects/effects.cc binds to the same types). Adding a type takes its enum value
// (domain/enums.h), its row here, its effect (one file under app/requests/effects/ and one binding
// row) and its entry in the policy pack; the enum's wire names, the audit category of its requests,
// the pack's "every type has an entry" rule, who may ask for provisioning and who may file it
// all read these rows.

#include <span>
#include <string_view>

#include "domain/enums.h"

namespace sb::domain {

struct RequestTypeInfo {
  RequestType type;
  std::string_view name;  // wire name: the API, the policy pack's requests.<name>, the store
  AuditCategory
      category;  // of the audit entries its requests write (docs/ARCHITECTURE.md, "Domain")
  // Whether its policy may set provisioning.required: only types that bring a service up
  // wait for the client's network systems.
  bool provisioning_allowed;
  // Whether only a person may file it: a machine key of a client system (role `system`) may
  // not end, revive or hand over an account, nor change who may act on it or how.
  bool people_only;
};

// Every request type, in the enum's order. The span refers to static storage.
std::span<const RequestTypeInfo> RequestTypes();

// The row of `type`. REQUIRES: `type` is a value of the enum (every one has a row; see
// request_types_test.cc).
const RequestTypeInfo& InfoOf(RequestType type);

}  // namespace sb::domain
