-- Staff users, sign-in sessions and sign-in throttling (docs/SECURITY.md, "People").
-- A user's password is an argon2id hash and its TOTP secret is wrapped under the master key;
-- a session or invitation is stored as the SHA-256 of its secret, never the secret.
CREATE TABLE staff_users (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  email text COLLATE "C" NOT NULL,
  name text NOT NULL,
  role text NOT NULL,
  status text NOT NULL,
  password_hash text NOT NULL,
  totp_secret bytea NOT NULL,
  totp_confirmed boolean NOT NULL,
  totp_last_step bigint NOT NULL,
  invitation_hash text COLLATE "C",
  invitation_expires_at bigint,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email)
);
CREATE UNIQUE INDEX staff_users_invitation ON staff_users (tenant_id, invitation_hash)
  WHERE invitation_hash IS NOT NULL;

-- subject_type user (subject_id a staff user) or customer (subject_id an account).
CREATE TABLE sessions (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id_hash text COLLATE "C" NOT NULL,
  subject_type text NOT NULL,
  subject_id text COLLATE "C" NOT NULL,
  role text,
  csrf_hash text NOT NULL,
  created_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  revoked_at bigint,
  PRIMARY KEY (tenant_id, id_hash)
);
CREATE INDEX sessions_subject ON sessions (tenant_id, subject_type, subject_id);

CREATE TABLE sign_in_throttle (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  key text COLLATE "C" NOT NULL,
  failures integer NOT NULL,
  locked_until bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, key)
);

-- Row-level security, exactly as 0013 set it on the other tenant tables.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['staff_users', 'sessions', 'sign_in_throttle'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
                   'USING (tenant_id = current_setting(''switchboard.tenant_id'', true)) '
                   'WITH CHECK (tenant_id = current_setting(''switchboard.tenant_id'', true))', t);
    EXECUTE format('CREATE POLICY privileged_path ON %I TO %I '
                   'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                   t, current_user);
  END LOOP;
END
$$;

-- 0015's grants, plus users, sessions and the sign-in throttle (no DELETE: a session is
-- revoked, a user disabled).
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
                           'notification_suppressions', 'outbox_provider_refs'] LOOP
    EXECUTE format('GRANT SELECT, INSERT ON %I TO %I', t, app_role);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['reason_codes', 'plans', 'accounts', 'services', 'holds',
                           'requests', 'audit_tree_nodes', 'audit_log_state', 'jobs',
                           'idempotency_keys', 'subject_keys', 'tenant_secrets', 'outbox',
                           'webhook_endpoints', 'notification_templates', 'staff_users', 'sessions',
                           'sign_in_throttle'] LOOP
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
