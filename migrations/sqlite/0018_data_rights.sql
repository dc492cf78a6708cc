-- Subject access exports (app/rights/data_export.h): one per completed data_access
-- request, the whole document sealed under the account's data key. Erasing the account
-- destroys the key, which leaves the row unreadable; nothing deletes it.
CREATE TABLE data_exports (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  request_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, request_id)
) WITHOUT ROWID;

-- The retention scan's list of closed accounts uses 0005's accounts_inactive index
-- (tenant_id, lifecycle, updated_at).

-- Planner statistics in the production shape of 0002: exports are looked up by request.
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('data_exports', 'sqlite_autoindex_data_exports_1', '1000 1000 1');
