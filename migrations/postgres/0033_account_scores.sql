-- The outreach list (app/scoring/, docs/SCORING.md): the score of every suspended or dormant
-- account as the tenant's latest refresh run computed it. `rank_ppb` is the probability in
-- parts per billion, an integer so that both backends order and page by exactly the same key;
-- `features` the values it was computed from (JSON numbers in the model's feature order), so
-- that the probability and its drivers can be shown exactly as they were ranked. A run stamps
-- every row it writes with its start (`scored_at`) and at its end removes the rows it did not
-- reach: accounts that are no longer suspended or dormant.
CREATE TABLE account_scores (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  account_id text COLLATE "C" NOT NULL,
  model_version bigint NOT NULL,
  rank_ppb bigint NOT NULL,
  features text NOT NULL,
  scored_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, account_id)
);

CREATE INDEX account_scores_rank ON account_scores (tenant_id, rank_ppb DESC, account_id);
-- The scores a run did not reach, removed at its end without reading the others. A run stamps
-- every row with the same time, so its entries go to the end of this index.
CREATE INDEX account_scores_run ON account_scores (tenant_id, scored_at);

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE account_scores ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON account_scores
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON account_scores TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- A refresh run writes and rewrites the scores, and removes those it did not reach.
INSERT INTO app_role_grants (kind, object, privileges) VALUES
  ('table', 'account_scores', 'SELECT, INSERT, UPDATE, DELETE');
