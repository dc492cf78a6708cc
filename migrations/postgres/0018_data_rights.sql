-- Subject access exports (app/rights/data_export.h): one per completed data_access
-- request, the whole document sealed under the account's data key. Erasing the account
-- destroys the key, which leaves the row unreadable; nothing deletes it. The retention
-- scan's list of closed accounts uses 0005's accounts_inactive index.
CREATE TABLE data_exports (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  request_id text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  sealed bytea NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, request_id)
);

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE data_exports ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON data_exports
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON data_exports TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- 0017's grants, plus the exports (SELECT and INSERT: an export is written once, never
-- changed or deleted).
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
                           'verification_code_checks', 'data_exports'] LOOP
    EXECUTE format('GRANT SELECT, INSERT ON %I TO %I', t, app_role);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['reason_codes', 'plans', 'accounts', 'services', 'holds',
                           'requests', 'audit_tree_nodes', 'audit_log_state', 'jobs',
                           'idempotency_keys', 'subject_keys', 'tenant_secrets', 'outbox',
                           'webhook_endpoints', 'notification_templates', 'staff_users',
                           'sessions', 'sign_in_throttle', 'verification_codes'] LOOP
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
