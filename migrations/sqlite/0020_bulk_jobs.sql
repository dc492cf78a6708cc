-- Bulk jobs (app/bulk/): an uploaded file's rows, each filed as one request with origin
-- `bulk`. A row's payload is sealed under its account's data key; its outcome is written in
-- the transaction that filed its request, while it is still pending, so no row runs twice.
CREATE TABLE bulk_jobs (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  state TEXT NOT NULL,
  format TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT,
  channel TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  total_rows INTEGER NOT NULL,
  applied_rows INTEGER NOT NULL,
  failed_rows INTEGER NOT NULL,
  skipped_rows INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  active_ms INTEGER NOT NULL,
  running_since INTEGER,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;

CREATE TABLE bulk_job_rows (
  tenant_id TEXT NOT NULL,
  job_id TEXT NOT NULL,
  row_no INTEGER NOT NULL,
  state TEXT NOT NULL,
  account_id TEXT NOT NULL,
  request_type TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  service_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  payload_sealed TEXT NOT NULL,
  request_id TEXT NOT NULL,
  request_state TEXT NOT NULL,
  error_code TEXT NOT NULL,
  error_param TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, job_id, row_no),
  FOREIGN KEY (tenant_id, job_id) REFERENCES bulk_jobs (tenant_id, id)
) WITHOUT ROWID;
-- The rows still to run, found without reading the ones done.
CREATE INDEX bulk_job_rows_pending ON bulk_job_rows (tenant_id, job_id, row_no)
  WHERE state = 'pending';

-- Row idempotency keys applied by any job: a key is applied once per tenant.
CREATE TABLE bulk_row_keys (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  idempotency_key TEXT NOT NULL,
  job_id TEXT NOT NULL,
  row_no INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, idempotency_key)
) WITHOUT ROWID;
