-- The completed steps of every account's lifecycle that scoring reads (app/scoring/,
-- docs/SCORING.md): suspensions (with the amount due their checks read), reconnections,
-- reactivations and the status syncs that made an account dormant. Kept by the database from
-- the requests themselves, so that scoring reads a few pages of this narrow table per thousand
-- accounts instead of every step's whole request row, scattered over the requests table.
CREATE TABLE lifecycle_steps (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  account_id text COLLATE "C" NOT NULL,
  completed_at bigint NOT NULL,
  request_id text COLLATE "C" NOT NULL,
  type text NOT NULL,
  channel text NOT NULL,
  amount_due_minor bigint NOT NULL,  -- a suspension's, as its checks read it; -1 otherwise
  PRIMARY KEY (tenant_id, account_id, completed_at, request_id)
);

-- A suspension's amount due as its checks read it (app/requests/check_inputs.h), -1 when the
-- request kept none or it is not a whole number.
CREATE FUNCTION switchboard_step_amount_due(p_type text, p_check_inputs text) RETURNS bigint
  LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  amount jsonb;
BEGIN
  IF p_type <> 'suspension' OR p_check_inputs NOT LIKE '{%' THEN
    RETURN -1;
  END IF;
  amount := p_check_inputs::jsonb #> '{account,amount_due_minor}';
  IF amount IS NULL OR jsonb_typeof(amount) <> 'number' OR amount::text !~ '^-?[0-9]{1,18}$' THEN
    RETURN -1;
  END IF;
  RETURN amount::text::bigint;
EXCEPTION WHEN others THEN
  RETURN -1;
END
$$;

INSERT INTO lifecycle_steps
SELECT tenant_id, account_id, completed_at, id, type, channel,
       switchboard_step_amount_due(type, check_inputs)
FROM requests
WHERE state = 'completed' AND completed_at IS NOT NULL
  AND (type IN ('suspension', 'reconnection', 'reactivation')
       OR (type = 'status_sync' AND payload_json LIKE '%"lifecycle":"dormant"%'));

CREATE FUNCTION switchboard_record_lifecycle_step() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lifecycle_steps VALUES (
    NEW.tenant_id, NEW.account_id, NEW.completed_at, NEW.id, NEW.type, NEW.channel,
    switchboard_step_amount_due(NEW.type, NEW.check_inputs))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

-- A request is written completed in one insert (filed and finished in the same call) or
-- completes in a later update; a completed request never changes its state again.
CREATE TRIGGER lifecycle_step_on_insert AFTER INSERT ON requests FOR EACH ROW
WHEN (NEW.state = 'completed' AND NEW.completed_at IS NOT NULL
      AND (NEW.type IN ('suspension', 'reconnection', 'reactivation')
           OR (NEW.type = 'status_sync' AND NEW.payload_json LIKE '%"lifecycle":"dormant"%')))
EXECUTE FUNCTION switchboard_record_lifecycle_step();

CREATE TRIGGER lifecycle_step_on_update AFTER UPDATE OF state ON requests FOR EACH ROW
WHEN (NEW.state = 'completed' AND OLD.state <> 'completed' AND NEW.completed_at IS NOT NULL
      AND (NEW.type IN ('suspension', 'reconnection', 'reactivation')
           OR (NEW.type = 'status_sync' AND NEW.payload_json LIKE '%"lifecycle":"dormant"%')))
EXECUTE FUNCTION switchboard_record_lifecycle_step();

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE lifecycle_steps ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lifecycle_steps
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON lifecycle_steps TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- Written by the trigger, in the transaction of the request's write, never changed.
INSERT INTO app_role_grants (kind, object, privileges) VALUES
  ('table', 'lifecycle_steps', 'SELECT, INSERT'),
  ('function', 'switchboard_step_amount_due(text, text)', 'EXECUTE');
