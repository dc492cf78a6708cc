-- The completed steps of every account's lifecycle that scoring reads (app/scoring/,
-- docs/SCORING.md): suspensions (with the amount due their checks read), reconnections,
-- reactivations and the status syncs that made an account dormant. Kept by the database from
-- the requests themselves, so that scoring reads a few pages of this narrow table per thousand
-- accounts instead of every step's whole request row: those rows lie scattered over the
-- requests table, and reading them was most of the time of scoring a page
-- (docs/PERFORMANCE.md, "Scoring").
CREATE TABLE lifecycle_steps (
  tenant_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  completed_at INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  type TEXT NOT NULL,
  channel TEXT NOT NULL,
  amount_due_minor INTEGER NOT NULL,  -- a suspension's, as its checks read it; -1 otherwise
  PRIMARY KEY (tenant_id, account_id, completed_at, request_id)
) WITHOUT ROWID;

INSERT INTO lifecycle_steps
SELECT tenant_id, account_id, completed_at, id, type, channel,
       CASE WHEN type = 'suspension' AND json_valid(check_inputs)
            THEN COALESCE(json_extract(check_inputs, '$.account.amount_due_minor'), -1)
            ELSE -1 END
FROM requests
WHERE state = 'completed' AND completed_at IS NOT NULL
  AND (type IN ('suspension', 'reconnection', 'reactivation')
       OR (type = 'status_sync' AND payload_json LIKE '%"lifecycle":"dormant"%'));

-- A request is written completed in one insert (filed and finished in the same call) or
-- completes in a later update; a completed request never changes its state again.
CREATE TRIGGER lifecycle_step_on_insert AFTER INSERT ON requests
WHEN NEW.state = 'completed' AND NEW.completed_at IS NOT NULL
  AND (NEW.type IN ('suspension', 'reconnection', 'reactivation')
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
  AND (NEW.type IN ('suspension', 'reconnection', 'reactivation')
       OR (NEW.type = 'status_sync' AND NEW.payload_json LIKE '%"lifecycle":"dormant"%'))
BEGIN
  INSERT OR IGNORE INTO lifecycle_steps VALUES (
    NEW.tenant_id, NEW.account_id, NEW.completed_at, NEW.id, NEW.type, NEW.channel,
    CASE WHEN NEW.type = 'suspension' AND json_valid(NEW.check_inputs)
         THEN COALESCE(json_extract(NEW.check_inputs, '$.account.amount_due_minor'), -1)
         ELSE -1 END);
END;
