-- Policy packs: every version a tenant has stored, kept verbatim. The pack in force at a time
-- is the one with the latest effective_from not after it (ties: the highest version).
CREATE TABLE policy_packs (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  version TEXT NOT NULL,
  effective_from INTEGER NOT NULL,
  yaml_text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, version)
) WITHOUT ROWID;

CREATE INDEX policy_packs_effective ON policy_packs (tenant_id, effective_from, version);
