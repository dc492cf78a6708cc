-- Every change that tells a customer reads the account's newest email and SMS messages for the
-- rate limit and "already told" (app/notifications/composer.cc). This partial index holds every
-- column that read needs, so it walks only the account's customer messages, never their
-- payloads or the account's webhook events.
CREATE INDEX outbox_customer_messages
  ON outbox (tenant_id, account_id, id)
  INCLUDE (channel, event_type, request_id, state, next_attempt_at)
  WHERE channel <> 'webhook';
