#pragma once

// Writes `email` and `sms` outbox messages into the database a test server serves, exactly as
// the composer does (app/notifications/sealed_notification.h: the notification sealed under
// the account's data key, wrapped by the server's master key), so that delivery can be tested
// with nothing else composing messages.

#include <memory>
#include <string>

#include "app/core/keyring.h"
#include "common/time.h"
#include "domain/notification.h"
#include "domain/ports/store.h"
#include "tests/support/server_process.h"

namespace sb::testing {

class OutboxWriter {
 public:
  // Opens the database `server` serves (no migrations), sealing under `master_key` (32 raw
  // bytes: the server's, which tests give it through SWITCHBOARD_MASTER_KEY). Fails the
  // current test when it cannot.
  OutboxWriter(const ServerProcess& server, const std::string& master_key);
  ~OutboxWriter();

  // A pending message of `channel` ("email" or "sms") for the account, due at `due_ms` (0:
  // long due); its id ("msg_..."), or "" after a failed test assertion.
  std::string Write(const std::string& tenant_id, const std::string& account_id,
                    const std::string& channel, const domain::Notification& n,
                    Timestamp due_ms = 0);

 private:
  std::unique_ptr<domain::Store> store_;
  std::unique_ptr<app::Keyring> keyring_;
};

}  // namespace sb::testing
