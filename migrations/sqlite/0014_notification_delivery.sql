-- Delivery of email and SMS notifications (docs/DESIGN-NOTES.md, "One dispatcher for the
-- outbox"): every channel's dispatcher claims its own due messages, the addresses that
-- hard-bounced are kept as keyed hashes only, and an SMS gateway's message id leads a
-- delivery receipt back to its outbox message.
CREATE INDEX outbox_channel_due ON outbox (channel, next_attempt_at) WHERE state = 'pending';
-- It serves every channel's claim, the webhooks' too: 0008's outbox_webhook_due has no reader.
DROP INDEX outbox_webhook_due;

-- The tenant's suppression list: an HMAC-SHA256 (hex) of the normalised address under the
-- tenant's suppression key (tenant_secrets), never the address itself.
CREATE TABLE notification_suppressions (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  address_hash TEXT NOT NULL,
  message_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, address_hash)
) WITHOUT ROWID;

-- The id a provider gave a message it accepted, by which its delivery receipt names it.
CREATE TABLE outbox_provider_refs (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  provider_ref TEXT NOT NULL,
  message_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, provider_ref)
) WITHOUT ROWID;

INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('outbox', 'outbox_channel_due', '1000 300 1'),
  ('notification_suppressions', 'sqlite_autoindex_notification_suppressions_1', '100000 10000 1'),
  ('outbox_provider_refs', 'sqlite_autoindex_outbox_provider_refs_1', '10000000 1000000 1');
