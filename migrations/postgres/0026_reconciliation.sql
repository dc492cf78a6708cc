-- Reconciliation (app/reconciliation/): a client system's view of account and service states
-- compared with Switchboard's. A run is one file or snapshot compared; a drift item is one
-- difference it found, with what each side said and what was done about it. A file a tenant
-- already ran for a source is recognised by its hash and changes nothing the second time.
CREATE TABLE reconciliation_runs (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  source text COLLATE "C" NOT NULL,
  origin text NOT NULL,
  format text NOT NULL,
  file_sha256 text NOT NULL,
  actor_type text NOT NULL,
  actor_id text NOT NULL,
  actor_role text,
  rows_read bigint NOT NULL,
  rows_rejected bigint NOT NULL,
  rows_in_step bigint NOT NULL,
  service_status_drift bigint NOT NULL,
  account_status_drift bigint NOT NULL,
  amount_due_drift bigint NOT NULL,
  repairs_filed bigint NOT NULL,
  queued bigint NOT NULL,
  already_open bigint NOT NULL,
  rejected_json text NOT NULL,
  created_at bigint NOT NULL,
  finished_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX reconciliation_runs_file
  ON reconciliation_runs (tenant_id, source, origin, file_sha256);

CREATE TABLE drift_items (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  run_id text COLLATE "C" NOT NULL,
  source text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  external_ref text NOT NULL,
  service_id text NOT NULL,
  kind text NOT NULL,
  switchboard_value text NOT NULL,
  source_value text NOT NULL,
  truth text NOT NULL,
  action text NOT NULL,
  request_id text NOT NULL,
  known_item_id text NOT NULL,
  open boolean NOT NULL,
  resolution text NOT NULL,
  note text NOT NULL,
  found_at bigint NOT NULL,
  closed_at bigint,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, run_id) REFERENCES reconciliation_runs (tenant_id, id)
);
-- A run's items in id order (its report), and the open ones: the queue, and by account the
-- earlier open item a new drift is already covered by.
CREATE INDEX drift_items_run ON drift_items (tenant_id, run_id, id);
CREATE INDEX drift_items_open ON drift_items (tenant_id, id) WHERE open;
CREATE INDEX drift_items_open_account ON drift_items (tenant_id, account_id) WHERE open;

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE reconciliation_runs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reconciliation_runs
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON reconciliation_runs TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;
ALTER TABLE drift_items ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON drift_items
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON drift_items TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- A run's counters grow as its batches are written; an item is closed by its repair or by an
-- agent.
INSERT INTO app_role_grants (kind, object, privileges) VALUES
  ('table', 'reconciliation_runs', 'SELECT, INSERT, UPDATE'),
  ('table', 'drift_items', 'SELECT, INSERT, UPDATE (request_id, open, resolution, note, closed_at)');

-- The reason a repair of drift is filed under (a status_sync with origin automated), for the
-- tenants that exist already; a new tenant is given it with the others
-- (app/tenants/tenant_admin.cc).
INSERT INTO reason_codes (tenant_id, code, description)
SELECT id, 'reconciliation', 'Difference found by reconciliation with a client system'
FROM tenants
WHERE NOT EXISTS (SELECT 1 FROM reason_codes r WHERE r.tenant_id = tenants.id
                  AND r.code = 'reconciliation');
