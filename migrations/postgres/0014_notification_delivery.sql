-- Delivery of email and SMS notifications (docs/DESIGN-NOTES.md, "One dispatcher for the
-- outbox"): every channel's dispatcher claims its own due messages, the addresses that
-- hard-bounced are kept as keyed hashes only, and an SMS gateway's message id leads a
-- delivery receipt back to its outbox message.
CREATE INDEX outbox_channel_due ON outbox (channel, next_attempt_at, id) WHERE state = 'pending';
-- It serves every channel's claim, the webhooks' too: 0008's outbox_webhook_due has no reader.
DROP INDEX outbox_webhook_due;

-- The tenant's suppression list: an HMAC-SHA256 (hex) of the normalised address under the
-- tenant's suppression key (tenant_secrets), never the address itself.
CREATE TABLE notification_suppressions (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  address_hash text COLLATE "C" NOT NULL,
  message_id text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, address_hash)
);

-- The id a provider gave a message it accepted, by which its delivery receipt names it.
CREATE TABLE outbox_provider_refs (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  provider_ref text COLLATE "C" NOT NULL,
  message_id text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, provider_ref)
);

-- Row-level security on the new tables, exactly as 0013 set it on the others.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['notification_suppressions', 'outbox_provider_refs'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I '
                   'USING (tenant_id = current_setting(''switchboard.tenant_id'', true)) '
                   'WITH CHECK (tenant_id = current_setting(''switchboard.tenant_id'', true))',
                   t);
    EXECUTE format('CREATE POLICY privileged_path ON %I TO %I '
                   'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                   t, current_user);
  END LOOP;
END
$$;

-- The claim of every channel's dispatcher: 0013's switchboard_claim_due_webhooks for the
-- messages of one channel, served by the partial outbox_channel_due. It replaces that one,
-- which is dropped: one privileged claim, not two.
DROP FUNCTION switchboard_claim_due_webhooks(bigint, integer, bigint);
CREATE FUNCTION switchboard_claim_due_outbox(p_channel text, now_ms bigint, max_rows integer,
                                             until_ms bigint)
  RETURNS SETOF outbox
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
  PERFORM set_config('switchboard.cross_tenant', 'on', true);
  RETURN QUERY
    WITH due AS (SELECT d.tenant_id, d.id FROM outbox d
                  WHERE d.state = 'pending' AND d.channel = p_channel
                    AND d.next_attempt_at <= now_ms
                    AND (d.locked_until IS NULL OR d.locked_until <= now_ms)
                  ORDER BY d.next_attempt_at, d.id LIMIT max_rows FOR UPDATE SKIP LOCKED)
    UPDATE outbox o SET locked_until = until_ms FROM due
     WHERE o.tenant_id = due.tenant_id AND o.id = due.id
    RETURNING o.*;
  PERFORM set_config('switchboard.cross_tenant', 'off', true);
END
$$;
REVOKE ALL ON FUNCTION switchboard_claim_due_outbox(text, bigint, integer, bigint) FROM PUBLIC;

-- 0013's grants, plus the two new tables (no DELETE: a suppression stays) and the new claim.
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
                           'webhook_endpoints'] LOOP
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
