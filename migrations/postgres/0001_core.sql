-- Core schema, the same tables and columns as migrations/sqlite. tenant_id leads every primary
-- key and index (docs/ARCHITECTURE.md, "Domain"); the only exceptions are lookups the port
-- defines across tenants: API keys by secret hash, due jobs, expired idempotency records and server keys.
-- Ids compare bytewise (COLLATE "C") so that "newest first" means the same as on SQLite.

CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at bigint NOT NULL
);

CREATE TABLE tenants (
  id text COLLATE "C" NOT NULL PRIMARY KEY,
  name text NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE api_keys (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  name text NOT NULL,
  role text NOT NULL,
  secret_hash text COLLATE "C" NOT NULL,
  prefix text NOT NULL,
  created_at bigint NOT NULL,
  revoked_at bigint,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX api_keys_secret_hash ON api_keys (secret_hash);

CREATE TABLE reason_codes (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  code text COLLATE "C" NOT NULL,
  description text NOT NULL,
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE plans (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  code text COLLATE "C" NOT NULL,
  name text NOT NULL,
  price_minor bigint NOT NULL,
  currency text NOT NULL,
  active boolean NOT NULL,
  PRIMARY KEY (tenant_id, code)
);

CREATE TABLE accounts (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  external_ref text COLLATE "C" NOT NULL,
  profile_sealed bytea NOT NULL,
  lifecycle text NOT NULL,
  status text NOT NULL,
  amount_due_minor bigint NOT NULL,
  currency text NOT NULL,
  last_payment_at bigint,
  kyc_level integer NOT NULL,
  version bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, external_ref)
);
CREATE INDEX accounts_status ON accounts (tenant_id, status, id);

CREATE TABLE services (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  plan_code text NOT NULL,
  status text NOT NULL,
  version bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  terminated_at bigint,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
);
CREATE INDEX services_account ON services (tenant_id, account_id, id);

CREATE TABLE holds (
  tenant_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  service_id text COLLATE "C",
  type text NOT NULL,
  blocks_service boolean NOT NULL,
  blocks_billing boolean NOT NULL,
  blocks_changes boolean NOT NULL,
  source text NOT NULL,
  owner text NOT NULL,
  reason_code text NOT NULL,
  comment text NOT NULL,
  state text NOT NULL,
  placed_at bigint NOT NULL,
  expires_at bigint,
  released_at bigint,
  released_reason_code text NOT NULL,
  placed_by_request_id text NOT NULL,
  released_by_request_id text NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id)
);
CREATE INDEX holds_account ON holds (tenant_id, account_id, id);

CREATE TABLE requests (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  service_id text COLLATE "C",
  type text NOT NULL,
  origin text NOT NULL,
  channel text NOT NULL,
  state text NOT NULL,
  priority text NOT NULL,
  actor_type text NOT NULL,
  actor_id text NOT NULL,
  actor_role text,
  reason_code text NOT NULL,
  comment text NOT NULL,
  correlation_id text NOT NULL,
  idempotency_key text NOT NULL,
  policy_version text NOT NULL,
  payload_json text NOT NULL,
  checks_json text NOT NULL,
  result_json text NOT NULL,
  history_json text NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  completed_at bigint,
  due_at bigint,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX requests_account ON requests (tenant_id, account_id, id);
CREATE INDEX requests_state ON requests (tenant_id, state, id);
CREATE INDEX requests_type ON requests (tenant_id, type, id);

CREATE TABLE audit_entries (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  category text NOT NULL,
  action text NOT NULL,
  actor_type text NOT NULL,
  actor_id text NOT NULL,
  actor_role text,
  channel text NOT NULL,
  reason_code text NOT NULL,
  comment text NOT NULL,
  request_id text COLLATE "C" NOT NULL,
  correlation_id text NOT NULL,
  subject_type text NOT NULL,
  subject_id text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  before_json text NOT NULL,
  after_json text NOT NULL,
  created_at bigint NOT NULL,
  leaf_index bigint,
  leaf_hash bytea NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX audit_entries_leaf ON audit_entries (tenant_id, leaf_index)
  WHERE leaf_index IS NOT NULL;
CREATE INDEX audit_entries_unsequenced ON audit_entries (tenant_id, created_at, id)
  WHERE leaf_index IS NULL;
CREATE INDEX audit_entries_account ON audit_entries (tenant_id, account_id, id);
CREATE INDEX audit_entries_category ON audit_entries (tenant_id, category, id);
CREATE INDEX audit_entries_request ON audit_entries (tenant_id, request_id, id);

CREATE TABLE audit_tree_nodes (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  level integer NOT NULL,
  idx bigint NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (tenant_id, level, idx)
);

CREATE TABLE audit_log_state (
  tenant_id text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES tenants (id),
  size bigint NOT NULL
);

CREATE TABLE audit_checkpoints (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  tree_size bigint NOT NULL,
  created_at bigint NOT NULL,
  root_hash bytea NOT NULL,
  key_id text NOT NULL,
  signature bytea NOT NULL,
  PRIMARY KEY (tenant_id, tree_size, created_at)
);

CREATE TABLE jobs (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  id text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  subject_id text COLLATE "C" NOT NULL,
  payload_json text NOT NULL,
  state text NOT NULL,
  run_at bigint NOT NULL,
  attempts integer NOT NULL,
  locked_until bigint,
  last_error text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE state IN ('pending', 'running');
CREATE INDEX jobs_subject ON jobs (tenant_id, subject_id, id);

CREATE TABLE idempotency_keys (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  key text COLLATE "C" NOT NULL,
  fingerprint text NOT NULL,
  status_code integer NOT NULL,
  response_headers_json text NOT NULL,
  response_body bytea NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

CREATE TABLE subject_keys (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  subject_id text COLLATE "C" NOT NULL,
  wrapped_key bytea NOT NULL,
  destroyed_at bigint,
  PRIMARY KEY (tenant_id, subject_id)
);

CREATE TABLE server_keys (
  id text COLLATE "C" NOT NULL PRIMARY KEY,
  purpose text COLLATE "C" NOT NULL,
  public_key bytea NOT NULL,
  secret_sealed bytea NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX server_keys_purpose ON server_keys (purpose, created_at);
