// Tenant notification templates: one row per notification, channel and locale, kept when
// deleted (deleted_at) so that its versions go on.

#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::NotificationTemplate;

#define SB_TEMPLATE_COLS                                                              \
  "tenant_id, notification, channel, locale, body, version, created_at, updated_at, " \
  "deleted_at"
constexpr const char* kPutTemplate =
    "INSERT INTO notification_templates (" SB_TEMPLATE_COLS
    ") VALUES (?,?,?,?,?,?,?,?,?) "
    "ON CONFLICT (tenant_id, notification, channel, locale) DO UPDATE SET body = excluded.body, "
    "version = excluded.version, created_at = excluded.created_at, "
    "updated_at = excluded.updated_at, deleted_at = excluded.deleted_at";
constexpr const char* kGetTemplate =
    "SELECT " SB_TEMPLATE_COLS
    " FROM notification_templates WHERE tenant_id = ? AND notification = ? AND channel = ? "
    "AND locale = ?";
// The primary key serves the order and the start; deleted rows are skipped as they come.
constexpr const char* kListTemplates =
    "SELECT " SB_TEMPLATE_COLS
    " FROM notification_templates WHERE tenant_id = ? AND deleted_at IS NULL "
    "AND (notification, channel, locale) > (?, ?, ?) "
    "ORDER BY notification, channel, locale LIMIT ?";
constexpr const char* kCountTemplates =
    "SELECT count(*) FROM notification_templates WHERE tenant_id = ? AND deleted_at IS NULL";

NotificationTemplate ReadTemplate(const Stmt& s) {
  NotificationTemplate t;
  t.tenant_id = s.ColText(0);
  t.notification = s.ColText(1);
  t.channel = s.ColText(2);
  t.locale = s.ColText(3);
  t.body = s.ColText(4);
  t.version = s.ColInt(5);
  t.created_at = s.ColInt(6);
  t.updated_at = s.ColInt(7);
  t.deleted_at = s.ColOptInt(8);
  return t;
}

}  // namespace

Status SqliteTx::PutNotificationTemplate(const NotificationTemplate& t) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kPutTemplate);
  s.Text(t.tenant_id).Text(t.notification).Text(t.channel).Text(t.locale).Text(t.body);
  s.Int(t.version).Int(t.created_at).Int(t.updated_at).OptInt(t.deleted_at);
  return s.Run();
}

Result<NotificationTemplate> SqliteTx::GetNotificationTemplate(std::string_view tenant_id,
                                                               std::string_view notification,
                                                               std::string_view channel,
                                                               std::string_view locale) {
  Stmt s(conn_, kGetTemplate);
  s.Text(tenant_id).Text(notification).Text(channel).Text(locale);
  return OneRow<NotificationTemplate>(s, "notification template", ReadTemplate);
}

Result<std::vector<NotificationTemplate>> SqliteTx::ListNotificationTemplates(
    std::string_view tenant_id, const domain::NotificationTemplateKey& after, int limit) {
  Stmt s(conn_, kListTemplates);
  s.Text(tenant_id).Text(after.notification).Text(after.channel).Text(after.locale).Int(limit);
  return CollectRows<NotificationTemplate>(s, ReadTemplate);
}

Result<std::int64_t> SqliteTx::CountNotificationTemplates(std::string_view tenant_id) {
  Stmt s(conn_, kCountTemplates);
  s.Text(tenant_id);
  return OneRow<std::int64_t>(s, "count", [](const Stmt& row) { return row.ColInt(0); });
}

}  // namespace sb::storage::sqlite
