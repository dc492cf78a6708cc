-- Every request an inbound event created, so that a redelivery answers exactly the first
-- receipt (a payment can lift several holds, one reconnection request each). A JSON array of
-- ids in creation order; request_id keeps the first one for a server of the previous version
-- during a rolling upgrade.
ALTER TABLE inbound_events ADD COLUMN request_ids_json text NOT NULL DEFAULT '[]';
UPDATE inbound_events SET request_ids_json = '["' || request_id || '"]' WHERE request_id <> '';
