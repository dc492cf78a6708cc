-- Every write of a request evaluates the condition of the partial index requests_open (0006) and
-- the WHEN of the lifecycle triggers (0035). SQLite evaluates `x IN (...)` over more than two
-- constants by building a temporary b-tree of the list, and builds it again at every execution
-- of the statement: under load that was a few per cent of the single writer's time
-- (docs/PERFORMANCE.md, "The writer's page cache, and lists of states in the write path").
-- The same conditions written as comparisons joined by OR cost a few string compares. SQLite only (PostgreSQL evaluates a list
-- of constants as an array). The queries that read requests_open repeat its condition word for
-- word (SB_OPEN_STATES_COND in storage/sqlite/sqlite_tx_requests.cc): that is what lets SQLite use
-- the partial index.
DROP INDEX requests_open;
CREATE INDEX requests_open ON requests (tenant_id, account_id, created_at, id)
  WHERE (state = 'received' OR state = 'verifying' OR state = 'awaiting_customer'
         OR state = 'awaiting_approval' OR state = 'awaiting_payment' OR state = 'approved'
         OR state = 'provisioning');
-- DROP INDEX removed its planner statistics: the production shape of 0006 again.
DELETE FROM sqlite_stat1 WHERE tbl = 'requests' AND idx = 'requests_open';
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('requests', 'requests_open', '50000 20000 2 1 1');

DROP TRIGGER lifecycle_step_on_insert;
DROP TRIGGER lifecycle_step_on_update;

CREATE TRIGGER lifecycle_step_on_insert AFTER INSERT ON requests
WHEN NEW.state = 'completed' AND NEW.completed_at IS NOT NULL
  AND (NEW.type = 'suspension' OR NEW.type = 'reconnection' OR NEW.type = 'reactivation'
       OR (NEW.type = 'status_sync' AND NEW.payload_json LIKE '%"lifecycle":"dormant"%'))
BEGIN
  INSERT OR IGNORE INTO lifecycle_steps VALUES (
    NEW.tenant_id, NEW.account_id, NEW.completed_at, NEW.id, NEW.type, NEW.channel,
    CASE WHEN NEW.type = 'suspension' AND json_valid(NEW.check_inputs)
         THEN COALESCE(json_extract(NEW.check_inputs, '$.account.amount_due_minor'), -1)
         ELSE -1 END);
END;

CREATE TRIGGER lifecycle_step_on_update AFTER UPDATE OF state ON requests
WHEN NEW.state = 'completed' AND OLD.state <> 'completed' AND NEW.completed_at IS NOT NULL
  AND (NEW.type = 'suspension' OR NEW.type = 'reconnection' OR NEW.type = 'reactivation'
       OR (NEW.type = 'status_sync' AND NEW.payload_json LIKE '%"lifecycle":"dormant"%'))
BEGIN
  INSERT OR IGNORE INTO lifecycle_steps VALUES (
    NEW.tenant_id, NEW.account_id, NEW.completed_at, NEW.id, NEW.type, NEW.channel,
    CASE WHEN NEW.type = 'suspension' AND json_valid(NEW.check_inputs)
         THEN COALESCE(json_extract(NEW.check_inputs, '$.account.amount_due_minor'), -1)
         ELSE -1 END);
END;
