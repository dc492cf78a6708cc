#pragma once

// Notification templates: Mustache text per notification, channel and locale, checked when
// stored and rendered when a notification is composed (docs/NOTIFICATIONS.md).
//
// A template's text is, for `sms`, the message itself; for `email`, a first line
// "subject: <subject>", then a line "--- text" and the plain-text body, then optionally a line
// "--- html" and the HTML body. Tags may only name kTemplateVariables; sections
// ({{#offer}}..{{/offer}}, {{^offer}}..{{/offer}}) and comments ({{! ...}}) are allowed,
// partials and delimiter changes are not. In the HTML body every value is HTML-escaped,
// triple braces included; in the subject and text it is written as it is.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sb::app {

// The one list of variables a template may name (documented in docs/NOTIFICATIONS.md).
inline constexpr std::string_view kTemplateVariables[] = {"customer_name",
                                                          "account_reference",
                                                          "request_reference",
                                                          "request_type",
                                                          "request_state",
                                                          "needed_next",
                                                          "amount_due",
                                                          "due_time",
                                                          "reason",
                                                          "offer",
                                                          "portal_link",
                                                          "code",
                                                          "code_valid_minutes",
                                                          "user_name",
                                                          "invitation_link",
                                                          "invitation_valid_hours",
                                                          "sla_status",
                                                          "console_link",
                                                          "csat_link",
                                                          "receipt_link"};

// Which template: "<notification>/<channel>/<locale>", e.g. "service.suspended/email/fr".
struct TemplateKey {
  std::string notification;
  std::string channel;
  std::string locale;
  std::string Id() const { return notification + "/" + channel + "/" + locale; }
  bool operator<(const TemplateKey& o) const { return Id() < o.Id(); }
};

// A template split into its parts, each checked.
struct ParsedTemplate {
  std::string subject;  // email only
  std::string text;
  std::string html;  // email only; may be empty
};

// A rendered template, ready to become a domain::Notification.
struct RenderedTemplate {
  std::string subject;
  std::string text;
  std::string html;
};

// Splits and checks `body` as a template of `key.channel`. kUnprocessable
// "invalid_template" with param "template" and a message naming the template's id and the
// line (1-based, of `body`) for: an unknown channel, a missing subject or text part, a tag
// that does not close, an unbalanced section, a partial or delimiter change, or a variable
// not in kTemplateVariables. A body over 16 KiB is refused the same way.
Result<ParsedTemplate> ParseTemplate(const TemplateKey& key, std::string_view body);

// Renders `t` with `vars` (names of kTemplateVariables; a missing one renders empty and is
// false in a section). Never fails on a template ParseTemplate accepted.
RenderedTemplate RenderTemplate(const ParsedTemplate& t,
                                const std::map<std::string, std::string>& vars);

// The templates shipped in the binary (templates/notifications/, embedded at build time):
// every notification of the default pack in every locale of domain::kNotificationLocales.
const std::map<TemplateKey, std::string>& DefaultTemplates();

// Sample values for a preview: a customer named "Jane Doe", a reconnection waiting for a
// payment of 42.00 EUR, and so on, in `locale`.
std::map<std::string, std::string> SampleVariables(std::string_view locale);

}  // namespace sb::app
