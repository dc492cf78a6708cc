-- Ended sign-in sessions and stale sign-in throttle rows are deleted (app/people/sessions.h,
-- PurgeEnded): across tenants, like the idempotency purge, so through a function that sets the
-- privileged path for its own statement only.
CREATE FUNCTION switchboard_purge_ended_sessions(ended_before bigint, idle_before bigint)
  RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
  sessions_purged bigint;
  throttle_purged bigint;
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  DELETE FROM sessions
    WHERE expires_at < ended_before OR revoked_at < ended_before OR last_seen_at < idle_before;
  GET DIAGNOSTICS sessions_purged = ROW_COUNT;
  DELETE FROM sign_in_throttle WHERE locked_until < ended_before AND updated_at < ended_before;
  GET DIAGNOSTICS throttle_purged = ROW_COUNT;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
  RETURN sessions_purged + throttle_purged;
END
$$;
REVOKE ALL ON FUNCTION switchboard_purge_ended_sessions(bigint, bigint) FROM PUBLIC;

-- 0020's grants, plus the purge of ended sessions.
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
                 'switchboard_purge_idempotency(bigint), '
                 'switchboard_purge_ended_sessions(bigint, bigint) TO %I', app_role);
END
$$;
