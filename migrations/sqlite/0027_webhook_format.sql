-- The body a webhook endpoint receives (app/webhooks/tmf641_event.h): 'switchboard', the
-- event envelope of docs/ARCHITECTURE.md, or 'tmf641', TM Forum's service order events for the
-- requests that name a service (docs/TMFORUM.md). Endpoints made before this have the first.
ALTER TABLE webhook_endpoints ADD COLUMN format TEXT NOT NULL DEFAULT 'switchboard';
