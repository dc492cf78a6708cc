-- Reports (app/reports/): an account's optional region, set when it is created, for the
-- requests export's filter and the KPI breakdown by region. Requests are joined to their
-- account for it rather than carrying a copy, so the write path stays as it was.
ALTER TABLE accounts ADD COLUMN region text;
CREATE INDEX accounts_region ON accounts (tenant_id, region, id) WHERE region IS NOT NULL;

-- Customer satisfaction (app/reports/csat.*): one row per completed request whose completion
-- email carried a link. The link's token is stored only as its SHA-256; the comment is sealed
-- under the account's data key; a row is answered once (answered_at).
CREATE TABLE csat_answers (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  request_id text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  token_hash text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  score integer,
  comment_sealed bytea,
  answered_at bigint,
  PRIMARY KEY (tenant_id, request_id)
);
CREATE UNIQUE INDEX csat_answers_token ON csat_answers (tenant_id, token_hash);

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE csat_answers ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON csat_answers
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON csat_answers TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- An answer is written once into its row: the server may read, insert and update it.
INSERT INTO app_role_grants (kind, object, privileges) VALUES
  ('table', 'csat_answers', 'SELECT, INSERT, UPDATE (score, comment_sealed, answered_at)');
