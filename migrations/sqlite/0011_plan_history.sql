-- Each service's plan over time: one row per plan a service was put on (added, changed,
-- restored by a reactivation), with the request that did it. Append only. Keyed by account
-- because the one reader, a reactivation, wants all of an account's services at once.
CREATE TABLE plan_history (
  tenant_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  plan_code TEXT NOT NULL,
  request_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, account_id, at, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id)
) WITHOUT ROWID;
-- Services that existed before: their current plan from their creation, by no known request.
INSERT INTO plan_history (tenant_id, account_id, at, id, service_id, plan_code, request_id)
  SELECT tenant_id, account_id, created_at, 'plh_' || id, id, plan_code, '' FROM services;
