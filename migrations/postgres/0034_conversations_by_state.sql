-- The conversations handed over to a person (or completed), newest first, without reading the
-- others (GET /v1/conversations?state=..., app/conversations/).
CREATE INDEX conversations_state ON conversations (tenant_id, state, id);
