-- Delivery of webhooks to client endpoints: the endpoints each tenant registers (their
-- signing secret sealed under the master key), and on the outbox a lease, so that one
-- dispatcher at a time delivers a message, and the endpoints that already acknowledged it.
ALTER TABLE outbox ADD COLUMN locked_until bigint;
ALTER TABLE outbox ADD COLUMN delivered_to_json text NOT NULL DEFAULT '[]';
-- The dispatcher's claim looks across tenants at due webhooks only: email and SMS messages
-- that no dispatcher sends yet, and the delivered history, stay out of the index. It replaces
-- outbox_due, which nothing read and which led SQLite's planner to walk pending emails too.
DROP INDEX outbox_due;
CREATE INDEX outbox_webhook_due ON outbox (next_attempt_at, id)
  WHERE state = 'pending' AND channel = 'webhook';
-- Lists by state: the dead-letter list.
CREATE INDEX outbox_state ON outbox (tenant_id, state, id);

CREATE TABLE webhook_endpoints (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  url text NOT NULL,
  event_types_json text NOT NULL,
  description text NOT NULL,
  secret_sealed bytea NOT NULL,
  created_at bigint NOT NULL,
  disabled_at bigint,
  PRIMARY KEY (tenant_id, id)
);
-- Removed endpoints stay for the audit trail; delivery reads only the enabled ones.
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (tenant_id, id)
  WHERE disabled_at IS NULL;
