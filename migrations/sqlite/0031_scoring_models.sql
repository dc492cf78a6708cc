-- Reconnection and churn scoring (app/scoring/, docs/SCORING.md): each model trained for a
-- tenant on its own history, kept under a version counted 1, 2, 3... per tenant, with what it
-- was fitted on and how well it ranked the held-out accounts. The numbers are stored as JSON
-- text (arrays in feature order, and single numbers) so that both backends keep them exactly.
CREATE TABLE scoring_models (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  version INTEGER NOT NULL,
  trained_at INTEGER NOT NULL,
  feature_names TEXT NOT NULL,
  means TEXT NOT NULL,
  scales TEXT NOT NULL,
  coefficients TEXT NOT NULL,
  intercept TEXT NOT NULL,
  training_size INTEGER NOT NULL,
  holdout_size INTEGER NOT NULL,
  holdout_auc TEXT NOT NULL,
  positive_rate TEXT NOT NULL,
  PRIMARY KEY (tenant_id, version)
) WITHOUT ROWID;

-- The failed payments scoring counts per account, without reading the rest of the audit log.
CREATE INDEX audit_entries_payment_failed ON audit_entries (tenant_id, account_id, created_at)
  WHERE action = 'payment.failed';
