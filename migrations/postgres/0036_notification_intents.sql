-- Notifications waiting to be composed (app/notifications/notification_queue.h,
-- docs/NOTIFICATIONS.md "When a message is composed"). A change that tells a customer writes
-- one row here in its own transaction; the composer turns it into the sealed email and SMS
-- messages, their audit entries and the customer.notification event, and deletes it, in one
-- later transaction. `context` is who made the change (actor, channel, correlation id) as
-- JSON; `data` the event's data; `request_state` the state the request was in when the event
-- was written. No personal data: the composer reads the customer's from the account.
CREATE TABLE notification_intents (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  event_type text NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  request_id text COLLATE "C",
  request_state text,
  data text NOT NULL,
  context text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE notification_intents ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_intents
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON notification_intents TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- The tenants with notifications waiting, for the composer's pass over every tenant. Across
-- tenants, so through a function that sets the privileged path for its own query only.
CREATE FUNCTION switchboard_tenants_with_notification_intents() RETURNS SETOF text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  RETURN QUERY SELECT DISTINCT i.tenant_id::text FROM notification_intents i ORDER BY 1;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
END
$$;
REVOKE ALL ON FUNCTION switchboard_tenants_with_notification_intents() FROM PUBLIC;

-- How many wait, every tenant's (the switchboard_notification_intents_waiting gauge).
CREATE FUNCTION switchboard_count_notification_intents() RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
  waiting bigint;
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  SELECT count(*) INTO waiting FROM notification_intents;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
  RETURN waiting;
END
$$;
REVOKE ALL ON FUNCTION switchboard_count_notification_intents() FROM PUBLIC;

-- UPDATE for the composer's SELECT ... FOR UPDATE, which locks the intents it composes.
INSERT INTO app_role_grants (kind, object, privileges) VALUES
  ('table', 'notification_intents', 'SELECT, INSERT, UPDATE, DELETE'),
  ('function', 'switchboard_tenants_with_notification_intents()', 'EXECUTE'),
  ('function', 'switchboard_count_notification_intents()', 'EXECUTE');
