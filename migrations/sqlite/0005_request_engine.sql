-- The request engine: SLA state, assignee, decisions and comments on requests; a count of
-- failed payments on accounts; verifications (identity, consent, data confirmation) that
-- checks read; the outbox of messages to deliver after commit.
ALTER TABLE accounts ADD COLUMN failed_payments INTEGER NOT NULL DEFAULT 0;

ALTER TABLE requests ADD COLUMN at_risk_at INTEGER;
ALTER TABLE requests ADD COLUMN sla_paused_at INTEGER;
ALTER TABLE requests ADD COLUMN sla_status TEXT NOT NULL DEFAULT 'on_track';
ALTER TABLE requests ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN decisions_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE requests ADD COLUMN comments_json TEXT NOT NULL DEFAULT '[]';
-- The work queue (due_at ascending), the KPI window (created_at) and the dormancy scan.
CREATE INDEX requests_due ON requests (tenant_id, due_at, id);
CREATE INDEX requests_created ON requests (tenant_id, created_at);
CREATE INDEX accounts_inactive ON accounts (tenant_id, lifecycle, updated_at);

CREATE TABLE verifications (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  party TEXT NOT NULL,
  method TEXT NOT NULL,
  level INTEGER NOT NULL,
  verified_at INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX verifications_account ON verifications (tenant_id, account_id, verified_at);

CREATE TABLE outbox (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  channel TEXT NOT NULL,
  event_type TEXT NOT NULL,
  account_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX outbox_account ON outbox (tenant_id, account_id, id);
CREATE INDEX outbox_request ON outbox (tenant_id, request_id, id);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

-- Planner statistics for the new indexes, in the production shape 0002 describes. Without
-- them an index with no row in sqlite_stat1 gets SQLite's default estimate (about ten rows
-- per tenant), which beats the measured primary key: the newest-first list of a tenant's
-- requests would then read the whole tenant through requests_due and sort it.
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('requests', 'requests_due', '5000000 500000 2 1'),
  ('requests', 'requests_created', '5000000 500000 1'),
  ('accounts', 'accounts_inactive', '1000000 100000 25000 1'),
  ('verifications', 'sqlite_autoindex_verifications_1', '2000000 200000 1'),
  ('verifications', 'verifications_account', '2000000 200000 4 1'),
  ('outbox', 'sqlite_autoindex_outbox_1', '10000000 1000000 1'),
  ('outbox', 'outbox_account', '10000000 1000000 20 1'),
  ('outbox', 'outbox_request', '10000000 1000000 4 1'),
  ('outbox', 'outbox_due', '10000000 3000000 1');
