#pragma once

// The web console's and the customer portal's built files (web/, bundled by web/build.mjs),
// read once at start and served from memory. Only the files found at start are ever served,
// by exact name: a request cannot name a path on disk, so there is nothing to traverse.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"

namespace sb::http {

// One file to answer with.
struct WebFile {
  std::string content_type;
  std::string body;
};

// Immutable after Load; lookups are thread-safe.
class WebAssets {
 public:
  // Reads `dir`: the HTML shells `console.html` and `portal.html` and every regular file
  // (not a symbolic link) directly under `dir/assets` whose name is made of letters, digits,
  // '.', '_' and '-' and does not start with '.' (anything else there is skipped). kNotFound when
  // `dir` or a shell is missing; the server then answers 404 on the web routes and serves the API
  // as usual.
  static Result<std::unique_ptr<WebAssets>> Load(const std::string& dir);

  // The shell of "console" or "portal"; null for any other name.
  const WebFile* Shell(const std::string& name) const;
  // The asset of that exact file name; null when there is none.
  const WebFile* Asset(const std::string& name) const;
  size_t asset_count() const { return assets_.size(); }

 private:
  std::map<std::string, WebFile> shells_;
  std::map<std::string, WebFile> assets_;
};

// The Content-Type of a file name by its extension (text types with charset=utf-8);
// application/octet-stream for an unknown one.
std::string WebContentType(const std::string& file_name);

// The Content-Security-Policy of every HTML answer: scripts, styles, images, fonts and
// connections from this origin only, no inline script or style, no plugins, no framing.
const char* WebContentSecurityPolicy();

}  // namespace sb::http
