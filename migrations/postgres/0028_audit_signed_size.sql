-- The size of each tenant's log its latest checkpoint signs, kept next to the size, so that
-- the audit sequencer finds the logs to sign by a partial index instead of reading every
-- tenant's checkpoints on each pass (its cost no longer grows with the number of tenants).
ALTER TABLE audit_log_state ADD COLUMN signed_size bigint NOT NULL DEFAULT 0;
-- Every tenant's row: the migration runs with cross-tenant reach (storage/postgres/pg_migrate.cc).
UPDATE audit_log_state s SET signed_size = COALESCE(
  (SELECT MAX(c.tree_size) FROM audit_checkpoints c WHERE c.tenant_id = s.tenant_id), 0);
CREATE INDEX audit_log_state_unsigned ON audit_log_state (tenant_id) WHERE size > signed_size;

CREATE OR REPLACE FUNCTION switchboard_tenants_with_unsequenced_audit() RETURNS SETOF text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  RETURN QUERY
    SELECT e.tenant_id::text FROM audit_entries e WHERE e.leaf_index IS NULL
    UNION SELECT s.tenant_id::text FROM audit_log_state s WHERE s.size > s.signed_size
    ORDER BY 1;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
END
$$;
