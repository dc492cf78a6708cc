-- Notifications waiting to be composed (app/notifications/notification_queue.h,
-- docs/NOTIFICATIONS.md "When a message is composed"). A change that tells a customer writes
-- one row here in its own transaction; the composer turns it into the sealed email and SMS
-- messages, their audit entries and the customer.notification event, and deletes it, in one
-- later transaction. `context` is who made the change (actor, channel, correlation id) as
-- JSON; `data` the event's data; `request_state` the state the request was in when the event
-- was written. No personal data: the composer reads the customer's from the account.
CREATE TABLE notification_intents (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  account_id TEXT NOT NULL,
  request_id TEXT,
  request_state TEXT,
  data TEXT NOT NULL,
  context TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
