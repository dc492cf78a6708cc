-- Delivery of webhooks to client endpoints: the endpoints each tenant registers (their
-- signing secret sealed under the master key), and on the outbox a lease, so that one
-- dispatcher at a time delivers a message, and the endpoints that already acknowledged it.
ALTER TABLE outbox ADD COLUMN locked_until INTEGER;
ALTER TABLE outbox ADD COLUMN delivered_to_json TEXT NOT NULL DEFAULT '[]';
-- The dispatcher's claim looks across tenants at due webhooks only: email and SMS messages
-- that no dispatcher sends yet, and the delivered history, stay out of the index. It replaces
-- outbox_due, which nothing read and which led SQLite's planner to walk pending emails too.
DROP INDEX outbox_due;
CREATE INDEX outbox_webhook_due ON outbox (next_attempt_at)
  WHERE state = 'pending' AND channel = 'webhook';
-- Lists by state: the dead-letter list.
CREATE INDEX outbox_state ON outbox (tenant_id, state, id);

CREATE TABLE webhook_endpoints (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  url TEXT NOT NULL,
  event_types_json TEXT NOT NULL,
  description TEXT NOT NULL,
  secret_sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
-- Removed endpoints stay for the audit trail; delivery reads only the enabled ones.
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (tenant_id, id)
  WHERE disabled_at IS NULL;

-- Planner statistics in the production shape of 0002: few messages wait for delivery at any
-- time, a dead-letter list is a small part of a tenant's outbox, endpoints are few.
DELETE FROM sqlite_stat1 WHERE idx = 'outbox_due';
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('outbox', 'outbox_webhook_due', '1000 1'),
  ('outbox', 'outbox_state', '10000000 1000000 300000 1'),
  ('webhook_endpoints', 'sqlite_autoindex_webhook_endpoints_1', '20000 2000 1'),
  ('webhook_endpoints', 'webhook_endpoints_enabled', '5000 1000 1');
