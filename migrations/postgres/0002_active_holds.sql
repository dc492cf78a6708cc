-- Status derivation reads only active holds; an account's lifted holds grow without bound.
CREATE INDEX holds_account_active ON holds (tenant_id, account_id, id) WHERE state = 'active';
