-- Reconciliation (app/reconciliation/): a client system's view of account and service states
-- compared with Switchboard's. A run is one file or snapshot compared; a drift item is one
-- difference it found, with what each side said and what was done about it. A file a tenant
-- already ran for a source is recognised by its hash and changes nothing the second time.
CREATE TABLE reconciliation_runs (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  source TEXT NOT NULL,
  origin TEXT NOT NULL,
  format TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT,
  rows_read INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  rows_in_step INTEGER NOT NULL,
  service_status_drift INTEGER NOT NULL,
  account_status_drift INTEGER NOT NULL,
  amount_due_drift INTEGER NOT NULL,
  repairs_filed INTEGER NOT NULL,
  queued INTEGER NOT NULL,
  already_open INTEGER NOT NULL,
  rejected_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX reconciliation_runs_file
  ON reconciliation_runs (tenant_id, source, origin, file_sha256);

CREATE TABLE drift_items (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  source TEXT NOT NULL,
  account_id TEXT NOT NULL,
  external_ref TEXT NOT NULL,
  service_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  switchboard_value TEXT NOT NULL,
  source_value TEXT NOT NULL,
  truth TEXT NOT NULL,
  action TEXT NOT NULL,
  request_id TEXT NOT NULL,
  known_item_id TEXT NOT NULL,
  open INTEGER NOT NULL,
  resolution TEXT NOT NULL,
  note TEXT NOT NULL,
  found_at INTEGER NOT NULL,
  closed_at INTEGER,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, run_id) REFERENCES reconciliation_runs (tenant_id, id)
) WITHOUT ROWID;
-- A run's items in id order (its report), and the open ones: the queue, and by account the
-- earlier open item a new drift is already covered by.
CREATE INDEX drift_items_run ON drift_items (tenant_id, run_id, id);
CREATE INDEX drift_items_open ON drift_items (tenant_id, id) WHERE open = 1;
CREATE INDEX drift_items_open_account ON drift_items (tenant_id, account_id) WHERE open = 1;

-- The reason a repair of drift is filed under (a status_sync with origin automated), for the
-- tenants that exist already; a new tenant is given it with the others
-- (app/tenants/tenant_admin.cc).
INSERT INTO reason_codes (tenant_id, code, description)
SELECT id, 'reconciliation', 'Difference found by reconciliation with a client system'
FROM tenants
WHERE NOT EXISTS (SELECT 1 FROM reason_codes r WHERE r.tenant_id = tenants.id
                  AND r.code = 'reconciliation');
