#include "app/notifications/customer_say.h"

#include <algorithm>

namespace sb::app {

std::string CustomerLocale(const domain::NotifyPolicy& notify,
                           const domain::NotificationPreferences& prefs) {
  return prefs.locale.empty() ? notify.default_locale : prefs.locale;
}

std::string CustomerTimeZone(const domain::NotifyPolicy& notify,
                             const domain::NotificationPreferences& prefs) {
  return prefs.time_zone.empty() ? notify.default_time_zone : prefs.time_zone;
}

bool OptedOut(const domain::NotificationPreferences& prefs, std::string_view channel) {
  return std::find(prefs.opt_out.begin(), prefs.opt_out.end(), channel) != prefs.opt_out.end();
}

std::string WhyNotSent(const domain::NotificationRule& rule,
                       const domain::NotificationPreferences& prefs, std::string_view channel) {
  if (OptedOut(prefs, channel)) return "customer opted out of " + std::string(channel);
  if (rule.marketing && !prefs.marketing_consent) return "no marketing consent";
  return {};
}

std::vector<std::string> FallbackChannels(const domain::NotificationRule& rule,
                                          const domain::NotificationPreferences& prefs,
                                          bool reached, const std::vector<std::string>& reachable) {
  std::vector<std::string> out;
  if (reached || !rule.urgent || rule.marketing) return out;
  bool opted_out_of_one = std::any_of(rule.channels.begin(), rule.channels.end(),
                                      [&](const std::string& ch) { return OptedOut(prefs, ch); });
  if (!opted_out_of_one) return out;
  for (std::string_view ch : domain::kNotificationChannels) {
    bool named = std::find(rule.channels.begin(), rule.channels.end(), ch) != rule.channels.end();
    bool has_contact = std::find(reachable.begin(), reachable.end(), ch) != reachable.end();
    if (!named && has_contact && !OptedOut(prefs, ch)) out.emplace_back(ch);
  }
  return out;
}

}  // namespace sb::app
