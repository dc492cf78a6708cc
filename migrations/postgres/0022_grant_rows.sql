-- What the server's role may do, kept as rows. Until now each migration that added a table or
-- a function restated switchboard_grant_app_role whole (0013 to 0021 did), and one that forgot
-- an earlier table would have revoked it without a word. From here on a migration inserts its
-- own rows into app_role_grants; the function grants whatever the table holds.
CREATE TABLE app_role_grants (
  kind text NOT NULL CHECK (kind IN ('table', 'function')),
  object text COLLATE "C" NOT NULL,  -- a table's name, or a function's signature
  privileges text NOT NULL,          -- for a table, e.g. 'SELECT, INSERT, UPDATE (revoked_at)'
  PRIMARY KEY (kind, object)
);

INSERT INTO app_role_grants (kind, object, privileges)
SELECT 'table', t, 'SELECT, INSERT'
FROM unnest(ARRAY['tenants', 'server_keys', 'audit_checkpoints', 'policy_packs',
                  'inbound_events', 'verifications', 'plan_history', 'notification_suppressions',
                  'outbox_provider_refs', 'verification_code_checks', 'data_exports',
                  'fraud_signals', 'bulk_row_keys']) AS t;
INSERT INTO app_role_grants (kind, object, privileges)
SELECT 'table', t, 'SELECT, INSERT, UPDATE'
FROM unnest(ARRAY['reason_codes', 'plans', 'accounts', 'services', 'holds', 'requests',
                  'audit_tree_nodes', 'audit_log_state', 'jobs', 'idempotency_keys',
                  'subject_keys', 'tenant_secrets', 'outbox', 'webhook_endpoints',
                  'notification_templates', 'staff_users', 'sessions', 'sign_in_throttle',
                  'verification_codes', 'bulk_jobs', 'bulk_job_rows']) AS t;
INSERT INTO app_role_grants (kind, object, privileges) VALUES
  ('table', 'schema_migrations', 'SELECT'),
  ('table', 'api_keys', 'SELECT, INSERT, UPDATE (revoked_at)'),
  ('table', 'audit_entries', 'SELECT, INSERT, UPDATE (leaf_index, leaf_hash)'),
  ('function', 'switchboard_api_key_by_hash(text)', 'EXECUTE'),
  ('function', 'switchboard_list_tenants()', 'EXECUTE'),
  ('function', 'switchboard_tenants_with_unsequenced_audit()', 'EXECUTE'),
  ('function', 'switchboard_claim_due_jobs(bigint, integer, bigint)', 'EXECUTE'),
  ('function', 'switchboard_claim_due_outbox(text, bigint, integer, bigint)', 'EXECUTE'),
  ('function', 'switchboard_purge_idempotency(bigint)', 'EXECUTE'),
  ('function', 'switchboard_purge_ended_sessions(bigint, bigint)', 'EXECUTE');

CREATE OR REPLACE FUNCTION switchboard_grant_app_role(app_role text) RETURNS void
  LANGUAGE plpgsql
AS $$
DECLARE
  g record;
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), app_role);
  FOR g IN SELECT kind, object, privileges FROM app_role_grants ORDER BY kind, object LOOP
    IF g.kind = 'table' THEN
      EXECUTE format('GRANT %s ON %I TO %I', g.privileges, g.object, app_role);
    ELSE
      EXECUTE format('GRANT %s ON FUNCTION %s TO %I', g.privileges, g.object, app_role);
    END IF;
  END LOOP;
END
$$;
