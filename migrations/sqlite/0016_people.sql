-- Staff users, sign-in sessions and sign-in throttling (docs/SECURITY.md, "People").
-- A user's password is an argon2id hash and its TOTP secret is wrapped under the master key;
-- a session or invitation is stored as the SHA-256 of its secret, never the secret.
CREATE TABLE staff_users (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  status TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  totp_secret BLOB NOT NULL,
  totp_confirmed INTEGER NOT NULL,
  totp_last_step INTEGER NOT NULL,
  invitation_hash TEXT,
  invitation_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email)
) WITHOUT ROWID;
CREATE UNIQUE INDEX staff_users_invitation ON staff_users (tenant_id, invitation_hash)
  WHERE invitation_hash IS NOT NULL;

-- subject_type user (subject_id a staff user) or customer (subject_id an account).
CREATE TABLE sessions (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id_hash TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  role TEXT,
  csrf_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  PRIMARY KEY (tenant_id, id_hash)
) WITHOUT ROWID;
CREATE INDEX sessions_subject ON sessions (tenant_id, subject_type, subject_id);

CREATE TABLE sign_in_throttle (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  key TEXT NOT NULL,
  failures INTEGER NOT NULL,
  locked_until INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;
