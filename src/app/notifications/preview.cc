#include "app/notifications/preview.h"

#include <algorithm>
#include <iterator>

#include "domain/policy.h"

namespace sb::app {

Result<TemplatePreview> PreviewTemplate(const TemplatePreviewInput& in) {
  auto known = [](const auto& names, const std::string& s) {
    return std::find(std::begin(names), std::end(names), s) != std::end(names);
  };
  if (!known(domain::kNotificationChannels, in.channel))
    return Status::Unprocessable("invalid_value", "channel must be email or sms", "channel");
  if (!known(domain::kNotificationLocales, in.locale))
    return Status::Unprocessable("invalid_value", "locale must be en or fr", "locale");
  TemplateKey key{in.notification, in.channel, in.locale};
  TemplatePreview out;
  std::string body;
  if (in.body) {
    body = *in.body;
    out.template_id = "candidate:" + key.Id();
  } else {
    auto it = DefaultTemplates().find(key);
    if (it == DefaultTemplates().end()) return Status::NotFound("template", "notification");
    body = it->second;
    out.template_id = "default:" + key.Id();
  }
  SB_ASSIGN_OR_RETURN(ParsedTemplate parsed, ParseTemplate(key, body));
  out.rendered = RenderTemplate(parsed, SampleVariables(in.locale));
  return out;
}

}  // namespace sb::app
