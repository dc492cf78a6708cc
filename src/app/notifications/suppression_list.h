#pragma once

// The tenant's suppression list (docs/SECURITY.md, "Notification channels"): addresses that
// bounced for good and are never sent to again. Only a keyed hash of each address is stored,
// HMAC-SHA256 under a random key of the tenant's own kept sealed under the master key, so the
// list cannot be read back into addresses nor matched across tenants.

#include <string>
#include <string_view>

#include "app/core/keyring.h"
#include "common/status.h"
#include "domain/ports/store.h"

namespace sb::app {

// Whether `address` is on the tenant's list. False while the tenant has no key yet (nothing
// was ever suppressed). Reads only.
Result<bool> IsSuppressedAddress(domain::Tx& tx, const Keyring& keyring,
                                 const std::string& tenant_id, std::string_view address);

// Puts `address` on the tenant's list because of `message_id`, creating the tenant's key on
// first use. Idempotent.
Status SuppressAddress(domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id,
                       std::string_view address, const std::string& message_id, Timestamp now);

}  // namespace sb::app
