#include "app/notifications/template_choice.h"

namespace sb::app {
namespace {

std::optional<TemplateChoice> TenantOne(const TemplateKey& key,
                                        const std::vector<domain::NotificationTemplate>& tenant) {
  for (const domain::NotificationTemplate& t : tenant) {
    if (t.deleted_at || t.notification != key.notification || t.channel != key.channel ||
        t.locale != key.locale) {
      continue;
    }
    return TemplateChoice{key, TenantTemplateId(t), t.body};
  }
  return std::nullopt;
}

std::optional<TemplateChoice> ShippedOne(const TemplateKey& key,
                                         const std::map<TemplateKey, std::string>& shipped) {
  auto it = shipped.find(key);
  if (it == shipped.end()) return std::nullopt;
  return TemplateChoice{key, ShippedTemplateId(key), it->second};
}

}  // namespace

std::string TenantTemplateId(const domain::NotificationTemplate& t) {
  TemplateKey key{t.notification, t.channel, t.locale};
  return "tenant:" + key.Id() + "@v" + std::to_string(t.version);
}

std::string ShippedTemplateId(const TemplateKey& key) { return "shipped:" + key.Id(); }

std::optional<TemplateChoice> ChooseTemplate(
    const TemplateKey& wanted, const std::string& fallback_locale,
    const std::vector<domain::NotificationTemplate>& tenant,
    const std::map<TemplateKey, std::string>& shipped) {
  TemplateKey fallback = wanted;
  fallback.locale = fallback_locale;
  if (auto c = TenantOne(wanted, tenant)) return c;
  if (auto c = ShippedOne(wanted, shipped)) return c;
  if (auto c = TenantOne(fallback, tenant)) return c;
  return ShippedOne(fallback, shipped);
}

}  // namespace sb::app
