-- Fraud signals (app/fraud/fraud_rules.h): every rule of the pack's `fraud:` section that
-- fired, and every fraud.alert a client system sent, with the figures that matched.
CREATE TABLE fraud_signals (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  rule TEXT NOT NULL,
  account_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  hold_request_id TEXT NOT NULL,
  figures_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX fraud_signals_account ON fraud_signals (tenant_id, account_id, id);
