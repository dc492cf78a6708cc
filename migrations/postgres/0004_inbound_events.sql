-- Per-tenant secrets (sealed under the master key), one per purpose: "inbound_events" is the
-- key client systems sign their events with.
CREATE TABLE tenant_secrets (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  purpose text COLLATE "C" NOT NULL,
  secret_sealed bytea NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, purpose)
);

-- Inbound events already handled, by their id: a redelivery answers the first outcome and
-- changes nothing.
CREATE TABLE inbound_events (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  event_id text COLLATE "C" NOT NULL,
  type text NOT NULL,
  received_at bigint NOT NULL,
  request_id text NOT NULL,
  outcome text NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
);
