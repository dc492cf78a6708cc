// Notifications: previewing a template (a candidate, or the shipped one) with sample data.

#include "http/handlers/notifications.h"

#include "app/notifications/preview.h"
#include "http/problem.h"

namespace sb::http::handlers::notifications {

Response PreviewTemplate(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  app::TemplatePreviewInput in;
  in.notification = body->RequiredString("notification");
  in.channel = body->RequiredString("channel");
  in.locale = body->RequiredString("locale");
  in.body = body->String("template");
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  auto preview = app::PreviewTemplate(in);
  if (!preview.ok()) return ProblemResponse(preview.status());
  return JsonResponse(200, {{"object", "notification_preview"},
                            {"template_id", preview->template_id},
                            {"notification", in.notification},
                            {"channel", in.channel},
                            {"locale", in.locale},
                            {"subject", preview->rendered.subject},
                            {"text", preview->rendered.text},
                            {"html", preview->rendered.html}});
}

}  // namespace sb::http::handlers::notifications
