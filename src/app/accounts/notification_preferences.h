#pragma once

// The customer's notification preferences (domain::NotificationPreferences) as the API takes
// them: one strict reader of the `notification_preferences` object, shared by account creation
// and the personal_info_update request (PATCH /v1/accounts/{id}), and their sealed JSON form.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/model.h"

namespace sb::app {

// What a caller asked to change; an absent field keeps its value. An empty locale or time zone
// returns to the pack's default.
struct PreferencesPatch {
  std::optional<std::string> locale;
  std::optional<std::string> time_zone;
  std::optional<std::vector<std::string>> opt_out;  // the whole list, sorted, no repeats
  std::optional<bool> marketing_consent;

  bool Empty() const { return !locale && !time_zone && !opt_out && !marketing_consent; }
};

// Reads `o` strictly; `path` names the object in errors ("notification_preferences",
// "payload.notification_preferences"). A field of the wrong type or an unknown one is
// kInvalidArgument (400); a value refused by a rule is kUnprocessable (422) naming the field:
// "unsupported_locale" (domain::CheckLocale), "unknown_time_zone" (CheckTimeZoneName),
// "unknown_channel" (domain::CheckChannel, for any item of opt_out).
Result<PreferencesPatch> ReadPreferencesPatch(const boost::json::object& o,
                                              const std::string& path);

// kUnprocessable "unknown_time_zone" naming `param` unless `name` is an IANA time zone this
// server can load (TimeZone::Load, common/tzif.h). Reads the zone file.
Status CheckTimeZoneName(std::string_view name, std::string param);

// Applies `patch` to `prefs`. Consent given records `now` as when (kept when it was already
// given); consent withdrawn forgets when. Returns whether anything changed.
bool ApplyPreferences(const PreferencesPatch& patch, Timestamp now,
                      domain::NotificationPreferences& prefs);

// The sealed form (inside the profile's JSON) and back. PreferencesFrom reads a missing or
// mistyped field as its default, so profiles sealed before preferences existed still open
// (as a customer who never said anything).
boost::json::object PreferencesJson(const domain::NotificationPreferences& prefs);
domain::NotificationPreferences PreferencesFrom(const boost::json::object* o);

}  // namespace sb::app
