#pragma once

// How an `email` or `sms` outbox message carries its domain::Notification: the outbox row's
// payload_json is {"sealed":"<base64>","subject":"<id>"}, the notification's JSON sealed under
// the data key (app/core/keyring.h) of the subject it is for: the customer's account, or a
// staff user for the messages staff get (their outbox row has no account). The address and text
// are never stored in clear and an erasure makes them unreadable.

#include <string>
#include <string_view>

#include "app/core/keyring.h"
#include "common/status.h"
#include "domain/notification.h"
#include "domain/ports/store.h"

namespace sb::app {

// The payload_json of an outbox message carrying `n` for `subject_id` (an account or a staff
// user), sealed inside `tx`.
Result<std::string> SealNotification(domain::Tx& tx, const Keyring& keyring,
                                     std::string_view tenant_id, std::string_view subject_id,
                                     const domain::Notification& n);

// Opens what SealNotification wrote: under `account_id`'s key, or, for a message on no account
// (`account_id` empty: a staff user's), under the subject the payload names. kNotFound "erased"
// when that data key was destroyed; kInvalidArgument when the payload is not a sealed
// notification.
Result<domain::Notification> OpenNotification(domain::Tx& tx, const Keyring& keyring,
                                              std::string_view tenant_id,
                                              std::string_view account_id,
                                              std::string_view payload_json);

// What a reader of messages already sent (the portal's list, a data export) is shown of `n`,
// whose outbox event is `event_type`: all of it but the text of a one-time code's message,
// which only its delivery reads. A code is never shown again, even to its owner; the message
// still says one was sent, when and where.
void HideOneTimeCode(std::string_view event_type, domain::Notification& n);

}  // namespace sb::app
