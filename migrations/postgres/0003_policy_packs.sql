-- Policy packs: every version a tenant has stored, kept verbatim. The pack in force at a time
-- is the one with the latest effective_from not after it (ties: the highest version).
CREATE TABLE policy_packs (
  tenant_id text COLLATE "C" NOT NULL REFERENCES tenants (id),
  version text COLLATE "C" NOT NULL,
  effective_from bigint NOT NULL,
  yaml_text text NOT NULL,
  created_at bigint NOT NULL,
  created_by text NOT NULL,
  PRIMARY KEY (tenant_id, version)
);

CREATE INDEX policy_packs_effective ON policy_packs (tenant_id, effective_from, version);
