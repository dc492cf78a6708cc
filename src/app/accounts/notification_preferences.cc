#include "app/accounts/notification_preferences.h"

#include <algorithm>

#include "app/core/json_fields.h"
#include "common/tzif.h"
#include "domain/contacts.h"

namespace sb::app {

namespace json = boost::json;

namespace {

// Longest IANA name ("America/Argentina/ComodRivadavia" is 32 bytes).
constexpr size_t kMaxZoneName = 64;

StringListRules OptOutRules() {
  StringListRules r;
  r.max_items = 8;
  r.max_length = 64;
  return r;
}

}  // namespace

Status CheckTimeZoneName(std::string_view name, std::string param) {
  if (!name.empty() && name.size() <= kMaxZoneName && TimeZone::Load(name).ok()) {
    return Status::Ok();
  }
  std::string message = param + " is not an IANA time zone name (e.g. Europe/Paris)";
  return Status::Unprocessable("unknown_time_zone", std::move(message), std::move(param));
}

Result<PreferencesPatch> ReadPreferencesPatch(const json::object& o, const std::string& path) {
  JsonFields f(o, path, JsonNull::kValue);
  SB_RETURN_IF_ERROR(f.OnlyFields({"locale", "time_zone", "opt_out", "marketing_consent"}));
  PreferencesPatch p;
  SB_ASSIGN_OR_RETURN(p.locale, f.String("locale", 0, 64));
  SB_ASSIGN_OR_RETURN(p.time_zone, f.String("time_zone", 0, 256));
  SB_ASSIGN_OR_RETURN(p.opt_out, f.StringList("opt_out", OptOutRules()));
  SB_ASSIGN_OR_RETURN(p.marketing_consent, f.Bool("marketing_consent"));
  if (p.locale && !p.locale->empty()) {
    SB_RETURN_IF_ERROR(domain::CheckLocale(*p.locale, f.Path("locale")));
  }
  if (p.time_zone && !p.time_zone->empty()) {
    SB_RETURN_IF_ERROR(CheckTimeZoneName(*p.time_zone, f.Path("time_zone")));
  }
  if (p.opt_out) {
    for (const std::string& channel : *p.opt_out) {
      SB_RETURN_IF_ERROR(domain::CheckChannel(channel, f.Path("opt_out")));
    }
    std::sort(p.opt_out->begin(), p.opt_out->end());
    p.opt_out->erase(std::unique(p.opt_out->begin(), p.opt_out->end()), p.opt_out->end());
  }
  return p;
}

bool ApplyPreferences(const PreferencesPatch& patch, Timestamp now,
                      domain::NotificationPreferences& prefs) {
  bool changed = false;
  auto set = [&changed](const auto& value, auto& field) {
    if (value && *value != field) {
      field = *value;
      changed = true;
    }
  };
  set(patch.locale, prefs.locale);
  set(patch.time_zone, prefs.time_zone);
  set(patch.opt_out, prefs.opt_out);
  if (patch.marketing_consent && *patch.marketing_consent != prefs.marketing_consent) {
    prefs.marketing_consent = *patch.marketing_consent;
    prefs.marketing_consent_at =
        prefs.marketing_consent ? std::optional<Timestamp>(now) : std::nullopt;
    changed = true;
  }
  return changed;
}

json::object PreferencesJson(const domain::NotificationPreferences& prefs) {
  json::object o{{"locale", prefs.locale},
                 {"time_zone", prefs.time_zone},
                 {"opt_out", json::array(prefs.opt_out.begin(), prefs.opt_out.end())},
                 {"marketing_consent", prefs.marketing_consent}};
  if (prefs.marketing_consent_at) o["marketing_consent_at"] = *prefs.marketing_consent_at;
  return o;
}

domain::NotificationPreferences PreferencesFrom(const json::object* o) {
  domain::NotificationPreferences p;
  if (o == nullptr) return p;
  auto text = [o](std::string_view k) {
    const json::value* v = o->if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  p.locale = text("locale");
  p.time_zone = text("time_zone");
  if (const json::value* v = o->if_contains("opt_out"); v && v->is_array()) {
    for (const json::value& ch : v->as_array()) {
      if (ch.is_string()) p.opt_out.emplace_back(ch.as_string());
    }
  }
  const json::value* consent = o->if_contains("marketing_consent");
  p.marketing_consent = consent && consent->is_bool() && consent->as_bool();
  if (const json::value* at = o->if_contains("marketing_consent_at"); at && at->is_int64()) {
    p.marketing_consent_at = at->as_int64();
  }
  return p;
}

}  // namespace sb::app
