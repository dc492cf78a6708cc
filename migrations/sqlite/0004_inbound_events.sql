-- Per-tenant secrets (sealed under the master key), one per purpose: "inbound_events" is the
-- key client systems sign their events with.
CREATE TABLE tenant_secrets (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  purpose TEXT NOT NULL,
  secret_sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, purpose)
) WITHOUT ROWID;

-- Inbound events already handled, by their id: a redelivery answers the first outcome and
-- changes nothing.
CREATE TABLE inbound_events (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
) WITHOUT ROWID;
