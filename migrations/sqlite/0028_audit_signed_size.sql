-- The size of each tenant's log its latest checkpoint signs, kept next to the size, so that
-- the audit sequencer finds the logs to sign by a partial index instead of reading every
-- tenant's checkpoints on each pass (its cost no longer grows with the number of tenants).
ALTER TABLE audit_log_state ADD COLUMN signed_size INTEGER NOT NULL DEFAULT 0;
UPDATE audit_log_state SET signed_size = COALESCE(
  (SELECT MAX(c.tree_size) FROM audit_checkpoints c WHERE c.tenant_id = audit_log_state.tenant_id),
  0);
CREATE INDEX audit_log_state_unsigned ON audit_log_state (tenant_id) WHERE size > signed_size;
