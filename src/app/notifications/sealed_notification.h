#pragma once

// How an `email` or `sms` outbox message carries its domain::Notification: the outbox row's
// payload_json is {"sealed":"<base64>"}, the notification's JSON sealed under the account's
// data key (app/core/keyring.h), so the address and text are never stored in clear and an
// erasure makes them unreadable.

#include <string>
#include <string_view>

#include "app/core/keyring.h"
#include "common/status.h"
#include "domain/notification.h"
#include "domain/ports/store.h"

namespace sb::app {

// The payload_json of an outbox message carrying `n` for `account_id`, sealed inside `tx`.
Result<std::string> SealNotification(domain::Tx& tx, const Keyring& keyring,
                                     std::string_view tenant_id, std::string_view account_id,
                                     const domain::Notification& n);

// Opens what SealNotification wrote. kNotFound "erased" when the account's data key was
// destroyed; kInvalidArgument when the payload is not a sealed notification.
Result<domain::Notification> OpenNotification(domain::Tx& tx, const Keyring& keyring,
                                              std::string_view tenant_id,
                                              std::string_view account_id,
                                              std::string_view payload_json);

}  // namespace sb::app
