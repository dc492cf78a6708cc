-- Teams: a staff user may work in one team (people/staff_users.*), a tenant's own label. The
-- work queue filters by it (the requests assigned to its members) and KPIs break down by it.
ALTER TABLE staff_users ADD COLUMN team TEXT NOT NULL DEFAULT '';
CREATE INDEX staff_users_team ON staff_users (tenant_id, team, id) WHERE team <> '';
