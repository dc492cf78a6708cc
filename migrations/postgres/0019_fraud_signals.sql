-- Fraud signals (app/fraud/fraud_rules.h): every rule of the pack's `fraud:` section that
-- fired, and every fraud.alert a client system sent, with the figures that matched.
CREATE TABLE fraud_signals (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  rule text NOT NULL,
  account_id text NOT NULL,
  request_id text NOT NULL,
  hold_request_id text NOT NULL,
  figures_json text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
);
CREATE INDEX fraud_signals_account ON fraud_signals (tenant_id, account_id, id);

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE fraud_signals ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON fraud_signals
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON fraud_signals TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- 0018's grants, plus the fraud signals (written once, never changed).
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
                           'verification_code_checks', 'data_exports', 'fraud_signals'] LOOP
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
