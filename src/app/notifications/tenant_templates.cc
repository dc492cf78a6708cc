// TemplateUseCases: storing, reading and deleting a tenant's notification templates, and
// previewing them. The list is in tenant_templates_list.cc.
#include "app/notifications/tenant_templates.h"

#include <boost/json.hpp>

#include "app/core/change.h"
#include "app/notifications/template_choice.h"
#include "app/policy/policy_cache.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;

namespace {

// The fallback locale of the tenant's pack in force; the pack format's default when the
// tenant has none yet (nothing is composed then, but templates may be prepared).
Result<std::string> FallbackLocale(domain::Tx& tx, const std::string& tenant_id, Timestamp now) {
  auto policy = PolicyInForce(tx, tenant_id, now);
  if (policy.ok()) return (*policy)->pack.notify.default_locale;
  if (policy.status().reason() == "no_policy_pack") return domain::NotifyPolicy{}.default_locale;
  return policy.status();
}

// Whether the tenant's pack in force (if any) notifies of `notification`, or a template ships
// for it: the notifications a template may be stored for.
Result<bool> KnownNotification(domain::Tx& tx, const std::string& tenant_id, Timestamp now,
                               const std::string& notification) {
  for (const auto& [key, body] : DefaultTemplates()) {
    if (key.notification == notification) return true;
  }
  auto policy = PolicyInForce(tx, tenant_id, now);
  if (!policy.ok()) {
    if (policy.status().reason() == "no_policy_pack") return false;
    return policy.status();
  }
  return (*policy)->pack.notify.customer.count(notification) > 0;
}

Status CheckNotificationName(const std::string& notification) {
  if (domain::IsNotificationName(notification) && notification != "customer.notification") {
    return Status::Ok();
  }
  return Status::Unprocessable("unknown_notification",
                               "notification must be an event name (resource.action) that "
                               "customers are told of, e.g. service.suspended",
                               "notification");
}

// The tenant's template of `key`, deleted or not; nullopt when it never stored one.
Result<std::optional<domain::NotificationTemplate>> Stored(domain::Tx& tx,
                                                           const std::string& tenant_id,
                                                           const TemplateKey& key) {
  auto t = tx.GetNotificationTemplate(tenant_id, key.notification, key.channel, key.locale);
  if (!t.ok() && t.status().code() == Code::kNotFound) {
    return std::optional<domain::NotificationTemplate>();
  }
  SB_RETURN_IF_ERROR(t.status());
  return std::optional<domain::NotificationTemplate>(std::move(t).value());
}

// The tenant's live template of `key`, or nullopt.
Result<std::optional<domain::NotificationTemplate>> Live(domain::Tx& tx,
                                                         const std::string& tenant_id,
                                                         const TemplateKey& key) {
  SB_ASSIGN_OR_RETURN(auto t, Stored(tx, tenant_id, key));
  if (t && t->deleted_at) t.reset();
  return t;
}

bool Ships(const TemplateKey& key) { return DefaultTemplates().count(key) > 0; }

// Whether the fallback locale's template of `key`'s notification and channel exists for the
// tenant (its own or the shipped one).
Result<bool> HasFallback(domain::Tx& tx, const std::string& tenant_id, TemplateKey key,
                         const std::string& fallback) {
  key.locale = fallback;
  if (Ships(key)) return true;
  SB_ASSIGN_OR_RETURN(auto live, Live(tx, tenant_id, key));
  return live.has_value();
}

Status CheckIfMatch(const CallContext& ctx,
                    const std::optional<domain::NotificationTemplate>& live) {
  if (!ctx.if_match) return Status::Ok();
  if (live && live->version == *ctx.if_match) return Status::Ok();
  return Status::PreconditionFailed("The template's version is not the one in If-Match.");
}

json::object AuditView(const domain::NotificationTemplate& t) {
  return {{"notification", t.notification},
          {"channel", t.channel},
          {"locale", t.locale},
          {"version", t.version},
          {"body_sha256", crypto::Hex(crypto::Sha256(t.body))}};
}

// What storing `key` needs besides the body's own check, inside the transaction.
Status CheckStore(domain::Tx& tx, const CallContext& ctx, Timestamp now, const TemplateKey& key,
                  const std::optional<domain::NotificationTemplate>& live) {
  SB_ASSIGN_OR_RETURN(bool known, KnownNotification(tx, ctx.tenant_id, now, key.notification));
  if (!known) {
    return Status::Unprocessable("unknown_notification",
                                 "'" + key.notification +
                                     "' is not a notification of the tenant's policy pack "
                                     "and no template ships for it",
                                 "notification");
  }
  SB_RETURN_IF_ERROR(CheckIfMatch(ctx, live));
  SB_ASSIGN_OR_RETURN(std::string fallback, FallbackLocale(tx, ctx.tenant_id, now));
  if (key.locale != fallback) {
    SB_ASSIGN_OR_RETURN(bool has, HasFallback(tx, ctx.tenant_id, key, fallback));
    if (!has) {
      TemplateKey f = key;
      f.locale = fallback;
      return Status::Unprocessable(
          "fallback_required",
          "store the template " + f.Id() + " first: it is the fallback locale's and none ships",
          "locale");
    }
  }
  if (live) return Status::Ok();
  SB_ASSIGN_OR_RETURN(std::int64_t count, tx.CountNotificationTemplates(ctx.tenant_id));
  if (count < kMaxTenantTemplates) return Status::Ok();
  return Status::Unprocessable("too_many_templates",
                               "A tenant may keep at most 500 notification templates; delete "
                               "one first.");
}

}  // namespace

Result<StoredTemplate> TemplateUseCases::Put(const CallContext& ctx, const TemplateKey& key,
                                             const std::string& body,
                                             const AnswerFn<StoredTemplate>& answer) const {
  SB_RETURN_IF_ERROR(CheckTemplateKey(key));
  SB_RETURN_IF_ERROR(CheckNotificationName(key.notification));
  if (Result<ParsedTemplate> parsed = ParseTemplate(key, body); !parsed.ok()) {
    Status s = parsed.status();
    return Status::Unprocessable(s.reason(), s.message(), "body");
  }
  return RunChange<StoredTemplate>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<StoredTemplate> {
        SB_ASSIGN_OR_RETURN(auto old, Stored(tx, ctx.tenant_id, key));
        std::optional<domain::NotificationTemplate> live = old;
        if (live && live->deleted_at) live.reset();
        SB_RETURN_IF_ERROR(CheckStore(tx, ctx, now, key, live));
        StoredTemplate out;
        out.created = !live.has_value();
        domain::NotificationTemplate& t = out.stored;
        t.tenant_id = ctx.tenant_id;
        t.notification = key.notification;
        t.channel = key.channel;
        t.locale = key.locale;
        t.body = body;
        t.version = old ? old->version + 1 : 1;
        t.created_at = live ? live->created_at : now;
        t.updated_at = now;
        SB_RETURN_IF_ERROR(tx.PutNotificationTemplate(t));
        ChangeRecorder rec(tx, ctx, now);
        json::object before = live ? AuditView(*live) : json::object();
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity,
                                     "notification_template.stored", "notification_template",
                                     key.Id(), "", "", before, AuditView(t)));
        return out;
      });
}

Result<TemplateView> TemplateUseCases::Get(const CallContext& ctx, const TemplateKey& key) const {
  SB_RETURN_IF_ERROR(CheckTemplateKey(key));
  std::optional<domain::NotificationTemplate> live;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(live, Live(tx, ctx.tenant_id, key));
    return Status::Ok();
  }));
  TemplateView v;
  v.key = key;
  auto shipped = DefaultTemplates().find(key);
  v.shipped = shipped != DefaultTemplates().end();
  if (live) {
    v.source = "tenant";
    v.body = live->body;
    v.stored = std::move(live);
    return v;
  }
  if (!v.shipped) return Status::NotFound("notification template");
  v.source = "shipped";
  v.body = shipped->second;
  return v;
}

Result<domain::NotificationTemplate> TemplateUseCases::Delete(
    const CallContext& ctx, const TemplateKey& key,
    const AnswerFn<domain::NotificationTemplate>& answer) const {
  SB_RETURN_IF_ERROR(CheckTemplateKey(key));
  return RunChange<domain::NotificationTemplate>(
      deps_, ctx, answer,
      [&](domain::Tx& tx, Timestamp now) -> Result<domain::NotificationTemplate> {
        SB_ASSIGN_OR_RETURN(auto live, Live(tx, ctx.tenant_id, key));
        if (!live) return Status::NotFound("notification template");
        SB_RETURN_IF_ERROR(CheckIfMatch(ctx, live));
        SB_ASSIGN_OR_RETURN(std::string fallback, FallbackLocale(tx, ctx.tenant_id, now));
        if (key.locale == fallback && !Ships(key)) {
          for (std::string_view locale : domain::kNotificationLocales) {
            if (locale == fallback) continue;
            TemplateKey other = key;
            other.locale = std::string(locale);
            SB_ASSIGN_OR_RETURN(auto dependent, Live(tx, ctx.tenant_id, other));
            if (!dependent) continue;
            return Status::Unprocessable(
                "fallback_required",
                "delete " + other.Id() + " first: " + key.Id() + " is its fallback and none ships",
                "locale");
          }
        }
        domain::NotificationTemplate t = std::move(*live);
        t.deleted_at = now;
        t.updated_at = now;
        SB_RETURN_IF_ERROR(tx.PutNotificationTemplate(t));
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity,
                                     "notification_template.deleted", "notification_template",
                                     key.Id(), "", "", AuditView(t), {}));
        return t;
      });
}

Result<TemplatePreview> TemplateUseCases::Preview(const CallContext& ctx,
                                                  const TemplatePreviewInput& in) const {
  TemplateKey key{in.notification, in.channel, in.locale};
  SB_RETURN_IF_ERROR(CheckTemplateKey(key));
  if (in.body) return PreviewTemplate(in);
  std::optional<domain::NotificationTemplate> live;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(live, Live(tx, ctx.tenant_id, key));
    return Status::Ok();
  }));
  if (!live) return PreviewTemplate(in);
  return RenderPreview(key, TenantTemplateId(*live), live->body);
}

}  // namespace sb::app
