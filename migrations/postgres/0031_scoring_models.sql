-- Reconnection and churn scoring (app/scoring/, docs/SCORING.md): each model trained for a
-- tenant on its own history, kept under a version counted 1, 2, 3... per tenant, with what it
-- was fitted on and how well it ranked the held-out accounts. The numbers are stored as JSON
-- text (arrays in feature order, and single numbers) so that both backends keep them exactly.
CREATE TABLE scoring_models (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  version bigint NOT NULL,
  trained_at bigint NOT NULL,
  feature_names text NOT NULL,
  means text NOT NULL,
  scales text NOT NULL,
  coefficients text NOT NULL,
  intercept text NOT NULL,
  training_size bigint NOT NULL,
  holdout_size bigint NOT NULL,
  holdout_auc text NOT NULL,
  positive_rate text NOT NULL,
  PRIMARY KEY (tenant_id, version)
);

-- The failed payments scoring counts per account, without reading the rest of the audit log.
CREATE INDEX audit_entries_payment_failed ON audit_entries (tenant_id, account_id, created_at)
  WHERE action = 'payment.failed';

-- Row-level security, exactly as 0013 set it on the other tenant tables.
ALTER TABLE scoring_models ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scoring_models
  USING (tenant_id = current_setting('switchboard.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('switchboard.tenant_id', true));
DO $$
BEGIN
  EXECUTE format('CREATE POLICY privileged_path ON scoring_models TO %I '
                 'USING (current_setting(''switchboard.cross_tenant'', true) = ''on'')',
                 current_user);
END
$$;

-- A model is written once and never changed.
INSERT INTO app_role_grants (kind, object, privileges) VALUES
  ('table', 'scoring_models', 'SELECT, INSERT');
