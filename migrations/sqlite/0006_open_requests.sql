-- The requests of an account that can still move (not completed, rejected, cancelled or
-- failed). Every hold lifted, payment received or evidence recorded re-runs the checks of
-- these, so the lookup must not walk the account's whole request history. The state list
-- is the same text as the queries' `state IN (...)`, which is what lets SQLite use the
-- partial index.
CREATE INDEX requests_open ON requests (tenant_id, account_id, created_at, id)
  WHERE state IN ('received', 'verifying', 'awaiting_customer', 'awaiting_approval',
                  'awaiting_payment', 'approved', 'provisioning');
-- Few open requests per account, in the production shape of 0002.
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('requests', 'requests_open', '50000 20000 2 1 1');
