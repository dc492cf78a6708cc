#pragma once

// What a customer reads of the messages sent to them (the portal's notification list): their
// account's email and SMS messages, opened, newest first. Thread-safe.

#include <string>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/notification.h"

namespace sb::app {

struct CustomerMessage {
  domain::OutboxMessage message;  // its state, channel, notification (event_type) and times
  domain::Notification notification;
};

struct CustomerMessagePage {
  std::vector<CustomerMessage> items;
  bool has_more = false;
  std::string next_after;  // the cursor that goes on where this page stopped
};

class CustomerMessages {
 public:
  explicit CustomerMessages(Deps deps) : deps_(deps) {}

  // Up to `limit` (1..100) email and SMS messages of `account_id` older than `starting_after`
  // (a message id; empty: the newest). Webhook events of the account are skipped, reading at
  // most kScanLimit outbox rows per call: a page may then hold fewer than `limit` messages and
  // say has_more, with `next_after` past what was read. The text of a `verification_code`
  // message is left empty (the list shows that a code was sent, never the code). kNotFound
  // "erased" when the account's data was erased.
  Result<CustomerMessagePage> List(const CallContext& ctx, const std::string& account_id,
                                   const std::string& starting_after, int limit) const;

  static constexpr int kScanLimit = 500;

 private:
  Deps deps_;
};

}  // namespace sb::app
