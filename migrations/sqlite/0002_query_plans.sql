-- Status derivation reads only active holds; an account's lifted holds grow without bound.
CREATE INDEX holds_account_active ON holds (tenant_id, account_id, id) WHERE state = 'active';

-- Planner statistics for the shape the data takes in production (many rows per tenant, few
-- per account), written by hand as SQLite documents, so that from the first row on lookups
-- "by account, newest first" use the account indexes instead of walking the whole tenant
-- in primary-key order. ANALYZE (or PRAGMA optimize) later replaces them with measured ones.
-- Each stat: rows in the index, then average rows per distinct value of its leading columns.
ANALYZE sqlite_schema;
DELETE FROM sqlite_stat1;
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('accounts', 'sqlite_autoindex_accounts_1', '1000000 100000 1'),
  ('accounts', 'sqlite_autoindex_accounts_2', '1000000 100000 1'),
  ('accounts', 'accounts_status', '1000000 100000 25000 1'),
  ('services', 'sqlite_autoindex_services_1', '2000000 200000 1'),
  ('services', 'services_account', '2000000 200000 2 1'),
  ('holds', 'sqlite_autoindex_holds_1', '2000000 200000 1'),
  ('holds', 'holds_account', '2000000 200000 4 1'),
  ('holds', 'holds_account_active', '100000 10000 1 1'),
  ('requests', 'sqlite_autoindex_requests_1', '5000000 500000 1'),
  ('requests', 'requests_account', '5000000 500000 10 1'),
  ('requests', 'requests_state', '5000000 500000 50000 1'),
  ('requests', 'requests_type', '5000000 500000 40000 1'),
  ('audit_entries', 'sqlite_autoindex_audit_entries_1', '20000000 2000000 1'),
  ('audit_entries', 'audit_entries_account', '20000000 2000000 40 1'),
  ('audit_entries', 'audit_entries_category', '20000000 2000000 300000 1'),
  ('audit_entries', 'audit_entries_request', '20000000 2000000 4 1'),
  ('audit_entries', 'audit_entries_leaf', '20000000 2000000 1'),
  ('audit_entries', 'audit_entries_unsequenced', '1000 100 1 1'),
  ('jobs', 'sqlite_autoindex_jobs_1', '1000000 100000 1'),
  ('jobs', 'jobs_due', '1000000 250000 2'),
  ('jobs', 'jobs_subject', '1000000 100000 2 1');
