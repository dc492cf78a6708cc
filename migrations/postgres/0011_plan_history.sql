-- Each service's plan over time: one row per plan a service was put on (added, changed,
-- restored by a reactivation), with the request that did it. Append only. Keyed by account
-- because the one reader, a reactivation, wants all of an account's services at once.
CREATE TABLE plan_history (
  tenant_id text COLLATE "C" NOT NULL,
  account_id text COLLATE "C" NOT NULL,
  at bigint NOT NULL,
  id text COLLATE "C" NOT NULL,
  service_id text COLLATE "C" NOT NULL,
  plan_code text NOT NULL,
  request_id text NOT NULL,
  PRIMARY KEY (tenant_id, account_id, at, id),
  FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id)
);
-- Services that existed before: their current plan from their creation, by no known request.
INSERT INTO plan_history (tenant_id, account_id, at, id, service_id, plan_code, request_id)
  SELECT tenant_id, account_id, created_at, 'plh_' || id, id, plan_code, '' FROM services;
