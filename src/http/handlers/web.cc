#include "http/handlers/web.h"

#include "http/problem.h"
#include "http/server.h"
#include "http/web_assets.h"

namespace sb::http::handlers::web {
namespace {

// What every web answer says about itself whatever its type: no sniffing another type, no
// referrer leaving the site.
void CommonHeaders(Response& r, const WebFile& file) {
  r.SetHeader("Content-Type", file.content_type);
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Referrer-Policy", "no-referrer");
}

Response ShellAnswer(Exchange& ex, const char* name) {
  const WebAssets* assets = ex.options().web_assets;
  const WebFile* shell = assets == nullptr ? nullptr : assets->Shell(name);
  if (shell == nullptr) {
    return ProblemResponse(404, "not_found", "The web console is not installed on this server.");
  }
  Response r;
  CommonHeaders(r, *shell);
  r.SetHeader("Content-Security-Policy", WebContentSecurityPolicy());
  r.SetHeader("X-Frame-Options", "DENY");
  r.SetHeader("Cache-Control", "no-cache");
  r.body = shell->body;
  return r;
}

}  // namespace

Response Console(Exchange& ex) { return ShellAnswer(ex, "console"); }

Response Portal(Exchange& ex) { return ShellAnswer(ex, "portal"); }

Response Asset(Exchange& ex) {
  const WebAssets* assets = ex.options().web_assets;
  const WebFile* file = assets == nullptr ? nullptr : assets->Asset(ex.Param("name"));
  if (file == nullptr) return ProblemResponse(Status::NotFound("Asset"));
  Response r;
  CommonHeaders(r, *file);
  r.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
  r.body = file->body;
  return r;
}

}  // namespace sb::http::handlers::web
