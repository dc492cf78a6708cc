#pragma once

// Internals shared by the verification code use cases' source files
// (app/verification/verification_codes.h). Not for use elsewhere.

#include <string>

#include "app/core/context.h"
#include "app/core/keyring.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app::verification_codes {

// kUnprocessable "invalid_value" naming `channel` unless it is "email" or "sms".
Status CheckChannel(const std::string& channel);

// Whole seconds from `now` until `at`, at least 1 (a Retry-After).
int SecondsUntil(Timestamp at, Timestamp now);

// The account, locked for the rest of the transaction so that concurrent sends and checks of
// one account are counted one after the other; kNotFound "account".
Result<domain::Account> LockedAccount(domain::Tx& tx, const CallContext& ctx,
                                      const std::string& account_id);

// The key codes are hashed under, derived from the master key.
std::string HashKey(const Keyring& keyring);

}  // namespace sb::app::verification_codes
