-- The outreach list (app/scoring/, docs/SCORING.md): the score of every suspended or dormant
-- account as the tenant's latest refresh run computed it. `rank_ppb` is the probability in
-- parts per billion, an integer so that both backends order and page by exactly the same key;
-- `features` the values it was computed from (JSON numbers in the model's feature order), so
-- that the probability and its drivers can be shown exactly as they were ranked. A run stamps
-- every row it writes with its start (`scored_at`) and at its end removes the rows it did not
-- reach: accounts that are no longer suspended or dormant.
CREATE TABLE account_scores (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  account_id TEXT NOT NULL,
  model_version INTEGER NOT NULL,
  rank_ppb INTEGER NOT NULL,
  features TEXT NOT NULL,
  scored_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, account_id)
) WITHOUT ROWID;

CREATE INDEX account_scores_rank ON account_scores (tenant_id, rank_ppb DESC, account_id);
-- The scores a run did not reach, removed at its end without reading the others. A run stamps
-- every row with the same time, so its entries go to the end of this index.
CREATE INDEX account_scores_run ON account_scores (tenant_id, scored_at);
