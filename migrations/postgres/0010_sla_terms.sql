-- The SLA rule a request's clock started under (domain::SlaTerms), so that resuming after a
-- pause measures it the same way whatever the priority (an escalation raises it) or the pack
-- in force have become since. The calendar is named in the pack of the request's own
-- policy_version. sla_left_ms: the SLA time left when the clock paused, shown while it is
-- paused. Requests older than this migration have NULLs and fall back to the pack of their
-- policy_version and their priority (app/requests/request_sla.cc).
ALTER TABLE requests ADD COLUMN sla_clock text;
ALTER TABLE requests ADD COLUMN sla_target_minutes bigint;
ALTER TABLE requests ADD COLUMN sla_calendar text;
ALTER TABLE requests ADD COLUMN sla_left_ms bigint;
