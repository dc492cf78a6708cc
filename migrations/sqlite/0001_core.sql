-- Core schema. tenant_id leads every primary key and index (docs/ARCHITECTURE.md, "Domain");
-- the only exceptions are lookups the port defines across tenants: API keys by secret hash, due jobs,
-- expired idempotency records and server keys.

CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
);

CREATE TABLE tenants (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_keys (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  prefix TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX api_keys_secret_hash ON api_keys (secret_hash);

CREATE TABLE reason_codes (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (tenant_id, code)
) WITHOUT ROWID;

CREATE TABLE plans (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  price_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  active INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, code)
) WITHOUT ROWID;

CREATE TABLE accounts (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  external_ref TEXT NOT NULL,
  profile_sealed BLOB NOT NULL,
  lifecycle TEXT NOT NULL,
  status TEXT NOT NULL,
  amount_due_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  last_payment_at INTEGER,
  kyc_level INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, external_ref)
) WITHOUT ROWID;
CREATE INDEX accounts_status ON accounts (tenant_id, status, id);

CREATE TABLE services (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  plan_code TEXT NOT NULL,
  status TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  terminated_at INTEGER,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX services_account ON services (tenant_id, account_id, id);

CREATE TABLE holds (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  service_id TEXT,
  type TEXT NOT NULL,
  blocks_service INTEGER NOT NULL,
  blocks_billing INTEGER NOT NULL,
  blocks_changes INTEGER NOT NULL,
  source TEXT NOT NULL,
  owner TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  comment TEXT NOT NULL,
  state TEXT NOT NULL,
  placed_at INTEGER NOT NULL,
  expires_at INTEGER,
  released_at INTEGER,
  released_reason_code TEXT NOT NULL,
  placed_by_request_id TEXT NOT NULL,
  released_by_request_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX holds_account ON holds (tenant_id, account_id, id);

CREATE TABLE requests (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  service_id TEXT,
  type TEXT NOT NULL,
  origin TEXT NOT NULL,
  channel TEXT NOT NULL,
  state TEXT NOT NULL,
  priority TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT,
  reason_code TEXT NOT NULL,
  comment TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  checks_json TEXT NOT NULL,
  result_json TEXT NOT NULL,
  history_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  completed_at INTEGER,
  due_at INTEGER,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX requests_account ON requests (tenant_id, account_id, id);
CREATE INDEX requests_state ON requests (tenant_id, state, id);
CREATE INDEX requests_type ON requests (tenant_id, type, id);

CREATE TABLE audit_entries (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  category TEXT NOT NULL,
  action TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_role TEXT,
  channel TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  comment TEXT NOT NULL,
  request_id TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  leaf_index INTEGER,
  leaf_hash BLOB NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX audit_entries_leaf ON audit_entries (tenant_id, leaf_index)
  WHERE leaf_index IS NOT NULL;
CREATE INDEX audit_entries_unsequenced ON audit_entries (tenant_id, created_at, id)
  WHERE leaf_index IS NULL;
CREATE INDEX audit_entries_account ON audit_entries (tenant_id, account_id, id);
CREATE INDEX audit_entries_category ON audit_entries (tenant_id, category, id);
CREATE INDEX audit_entries_request ON audit_entries (tenant_id, request_id, id);

CREATE TABLE audit_tree_nodes (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (tenant_id, level, idx)
) WITHOUT ROWID;

CREATE TABLE audit_log_state (
  tenant_id TEXT NOT NULL PRIMARY KEY REFERENCES tenants (id),
  size INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_checkpoints (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  tree_size INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  root_hash BLOB NOT NULL,
  key_id TEXT NOT NULL,
  signature BLOB NOT NULL,
  PRIMARY KEY (tenant_id, tree_size, created_at)
) WITHOUT ROWID;

CREATE TABLE jobs (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  state TEXT NOT NULL,
  run_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  locked_until INTEGER,
  last_error TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_subject ON jobs (tenant_id, subject_id, id);

CREATE TABLE idempotency_keys (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status_code INTEGER NOT NULL,
  response_headers_json TEXT NOT NULL,
  response_body BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

CREATE TABLE subject_keys (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  subject_id TEXT NOT NULL,
  wrapped_key BLOB NOT NULL,
  destroyed_at INTEGER,
  PRIMARY KEY (tenant_id, subject_id)
) WITHOUT ROWID;

CREATE TABLE server_keys (
  id TEXT NOT NULL PRIMARY KEY,
  purpose TEXT NOT NULL,
  public_key BLOB NOT NULL,
  secret_sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX server_keys_purpose ON server_keys (purpose, created_at);
