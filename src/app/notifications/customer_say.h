#pragma once

// The customer's say in what the composer writes (docs/NOTIFICATIONS.md, "The customer's say"):
// their locale and time zone over the pack's defaults, their opt-out of a channel, their
// marketing consent. Pure functions of the pack and the customer's preferences; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "domain/model.h"
#include "domain/policy.h"

namespace sb::app {

// The locale the customer reads: theirs when set, else the pack's default.
std::string CustomerLocale(const domain::NotifyPolicy& notify,
                           const domain::NotificationPreferences& prefs);

// The IANA time zone the customer lives in: theirs when set, else the pack's default.
std::string CustomerTimeZone(const domain::NotifyPolicy& notify,
                             const domain::NotificationPreferences& prefs);

// Whether the customer opted out of `channel`.
bool OptedOut(const domain::NotificationPreferences& prefs, std::string_view channel);

// Why a message of `rule` on `channel` is written suppressed instead of sent, as the timeline's
// last_error shows it; empty when it goes:
// - "customer opted out of <channel>": an opt-out is honoured on its channel for every message,
//   urgent ones included (see FallbackChannels for how an urgent notice still arrives);
// - "no marketing consent": a marketing rule without the customer's consent.
std::string WhyNotSent(const domain::NotificationRule& rule,
                       const domain::NotificationPreferences& prefs, std::string_view channel);

// A service notice must not go unheard because the customer turned one channel off: when an
// urgent, transactional rule (a suspension) reaches the customer on none of its own channels
// only because of opt-outs, the channels of kNotificationChannels the rule does not name, that
// the customer did not opt out of and has a contact on (`reachable`), in that list's order.
// Empty otherwise: a non-urgent or marketing message just stays suppressed, and a customer who
// opted out of every channel is not written to at all.
// `reached` says whether some message of the rule already goes (not suppressed).
std::vector<std::string> FallbackChannels(const domain::NotificationRule& rule,
                                          const domain::NotificationPreferences& prefs,
                                          bool reached, const std::vector<std::string>& reachable);

}  // namespace sb::app
