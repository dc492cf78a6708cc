-- The active holds of an account, newest first, are read on every account read and several
-- times in every change to an account. With the estimate of one active hold per account (0002)
-- SQLite sorted that one row in a temporary b-tree (a sorter opened and freed at each
-- execution) instead of reading holds_account_active in its own order; from an estimate of two
-- on it reads the index backwards and sorts nothing. EXPLAIN QUERY PLAN of the statement
-- (kListActiveHolds in storage/sqlite/sqlite_tx_accounts.cc) shows which.
UPDATE sqlite_stat1 SET stat = '100000 10000 2 1'
  WHERE tbl = 'holds' AND idx = 'holds_account_active';
ANALYZE sqlite_schema;
