-- A tenant's own notification templates (docs/NOTIFICATIONS.md, "Templates"): one row per
-- notification, channel and locale. Storing again replaces the body and counts the version up;
-- deleting keeps the row (deleted_at set) so that the next store continues its versions and a
-- "tenant:...@vN" template id recorded by a notification names one body for good.
CREATE TABLE notification_templates (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  notification TEXT NOT NULL,
  channel TEXT NOT NULL,
  locale TEXT NOT NULL,
  body TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  PRIMARY KEY (tenant_id, notification, channel, locale)
) WITHOUT ROWID;

-- Planner statistics in the production shape of 0002: a tenant keeps at most 500 templates.
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
  ('notification_templates', 'sqlite_autoindex_notification_templates_1', '20000 100 10 3 1');
