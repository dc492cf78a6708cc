#include "app/notifications/preview.h"

#include "app/notifications/template_choice.h"
#include "domain/policy.h"

namespace sb::app {

Status CheckTemplateKey(const TemplateKey& key) {
  if (!domain::IsNotificationChannel(key.channel))
    return Status::Unprocessable("invalid_value", "channel must be email or sms", "channel");
  if (!domain::IsNotificationLocale(key.locale))
    return Status::Unprocessable("invalid_value", "locale must be en or fr", "locale");
  return Status::Ok();
}

Result<TemplatePreview> RenderPreview(const TemplateKey& key, std::string template_id,
                                      std::string_view body) {
  SB_ASSIGN_OR_RETURN(ParsedTemplate parsed, ParseTemplate(key, body));
  TemplatePreview out;
  out.template_id = std::move(template_id);
  out.rendered = RenderTemplate(parsed, SampleVariables(key.locale));
  return out;
}

Result<TemplatePreview> PreviewTemplate(const TemplatePreviewInput& in) {
  TemplateKey key{in.notification, in.channel, in.locale};
  SB_RETURN_IF_ERROR(CheckTemplateKey(key));
  if (in.body) return RenderPreview(key, "candidate:" + key.Id(), *in.body);
  auto it = DefaultTemplates().find(key);
  if (it == DefaultTemplates().end()) return Status::NotFound("template", "notification");
  return RenderPreview(key, ShippedTemplateId(key), it->second);
}

}  // namespace sb::app
