// Notifications: the tenant's templates (stored, read, listed, deleted) and their preview with
// sample data.

#include "http/handlers/notifications.h"

#include "app/notifications/preview.h"
#include "app/notifications/template_choice.h"
#include "app/notifications/tenant_templates.h"
#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http::handlers::notifications {

namespace json = boost::json;

namespace {

// A template's text may be longer than other strings: ParseTemplate refuses one over 16 KiB
// itself, naming the template (422), so the reader lets a few times that through.
constexpr std::size_t kMaxTemplateField = 64 << 10;

Status NotWired() { return Status::Unavailable("Notification templates are not served here."); }

app::TemplateKey KeyOf(Exchange& ex) {
  return {ex.Param("notification"), ex.Param("channel"), ex.Param("locale")};
}

// One template as the API shows it; `with_body` for a single one.
json::object TemplateJson(const app::TemplateView& v, bool with_body) {
  json::object o{{"object", "notification_template"},
                 {"id", v.key.Id()},
                 {"notification", v.key.notification},
                 {"channel", v.key.channel},
                 {"locale", v.key.locale},
                 {"source", v.source},
                 {"shipped", v.shipped}};
  if (v.stored) {
    o["template_id"] = app::TenantTemplateId(*v.stored);
    o["version"] = v.stored->version;
    o["created_at"] = FormatRfc3339(v.stored->created_at);
    o["updated_at"] = FormatRfc3339(v.stored->updated_at);
  } else {
    o["template_id"] = app::ShippedTemplateId(v.key);
  }
  if (with_body) o["body"] = v.body;
  return o;
}

app::TemplateView ViewOf(const domain::NotificationTemplate& t) {
  app::TemplateView v;
  v.key = {t.notification, t.channel, t.locale};
  v.source = "tenant";
  v.shipped = app::DefaultTemplates().count(v.key) > 0;
  v.body = t.body;
  v.stored = t;
  return v;
}

Response RenderStored(const app::StoredTemplate& s, bool dry_run) {
  json::object body = TemplateJson(ViewOf(s.stored), /*with_body=*/true);
  body["dry_run"] = dry_run;
  Response r = JsonResponse(s.created && !dry_run ? 201 : 200, body);
  r.SetHeader("ETag", "\"" + std::to_string(s.stored.version) + "\"");
  if (s.created && !dry_run) {
    r.SetHeader("Location", "/v1/notification-templates/" + ViewOf(s.stored).key.Id());
  }
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  return r;
}

}  // namespace

Response PreviewTemplate(Exchange& ex) {
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  app::TemplatePreviewInput in;
  in.notification = body->RequiredString("notification");
  in.channel = body->RequiredString("channel");
  in.locale = body->RequiredString("locale");
  in.body = body->String("template", kMaxTemplateField);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  auto preview = ex.api().templates != nullptr ? ex.api().templates->Preview(ex.ctx(), in)
                                               : app::PreviewTemplate(in);
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

Response ListTemplates(Exchange& ex) {
  if (ex.api().templates == nullptr) return ProblemResponse(NotWired());
  app::TemplateListFilter f;
  if (Status s = ex.ReadPaging(&f.limit, &f.starting_after); !s.ok()) return ProblemResponse(s);
  f.source = ex.Query("source");
  auto page = ex.api().templates->List(ex.ctx(), f);
  if (!page.ok()) return ProblemResponse(page.status());
  json::array data;
  for (const app::TemplateView& v : page->items) data.push_back(TemplateJson(v, false));
  return JsonResponse(200, ListJson(std::move(data), page->has_more, page->next_cursor));
}

Response GetTemplate(Exchange& ex) {
  if (ex.api().templates == nullptr) return ProblemResponse(NotWired());
  auto v = ex.api().templates->Get(ex.ctx(), KeyOf(ex));
  if (!v.ok()) return ProblemResponse(v.status());
  Response r = JsonResponse(200, TemplateJson(*v, /*with_body=*/true));
  if (v->stored) r.SetHeader("ETag", "\"" + std::to_string(v->stored->version) + "\"");
  return r;
}

Response PutTemplate(Exchange& ex) {
  if (ex.api().templates == nullptr) return ProblemResponse(NotWired());
  auto body = ex.Body();
  if (!body.ok()) return ProblemResponse(body.status());
  std::string text = body->RequiredString("body", kMaxTemplateField);
  if (Status s = body->Finish(); !s.ok()) return ProblemResponse(s);
  bool dry_run = ex.ctx().dry_run;
  app::AnswerFn<app::StoredTemplate> answer = [&](const app::StoredTemplate& s) {
    return ToStored(RenderStored(s, dry_run));
  };
  auto stored = ex.api().templates->Put(ex.ctx(), KeyOf(ex), text, answer);
  if (!stored.ok()) return ProblemResponse(stored.status());
  return RenderStored(*stored, dry_run);
}

Response DeleteTemplate(Exchange& ex) {
  if (ex.api().templates == nullptr) return ProblemResponse(NotWired());
  app::AnswerFn<domain::NotificationTemplate> answer = [](const domain::NotificationTemplate&) {
    return ToStored(NoContent());
  };
  auto deleted = ex.api().templates->Delete(ex.ctx(), KeyOf(ex), answer);
  if (!deleted.ok()) return ProblemResponse(deleted.status());
  return NoContent();
}

}  // namespace sb::http::handlers::notifications
