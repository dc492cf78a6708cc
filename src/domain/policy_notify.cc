// The rules of a policy pack's `notify:` section (domain/policy.h, ValidateNotify).
#include <algorithm>
#include <iterator>

#include "domain/policy.h"

namespace sb::domain {
namespace {

template <size_t N>
bool OneOf(const std::string_view (&names)[N], std::string_view s) {
  return std::find(std::begin(names), std::end(names), s) != std::end(names);
}

Status ValidateRule(const NotificationRule& rule, const std::string& path) {
  if (rule.channels.empty())
    return PackFieldError(path + ".channels", "needs at least one channel");
  for (size_t i = 0; i < rule.channels.size(); ++i) {
    const std::string& ch = rule.channels[i];
    std::string at = path + ".channels[" + std::to_string(i) + "]";
    if (!IsNotificationChannel(ch)) return PackFieldError(at, "unknown channel '" + ch + "'");
    if (std::count(rule.channels.begin(), rule.channels.end(), ch) > 1)
      return PackFieldError(at, "channel '" + ch + "' named twice");
  }
  if (rule.urgent && rule.marketing)
    return PackFieldError(path + ".urgent", "a marketing message is never urgent");
  return Status::Ok();
}

}  // namespace

bool IsNotificationLocale(std::string_view locale) { return OneOf(kNotificationLocales, locale); }

bool IsNotificationChannel(std::string_view channel) {
  return OneOf(kNotificationChannels, channel);
}

// Lower-case words joined by one dot, as every event name is.
bool IsNotificationName(std::string_view s) {
  size_t dot = s.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 == s.size() || s.size() > 64)
    return false;
  if (s.find('.', dot + 1) != std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '.'; });
}

Status ValidateNotify(const NotifyPolicy& n) {
  for (const auto& [event, rule] : n.customer) {
    std::string path = "notify.customer." + event;
    if (!IsNotificationName(event))
      return PackFieldError(path, "not an event name (resource.action)");
    // It is what every notification writes itself: telling it would loop.
    if (event == "customer.notification")
      return PackFieldError(path, "cannot notify of a notification");
    SB_RETURN_IF_ERROR(ValidateRule(rule, path));
  }
  if (!IsNotificationLocale(n.default_locale))
    return PackFieldError("notify.locale", "unknown locale '" + n.default_locale + "' (en, fr)");
  auto minute = [](int m) { return m >= 0 && m < 24 * 60; };
  if (!minute(n.quiet_start_minute) || !minute(n.quiet_end_minute))
    return PackFieldError("notify.quiet_hours", "must be within one day");
  if (n.rate_window_minutes < 1 || n.rate_window_minutes > 24 * 60)
    return PackFieldError("notify.rate_limit.window_minutes", "must be 1 to 1440");
  if (n.sms_per_window < 1 || n.sms_per_window > 1000)
    return PackFieldError("notify.rate_limit.sms", "must be 1 to 1000");
  if (n.email_per_window < 1 || n.email_per_window > 1000)
    return PackFieldError("notify.rate_limit.email", "must be 1 to 1000");
  if (!n.portal_url.empty() && n.portal_url.rfind("https://", 0) != 0)
    return PackFieldError("notify.portal_url", "must be an https:// address");
  if (n.portal_url.size() > 512)
    return PackFieldError("notify.portal_url", "longer than 512 characters");
  return Status::Ok();
}

}  // namespace sb::domain
