-- The chat and IVR assistant's conversations and their turns (app/conversations/,
-- docs/ASSISTANT.md). account_id is set once a one-time code proved who the customer is;
-- claimed_account_id is the account a code was sent for meanwhile. A turn's text is sealed
-- (under the data key of subject_id: the account's, or the conversation's own before the
-- account is known); only the intent matched is in clear. sentiment_milli is left for a
-- scorer of the customer's words, in thousandths.
CREATE TABLE conversations (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  account_id text NOT NULL DEFAULT '',
  claimed_account_id text NOT NULL DEFAULT '',
  code_channel text NOT NULL DEFAULT '',
  channel text NOT NULL,
  locale text NOT NULL,
  state text NOT NULL,
  wanted text NOT NULL DEFAULT '',
  offered_type text NOT NULL DEFAULT '',
  options text NOT NULL DEFAULT '',
  unmatched integer NOT NULL DEFAULT 0,
  code_failures integer NOT NULL DEFAULT 0,
  turns integer NOT NULL DEFAULT 0,
  request_id text NOT NULL DEFAULT '',
  handover_reason text NOT NULL DEFAULT '',
  version bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE conversation_turns (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  conversation_id text COLLATE "C" NOT NULL,
  seq integer NOT NULL,
  who text NOT NULL,
  subject_id text NOT NULL,
  text_sealed bytea NOT NULL,
  intent text NOT NULL DEFAULT '',
  sentiment_milli integer,
  at bigint NOT NULL,
  PRIMARY KEY (tenant_id, conversation_id, seq),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id)
);

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE conversations ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversations
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON conversations TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;
ALTER TABLE conversation_turns ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversation_turns
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON conversation_turns TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- A conversation moves on with every turn; a turn is written once (its sentiment may be added
-- later by a scorer).
INSERT INTO app_role_grants (kind, object, privileges) VALUES
  ('table', 'conversations', 'SELECT, INSERT, UPDATE'),
  ('table', 'conversation_turns', 'SELECT, INSERT, UPDATE (sentiment_milli)');
