-- One-time verification codes (app/verification/verification_codes.h): only a keyed hash of
-- each code is kept, never the code. Checks record every evaluated attempt (passed or not), which
-- the lock after repeated failures and the fraud rules count.
CREATE TABLE verification_codes (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  purpose TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  message_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX verification_codes_account
  ON verification_codes (tenant_id, account_id, channel, created_at);

CREATE TABLE verification_code_checks (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  purpose TEXT NOT NULL,
  code_id TEXT NOT NULL,
  passed INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX verification_code_checks_account
  ON verification_code_checks (tenant_id, account_id, channel, at);
