-- Every change that tells a customer reads the account's newest email and SMS messages for the
-- rate limit and "already told" (app/notifications/composer.cc). This partial index holds every
-- column that read needs, so it walks only the account's customer messages and never the
-- table's rows, their payloads or the account's webhook events.
CREATE INDEX outbox_customer_messages
  ON outbox (tenant_id, account_id, id, channel, event_type, request_id, state, next_attempt_at)
  WHERE channel <> 'webhook';

INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('outbox', 'outbox_customer_messages', '3000000 1000000 10 1 1 1 1 1 1');
