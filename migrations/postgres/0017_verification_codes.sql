-- One-time verification codes (app/verification/verification_codes.h): only a keyed hash of
-- each code is kept, never the code. Checks record every evaluated attempt (passed or not), which
-- the lock after repeated failures and the fraud rules count.
CREATE TABLE verification_codes (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  account_id text NOT NULL,
  channel text NOT NULL,
  purpose text NOT NULL,
  code_hash text NOT NULL,
  message_id text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  used_at bigint,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
);
CREATE INDEX verification_codes_account
  ON verification_codes (tenant_id, account_id, channel, created_at);

CREATE TABLE verification_code_checks (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  account_id text NOT NULL,
  channel text NOT NULL,
  purpose text NOT NULL,
  code_id text NOT NULL,
  passed boolean NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
);
CREATE INDEX verification_code_checks_account
  ON verification_code_checks (tenant_id, account_id, channel, at);

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE verification_codes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON verification_codes
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON verification_codes TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;
ALTER TABLE verification_code_checks ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON verification_code_checks
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON verification_code_checks TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- 0016's grants, plus the codes (UPDATE: a code is marked used) and their checks (written once).
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
                           'verification_code_checks'] LOOP
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
