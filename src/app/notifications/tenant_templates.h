#pragma once

// A tenant's own notification templates (docs/NOTIFICATIONS.md, "Templates"), one per
// notification, channel and locale, replacing the shipped one of the same key for that tenant
// (app/notifications/template_choice.h says which one renders). Stored, replaced and deleted
// through RunChange with an audit entry each ("notification_template.stored" / ".deleted",
// category security) that carries the key, the version and the SHA-256 of the body, never the
// body. A deleted template keeps its row and its version, so that the next store goes on
// counting. Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/core/context.h"
#include "app/notifications/preview.h"
#include "app/notifications/templates.h"
#include "common/status.h"
#include "domain/model.h"

namespace sb::app {

// At most this many templates (not deleted) per tenant.
inline constexpr std::int64_t kMaxTenantTemplates = 500;

// What storing answers: the template as stored, and whether the key had none (201) or one
// was replaced (200).
struct StoredTemplate {
  domain::NotificationTemplate stored;
  bool created = false;
};

// One template as a tenant admin sees it: the tenant's own ("tenant"), or the one that ships
// for a key the tenant has none of ("shipped").
struct TemplateView {
  TemplateKey key;
  std::string source;                                  // "tenant" or "shipped"
  std::optional<domain::NotificationTemplate> stored;  // set when source is "tenant"
  bool shipped = false;                                // a template ships for the key
  std::string body;                                    // the text in effect
};

struct TemplateListFilter {
  std::optional<std::string> source;  // "tenant" or "shipped"; nullopt: both
  std::string starting_after;         // a template id "<notification>/<channel>/<locale>"
  int limit = 20;
};

struct TemplatePage {
  std::vector<TemplateView> items;
  bool has_more = false;
  std::string next_cursor;  // the last item's key id when has_more
};

class TemplateUseCases {
 public:
  explicit TemplateUseCases(Deps deps) : deps_(deps) {}

  // Stores `body` as the tenant's template of `key`: version 1 for a new key, the stored
  // version + 1 for a replacement (or a key stored again after its deletion). kUnprocessable,
  // naming the field, with nothing stored: an unknown channel or locale ("invalid_value"), a
  // notification that is not an event name or that neither the tenant's pack in force
  // notifies of nor any shipped template tells ("unknown_notification", "notification"), a
  // body ParseTemplate refuses (its reason and message, param "body"), a key in another
  // locale than the pack's fallback when neither the tenant nor the binary has the fallback
  // locale's template ("fallback_required", "locale"), a new key past kMaxTenantTemplates
  // ("too_many_templates"). ctx.if_match, when set, must be the stored version (kPrecondition
  // Failed otherwise, and when there is none). Honors ctx.dry_run and ctx.idempotency_key.
  Result<StoredTemplate> Put(const CallContext& ctx, const TemplateKey& key,
                             const std::string& body,
                             const AnswerFn<StoredTemplate>& answer = nullptr) const;

  // The template in effect for `key` before any locale fallback: the tenant's own, else the
  // shipped one. kNotFound "notification template" when neither exists; kUnprocessable as
  // CheckTemplateKey.
  Result<TemplateView> Get(const CallContext& ctx, const TemplateKey& key) const;

  // The tenant's templates and the shipped ones it has not replaced, in key order
  // (notification, channel, locale), `limit` at a time after `starting_after`; items carry
  // no body. kUnprocessable naming "starting_after" or "source" for a malformed one.
  Result<TemplatePage> List(const CallContext& ctx, const TemplateListFilter& f) const;

  // Deletes the tenant's template of `key` (soft: the row and its version stay); the shipped
  // one applies again. kNotFound "notification template" when the tenant has none;
  // kUnprocessable "fallback_required" ("locale") when it is the pack's fallback locale, no
  // fallback ships, and the tenant keeps a template of the same notification and channel in
  // another locale. ctx.if_match as Put. Honors ctx.dry_run and ctx.idempotency_key.
  Result<domain::NotificationTemplate> Delete(
      const CallContext& ctx, const TemplateKey& key,
      const AnswerFn<domain::NotificationTemplate>& answer = nullptr) const;

  // PreviewTemplate (app/notifications/preview.h), and without a body the tenant's stored
  // template of the key before the shipped one.
  Result<TemplatePreview> Preview(const CallContext& ctx, const TemplatePreviewInput& in) const;

 private:
  Deps deps_;
};

}  // namespace sb::app
