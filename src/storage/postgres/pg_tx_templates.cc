// Tenant notification templates: one row per notification, channel and locale, kept when
// deleted (deleted_at) so that its versions go on.

#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::NotificationTemplate;

#define SB_TEMPLATE_COLS                                                              \
  "tenant_id, notification, channel, locale, body, version, created_at, updated_at, " \
  "deleted_at"
const Stmt kPutTemplate{
    "notification_template_put",
    "INSERT INTO notification_templates (" SB_TEMPLATE_COLS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
    "ON CONFLICT (tenant_id, notification, channel, locale) DO UPDATE SET body = excluded.body, "
    "version = excluded.version, created_at = excluded.created_at, "
    "updated_at = excluded.updated_at, deleted_at = excluded.deleted_at"};
const Stmt kGetTemplate{"notification_template_get",
                        "SELECT " SB_TEMPLATE_COLS
                        " FROM notification_templates WHERE tenant_id = $1 AND notification = $2 "
                        "AND channel = $3 AND locale = $4"};
// The key columns are COLLATE "C": the order and the start compare bytes, as SQLite does.
const Stmt kListTemplates{
    "notification_template_list",
    "SELECT " SB_TEMPLATE_COLS
    " FROM notification_templates WHERE tenant_id = $1 "
    "AND deleted_at IS NULL AND (notification, channel, locale) > "
    "($2::text COLLATE \"C\", $3::text COLLATE \"C\", $4::text COLLATE \"C\") "
    "ORDER BY notification, channel, locale LIMIT $5"};
const Stmt kCountTemplates{
    "notification_template_count",
    "SELECT count(*) FROM notification_templates WHERE tenant_id = $1 AND deleted_at IS NULL"};

NotificationTemplate ReadTemplate(RowReader& r) {
  NotificationTemplate t;
  t.tenant_id = r.Str();
  t.notification = r.Str();
  t.channel = r.Str();
  t.locale = r.Str();
  t.body = r.Str();
  t.version = r.Int();
  t.created_at = r.Int();
  t.updated_at = r.Int();
  t.deleted_at = r.OptInt();
  return t;
}

}  // namespace

Status PgTx::PutNotificationTemplate(const NotificationTemplate& t) {
  Params p;
  p.Text(t.tenant_id).Text(t.notification).Text(t.channel).Text(t.locale).Text(t.body);
  p.Int(t.version).Int(t.created_at).Int(t.updated_at).OptInt(t.deleted_at);
  return Exec(kPutTemplate, p).status();
}

Result<NotificationTemplate> PgTx::GetNotificationTemplate(std::string_view tenant_id,
                                                           std::string_view notification,
                                                           std::string_view channel,
                                                           std::string_view locale) {
  return One(kGetTemplate, Params().Text(tenant_id).Text(notification).Text(channel).Text(locale),
             "notification template", &ReadTemplate);
}

Result<std::vector<NotificationTemplate>> PgTx::ListNotificationTemplates(
    std::string_view tenant_id, const domain::NotificationTemplateKey& after, int limit) {
  Params p;
  p.Text(tenant_id).Text(after.notification).Text(after.channel).Text(after.locale).Int(limit);
  return Many(kListTemplates, p, &ReadTemplate);
}

Result<std::int64_t> PgTx::CountNotificationTemplates(std::string_view tenant_id) {
  return One(kCountTemplates, Params().Text(tenant_id), "count", &ReadCount);
}

}  // namespace sb::storage::postgres
