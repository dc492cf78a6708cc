#pragma once

// Reading requests, the outbox and an account's timeline. Thread-safe.

#include <optional>
#include <string>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"

namespace sb::app {

// One line of an account's timeline: a request or an audit entry. A notification's audit
// entry ("notification.written") comes with its outbox message as it is now, so the line
// shows the delivery state the sender moved it to (sent, delivered, failed...).
struct TimelineItem {
  Timestamp at = 0;
  std::optional<domain::Request> request;
  std::optional<domain::AuditEntry> audit;
  std::optional<domain::OutboxMessage> notification;
};

class RequestQueries {
 public:
  explicit RequestQueries(Deps deps) : deps_(deps) {}
  Result<domain::Request> GetRequest(const CallContext& ctx, const std::string& id) const;
  Result<domain::Page<domain::Request>> ListRequests(const CallContext& ctx,
                                                     const domain::RequestFilter& f) const;
  // Messages waiting in (or delivered from) the outbox, newest first.
  Result<domain::Page<domain::OutboxMessage>> ListOutbox(const CallContext& ctx,
                                                         const domain::OutboxFilter& f) const;
  // Requests and audit entries of an account, newest first; cursor is an item id.
  Result<domain::Page<TimelineItem>> Timeline(const CallContext& ctx, const std::string& account_id,
                                              const std::string& starting_after, int limit) const;

 private:
  Deps deps_;
};

}  // namespace sb::app
