#pragma once

// The preview of a notification template: a candidate text (or the shipped one) checked and
// rendered with sample data, nothing stored (POST /v1/notification-templates/preview).

#include <optional>
#include <string>

#include "app/notifications/templates.h"
#include "common/status.h"

namespace sb::app {

struct TemplatePreviewInput {
  std::string notification;         // an event name, e.g. "service.suspended"
  std::string channel;              // "email", "sms"
  std::string locale;               // "en", "fr"
  std::optional<std::string> body;  // the candidate; absent: the shipped template
};

struct TemplatePreview {
  std::string template_id;  // "default:<notification>/<channel>/<locale>", or "candidate:..."
  RenderedTemplate rendered;
};

// Renders the template with SampleVariables(locale). kUnprocessable "invalid_value" naming
// `channel` or `locale` when unknown; kNotFound "template" when no body is given and none
// ships for the key; ParseTemplate's refusal (422 "invalid_template", the template and line)
// for a candidate that does not pass.
Result<TemplatePreview> PreviewTemplate(const TemplatePreviewInput& in);

}  // namespace sb::app
