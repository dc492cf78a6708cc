#pragma once

// The preview of a notification template: a candidate text (or the shipped one) checked and
// rendered with sample data, nothing stored (POST /v1/notification-templates/preview).

#include <optional>
#include <string>
#include <string_view>

#include "app/notifications/templates.h"
#include "common/status.h"

namespace sb::app {

struct TemplatePreviewInput {
  std::string notification;         // an event name, e.g. "service.suspended"
  std::string channel;              // "email", "sms"
  std::string locale;               // "en", "fr"
  std::optional<std::string> body;  // the candidate; absent: the stored or shipped template
};

struct TemplatePreview {
  // "shipped:<notification>/<channel>/<locale>", "tenant:<...>@v<version>" (a stored one,
  // app/notifications/tenant_templates.h) or "candidate:<...>" (the body given)
  std::string template_id;
  RenderedTemplate rendered;
};

// kUnprocessable "invalid_value" naming `channel` or `locale` when `key` names an unknown one
// (domain::IsNotificationChannel, IsNotificationLocale): the one check of both.
Status CheckTemplateKey(const TemplateKey& key);

// `body` checked by ParseTemplate and rendered with SampleVariables(key.locale), under
// `template_id`.
Result<TemplatePreview> RenderPreview(const TemplateKey& key, std::string template_id,
                                      std::string_view body);

// The shipped template or the candidate given, without reading any tenant's templates
// (TemplateUseCases::Preview also renders a stored one).
// Renders the template with SampleVariables(locale). kUnprocessable "invalid_value" naming
// `channel` or `locale` when unknown; kNotFound "template" when no body is given and none
// ships for the key; ParseTemplate's refusal (422 "invalid_template", the template and line)
// for a candidate that does not pass.
Result<TemplatePreview> PreviewTemplate(const TemplatePreviewInput& in);

}  // namespace sb::app
