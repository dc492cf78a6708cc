-- Reports (app/reports/): an account's optional region, set when it is created, for the
-- requests export's filter and the KPI breakdown by region. Requests are joined to their
-- account for it rather than carrying a copy, so the write path stays as it was.
ALTER TABLE accounts ADD COLUMN region TEXT;
CREATE INDEX accounts_region ON accounts (tenant_id, region, id) WHERE region IS NOT NULL;

-- Customer satisfaction (app/reports/csat.*): one row per completed request whose completion
-- email carried a link. The link's token is stored only as its SHA-256; the comment is sealed
-- under the account's data key; a row is answered once (answered_at).
CREATE TABLE csat_answers (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  request_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  score INTEGER,
  comment_sealed BLOB,
  answered_at INTEGER,
  PRIMARY KEY (tenant_id, request_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX csat_answers_token ON csat_answers (tenant_id, token_hash);
