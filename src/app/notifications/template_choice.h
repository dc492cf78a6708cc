#pragma once

// Which template renders a notification (docs/NOTIFICATIONS.md, "Templates"): the tenant's
// own, kept per notification, channel and locale, or the one shipped in the binary, in the
// customer's locale or else in the pack's fallback locale. A pure function, so that the order
// is stated and tested in one place; the composer and the preview both use it.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/notifications/templates.h"
#include "domain/model.h"

namespace sb::app {

struct TemplateChoice {
  TemplateKey key;  // the template's key: its locale is the one the text is rendered in
  std::string id;   // "tenant:<key>@v<version>" or "shipped:<key>"
  std::string body;
};

// The id a notification records for a tenant's template, "tenant:<key>@v<version>", and for a
// shipped one, "shipped:<key>"; <key> is "<notification>/<channel>/<locale>".
std::string TenantTemplateId(const domain::NotificationTemplate& t);
std::string ShippedTemplateId(const TemplateKey& key);

// The template for `wanted` (the customer's locale), in this order: the tenant's template for
// that locale, the shipped one for that locale, the tenant's template for `fallback_locale`,
// the shipped one for it. `tenant` holds the tenant's templates of the same notification and
// channel (others and deleted ones are ignored); `shipped` is DefaultTemplates() or a stand-in.
// nullopt when none of the four exists.
std::optional<TemplateChoice> ChooseTemplate(
    const TemplateKey& wanted, const std::string& fallback_locale,
    const std::vector<domain::NotificationTemplate>& tenant,
    const std::map<TemplateKey, std::string>& shipped);

}  // namespace sb::app
