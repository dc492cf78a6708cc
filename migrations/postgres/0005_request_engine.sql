-- The request engine: SLA state, assignee, decisions and comments on requests; a count of
-- failed payments on accounts; verifications (identity, consent, data confirmation) that
-- checks read; the outbox of messages to deliver after commit.
ALTER TABLE accounts ADD COLUMN failed_payments integer NOT NULL DEFAULT 0;

ALTER TABLE requests ADD COLUMN at_risk_at bigint;
ALTER TABLE requests ADD COLUMN sla_paused_at bigint;
ALTER TABLE requests ADD COLUMN sla_status text NOT NULL DEFAULT 'on_track';
ALTER TABLE requests ADD COLUMN assignee text NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN decisions_json text NOT NULL DEFAULT '[]';
ALTER TABLE requests ADD COLUMN comments_json text NOT NULL DEFAULT '[]';
-- The work queue (due_at ascending, NULLs last as the index stores them), the KPI window
-- (created_at) and the dormancy scan.
CREATE INDEX requests_due ON requests (tenant_id, due_at, id);
CREATE INDEX requests_created ON requests (tenant_id, created_at);
CREATE INDEX accounts_inactive ON accounts (tenant_id, lifecycle, updated_at);

CREATE TABLE verifications (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  party text NOT NULL,
  method text NOT NULL,
  level integer NOT NULL,
  verified_at bigint NOT NULL,
  request_id text NOT NULL,
  actor_type text NOT NULL,
  actor_id text NOT NULL,
  actor_role text,
  created_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
);
CREATE INDEX verifications_account ON verifications (tenant_id, account_id, verified_at);

CREATE TABLE outbox (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  channel text NOT NULL,
  event_type text NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  request_id text COLLATE "C" NOT NULL,
  payload_json text NOT NULL,
  state text NOT NULL,
  attempts integer NOT NULL,
  next_attempt_at bigint NOT NULL,
  last_error text NOT NULL,
  created_at bigint NOT NULL,
  delivered_at bigint,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_account ON outbox (tenant_id, account_id, id);
CREATE INDEX outbox_request ON outbox (tenant_id, request_id, id);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
