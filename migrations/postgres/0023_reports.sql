-- Reports (app/reports/): an account's optional region, set when it is created, for the
-- requests export's filter and the KPI breakdown by region. Requests are joined to their
-- account for it rather than carrying a copy, so the write path stays as it was.
ALTER TABLE accounts ADD COLUMN region text;
CREATE INDEX accounts_region ON accounts (tenant_id, region, id) WHERE region IS NOT NULL;
