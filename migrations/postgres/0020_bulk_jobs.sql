-- Bulk jobs (app/bulk/): an uploaded file's rows, each filed as one request with origin
-- `bulk`. A row's payload is sealed under its account's data key; its outcome is written in
-- the transaction that filed its request, while it is still pending, so no row runs twice.
CREATE TABLE bulk_jobs (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  state text NOT NULL,
  format text NOT NULL,
  actor_type text NOT NULL,
  actor_id text NOT NULL,
  actor_role text,
  channel text NOT NULL,
  file_sha256 text NOT NULL,
  total_rows bigint NOT NULL,
  applied_rows bigint NOT NULL,
  failed_rows bigint NOT NULL,
  skipped_rows bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  started_at bigint,
  finished_at bigint,
  active_ms bigint NOT NULL,
  running_since bigint,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE bulk_job_rows (
  tenant_id text COLLATE "C" NOT NULL,
  job_id text COLLATE "C" NOT NULL,
  row_no bigint NOT NULL,
  state text NOT NULL,
  account_id text NOT NULL,
  request_type text NOT NULL,
  reason_code text NOT NULL,
  service_id text NOT NULL,
  idempotency_key text NOT NULL,
  payload_sealed text NOT NULL,
  request_id text NOT NULL,
  request_state text NOT NULL,
  error_code text NOT NULL,
  error_param text NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, job_id, row_no),
  FOREIGN KEY (tenant_id, job_id) REFERENCES bulk_jobs (tenant_id, id)
);
-- The rows still to run, found without reading the ones done.
CREATE INDEX bulk_job_rows_pending ON bulk_job_rows (tenant_id, job_id, row_no)
  WHERE state = 'pending';

-- Row idempotency keys applied by any job: a key is applied once per tenant.
CREATE TABLE bulk_row_keys (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  idempotency_key text NOT NULL,
  job_id text COLLATE "C" NOT NULL,
  row_no bigint NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, idempotency_key)
);

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE bulk_jobs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bulk_jobs
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON bulk_jobs TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;
ALTER TABLE bulk_job_rows ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bulk_job_rows
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON bulk_job_rows TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;
ALTER TABLE bulk_row_keys ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bulk_row_keys
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON bulk_row_keys TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- 0019's grants, plus the bulk jobs (rows and jobs change as they run; row keys are
-- written once).
CREATE OR REPLACE FUNCTION switchboard_grant_app_role(app_role text) RETURNS void
  LANGUAGE plpgsql
AS $$
DECLARE
  t text;
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), app_role);
  EXECUTE format('GRANT SELECT ON schema_migrations TO %I', app_role);
  FOREACH t IN ARRAY ARRAY['tenants', 'server_keys', 'audit_checkpoints', 'policy_packs',
                           'inbound_events', 'verifications', 'plan_history',
                           'notification_suppressions', 'outbox_provider_refs',
                           'verification_code_checks', 'data_exports', 'fraud_signals',
                           'bulk_row_keys'] LOOP
    EXECUTE format('GRANT SELECT, INSERT ON %I TO %I', t, app_role);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['reason_codes', 'plans', 'accounts', 'services', 'holds',
                           'requests', 'audit_tree_nodes', 'audit_log_state', 'jobs',
                           'idempotency_keys', 'subject_keys', 'tenant_secrets', 'outbox',
                           'webhook_endpoints', 'notification_templates', 'staff_users',
                           'sessions', 'sign_in_throttle', 'verification_codes',
                           'bulk_jobs', 'bulk_job_rows'] LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO %I', t, app_role);
  END LOOP;
  EXECUTE format('GRANT SELECT, INSERT, UPDATE (revoked_at) ON api_keys TO %I', app_role);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE (leaf_index, leaf_hash) ON audit_entries TO %I',
                 app_role);
  EXECUTE format('GRANT EXECUTE ON FUNCTION switchboard_api_key_by_hash(text), '
                 'switchboard_list_tenants(), switchboard_tenants_with_unsequenced_audit(), '
                 'switchboard_claim_due_jobs(bigint, integer, bigint), '
                 'switchboard_claim_due_outbox(text, bigint, integer, bigint), '
                 'switchboard_purge_idempotency(bigint) TO %I', app_role);
END
$$;
