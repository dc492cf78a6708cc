// The `notify:` section of a policy pack (app/policy/policy_yaml_reader.h, ParseNotify):
//
//   notify:
//     enabled: true
//     locale: en                    # the customers' default and the templates' fallback
//     time_zone: Europe/Paris       # the customers' default
//     quiet_hours: "21:00-08:00"    # local; non-urgent messages wait for the end
//     portal_url: https://portal.example.com   # the templates' portal_link
//     rate_limit: {window_minutes: 60, sms: 5, email: 20}
//     customer:
//       <event>: {channels: [email, sms], urgent: false, marketing: false,
//                 request_types: [suspension, ...]}
#include "app/policy/policy_yaml_reader.h"

namespace sb::app::policy_yaml {
namespace {

// "HH:MM" to minutes since midnight; -1 when malformed.
int MinuteOf(std::string_view t) {
  auto digit = [&](size_t i) { return t[i] >= '0' && t[i] <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) return -1;
  int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

Status ParseQuietHours(Reader& r, const YAML::Node& n, domain::NotifyPolicy& out) {
  const std::string path = "notify.quiet_hours";
  SB_ASSIGN_OR_RETURN(std::string text, r.Str(n, path));
  if (text == "none") {
    out.quiet_start_minute = out.quiet_end_minute = 0;
    return Status::Ok();
  }
  int start = text.size() == 11 && text[5] == '-' ? MinuteOf(text.substr(0, 5)) : -1;
  int end = start >= 0 ? MinuteOf(text.substr(6, 5)) : -1;
  if (end < 0) return r.Fail(n, path, "expected HH:MM-HH:MM or none, got '" + text + "'");
  out.quiet_start_minute = start;
  out.quiet_end_minute = end;
  return Status::Ok();
}

Status ParseRateLimit(Reader& r, const YAML::Node& n, domain::NotifyPolicy& out) {
  const std::string path = "notify.rate_limit";
  SB_RETURN_IF_ERROR(r.Map(n, path, {"window_minutes", "sms", "email"}));
  if (n["window_minutes"])
    SB_RETURN_IF_ERROR(
        Assign(r.SmallInt(n["window_minutes"], path + ".window_minutes"), out.rate_window_minutes));
  if (n["sms"]) SB_RETURN_IF_ERROR(Assign(r.SmallInt(n["sms"], path + ".sms"), out.sms_per_window));
  if (n["email"])
    SB_RETURN_IF_ERROR(Assign(r.SmallInt(n["email"], path + ".email"), out.email_per_window));
  return Status::Ok();
}

Result<domain::NotificationRule> ParseNotifyRule(Reader& r, const YAML::Node& n,
                                                 const std::string& path) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {"channels", "urgent", "marketing", "request_types"}));
  domain::NotificationRule rule;
  SB_RETURN_IF_ERROR(Assign(r.Strings(n["channels"], path + ".channels"), rule.channels));
  if (n["urgent"]) SB_RETURN_IF_ERROR(Assign(r.Bool(n["urgent"], path + ".urgent"), rule.urgent));
  if (n["marketing"])
    SB_RETURN_IF_ERROR(Assign(r.Bool(n["marketing"], path + ".marketing"), rule.marketing));
  if (n["request_types"]) {
    const YAML::Node types = n["request_types"];
    SB_RETURN_IF_ERROR(r.Seq(types, path + ".request_types"));
    for (size_t i = 0; i < types.size(); ++i) {
      std::string at = path + ".request_types[" + std::to_string(i) + "]";
      SB_ASSIGN_OR_RETURN(domain::RequestType t,
                          r.Enum<domain::RequestType>(types[i], at, "request type"));
      rule.request_types.push_back(t);
    }
  }
  return rule;
}

}  // namespace

Status ParseNotify(Reader& r, const YAML::Node& n, domain::NotifyPolicy& out) {
  SB_RETURN_IF_ERROR(r.Map(
      n, "notify",
      {"enabled", "locale", "time_zone", "quiet_hours", "rate_limit", "customer", "portal_url"}));
  if (n["enabled"]) SB_RETURN_IF_ERROR(Assign(r.Bool(n["enabled"], "notify.enabled"), out.enabled));
  if (n["locale"])
    SB_RETURN_IF_ERROR(Assign(r.Str(n["locale"], "notify.locale"), out.default_locale));
  if (n["time_zone"])
    SB_RETURN_IF_ERROR(Assign(r.Str(n["time_zone"], "notify.time_zone"), out.default_time_zone));
  if (n["portal_url"])
    SB_RETURN_IF_ERROR(Assign(r.Str(n["portal_url"], "notify.portal_url"), out.portal_url));
  if (n["quiet_hours"]) SB_RETURN_IF_ERROR(ParseQuietHours(r, n["quiet_hours"], out));
  if (n["rate_limit"]) SB_RETURN_IF_ERROR(ParseRateLimit(r, n["rate_limit"], out));
  if (!n["customer"]) return Status::Ok();
  SB_RETURN_IF_ERROR(r.Map(n["customer"], "notify.customer", {}));
  for (const auto& kv : n["customer"]) {
    std::string event = kv.first.Scalar();
    std::string path = "notify.customer." + event;
    r.Note(kv.first, path);
    SB_RETURN_IF_ERROR(Assign(ParseNotifyRule(r, kv.second, path), out.customer[event]));
  }
  return Status::Ok();
}

}  // namespace sb::app::policy_yaml
