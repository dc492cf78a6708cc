-- Row-level security: a statement sees and writes only the rows of the tenant its transaction
-- names in the setting switchboard.tenant_id (storage/postgres/pg_tx.cc sets it with
-- set_config(..., true) before the first statement for a tenant), so a query that forgets its
-- tenant filter still cannot reach another tenant. With no tenant set, no row is visible.
--
-- The reads that must cross tenants (an API key by its hash, due jobs and webhooks, the audit
-- sequencer's list of tenants, the tenant list, the purge of expired idempotency records) go
-- through the SECURITY DEFINER functions below and nowhere else: they run as the role that
-- owns the tables and turn switchboard.cross_tenant on for their own query, a setting that only
-- the owner's privileged_path policy honours. FORCE makes the owner itself obey the policies outside those functions and
-- the migration runner (which sets switchboard.cross_tenant for its own transaction).
-- docs/SECURITY.md lists the privileged calls and how to set up the two roles.

DO $$
DECLARE
  t text;
  col text;
BEGIN
  FOR t, col IN
    SELECT c.relname, a.attname FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
     WHERE c.relkind = 'r'
       AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
       AND (a.attname = 'tenant_id' OR (c.relname = 'tenants' AND a.attname = 'id'))
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
                   'USING (%I = current_setting(''switchboard.tenant_id'', true)) '
                   'WITH CHECK (%I = current_setting(''switchboard.tenant_id'', true))',
                   t, col, col);
    EXECUTE format('CREATE POLICY privileged_path ON %I TO %I '
                   'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                   t, current_user);
  END LOOP;
END
$$;

-- The privileged calls. Each does one fixed thing with bound arguments; none takes SQL. Each
-- turns switchboard.cross_tenant on for its own query only (a function's SET clause cannot
-- name a custom setting for a role that is not a superuser).

CREATE FUNCTION switchboard_api_key_by_hash(p_hash text) RETURNS SETOF api_keys
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  RETURN QUERY SELECT * FROM api_keys k WHERE k.secret_hash = p_hash;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
END
$$;

CREATE FUNCTION switchboard_list_tenants() RETURNS SETOF tenants
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  RETURN QUERY SELECT * FROM tenants t ORDER BY t.id;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
END
$$;

-- Tenants with entries to sequence into their Merkle log, or a log grown past its last
-- checkpoint.
CREATE FUNCTION switchboard_tenants_with_unsequenced_audit() RETURNS SETOF text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  RETURN QUERY
    SELECT e.tenant_id::text FROM audit_entries e WHERE e.leaf_index IS NULL
    UNION SELECT s.tenant_id::text FROM audit_log_state s
     WHERE s.size > COALESCE((SELECT MAX(c.tree_size) FROM audit_checkpoints c
                               WHERE c.tenant_id = s.tenant_id), 0)
    ORDER BY 1;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
END
$$;

-- Several processes claim at once: SKIP LOCKED hands each a disjoint set of due jobs, leased
-- until `until_ms`.
CREATE FUNCTION switchboard_claim_due_jobs(now_ms bigint, max_rows integer, until_ms bigint)
  RETURNS SETOF jobs
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  RETURN QUERY
    WITH due AS (SELECT d.tenant_id, d.id FROM jobs d
                  WHERE d.state IN ('pending', 'running') AND d.run_at <= now_ms
                    AND (d.state = 'pending' OR d.locked_until IS NULL
                         OR d.locked_until <= now_ms)
                  ORDER BY d.run_at, d.id LIMIT max_rows FOR UPDATE SKIP LOCKED)
    UPDATE jobs j SET state = 'running', locked_until = until_ms FROM due
     WHERE j.tenant_id = due.tenant_id AND j.id = due.id
    RETURNING j.*;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
END
$$;

-- The same for webhook deliveries. The state and channel are literals so that the planner
-- uses the partial outbox_webhook_due.
CREATE FUNCTION switchboard_claim_due_webhooks(now_ms bigint, max_rows integer, until_ms bigint)
  RETURNS SETOF outbox
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  RETURN QUERY
    WITH due AS (SELECT d.tenant_id, d.id FROM outbox d
                  WHERE d.state = 'pending' AND d.channel = 'webhook'
                    AND d.next_attempt_at <= now_ms
                    AND (d.locked_until IS NULL OR d.locked_until <= now_ms)
                  ORDER BY d.next_attempt_at, d.id LIMIT max_rows FOR UPDATE SKIP LOCKED)
    UPDATE outbox o SET locked_until = until_ms FROM due
     WHERE o.tenant_id = due.tenant_id AND o.id = due.id
    RETURNING o.*;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
END
$$;

-- Deletes the idempotency records expired before `now_ms`; returns how many.
CREATE FUNCTION switchboard_purge_idempotency(now_ms bigint) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
  purged bigint;
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  DELETE FROM idempotency_keys WHERE expires_at < now_ms;
  GET DIAGNOSTICS purged = ROW_COUNT;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
  RETURN purged;
END
$$;

REVOKE ALL ON FUNCTION switchboard_api_key_by_hash(text), switchboard_list_tenants(),
  switchboard_tenants_with_unsequenced_audit(),
  switchboard_claim_due_jobs(bigint, integer, bigint),
  switchboard_claim_due_webhooks(bigint, integer, bigint),
  switchboard_purge_idempotency(bigint) FROM PUBLIC;

-- What the server's role may do, granted by the migration runner to the role of database_url
-- when it differs from the owner's (storage/postgres/pg_store.cc). No DELETE anywhere (the
-- one purge is a privileged call), no DDL, and on the append-only audit tables no UPDATE but
-- the leaf a sequenced entry receives. A migration that adds a table or a privileged call
-- replaces this function.
CREATE FUNCTION switchboard_grant_app_role(app_role text) RETURNS void
  LANGUAGE plpgsql
AS $$
DECLARE
  t text;
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), app_role);
  EXECUTE format('GRANT SELECT ON schema_migrations TO %I', app_role);
  FOREACH t IN ARRAY ARRAY['tenants', 'server_keys', 'audit_checkpoints', 'policy_packs',
                           'inbound_events', 'verifications', 'plan_history'] LOOP
    EXECUTE format('GRANT SELECT, INSERT ON %I TO %I', t, app_role);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['reason_codes', 'plans', 'accounts', 'services', 'holds',
                           'requests', 'audit_tree_nodes', 'audit_log_state', 'jobs',
                           'idempotency_keys', 'subject_keys', 'tenant_secrets', 'outbox',
                           'webhook_endpoints'] LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO %I', t, app_role);
  END LOOP;
  EXECUTE format('GRANT SELECT, INSERT, UPDATE (revoked_at) ON api_keys TO %I', app_role);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE (leaf_index, leaf_hash) ON audit_entries TO %I',
                 app_role);
  EXECUTE format('GRANT EXECUTE ON FUNCTION switchboard_api_key_by_hash(text), '
                 'switchboard_list_tenants(), switchboard_tenants_with_unsequenced_audit(), '
                 'switchboard_claim_due_jobs(bigint, integer, bigint), '
                 'switchboard_claim_due_webhooks(bigint, integer, bigint), '
                 'switchboard_purge_idempotency(bigint) TO %I', app_role);
END
$$;
REVOKE ALL ON FUNCTION switchboard_grant_app_role(text) FROM PUBLIC;
