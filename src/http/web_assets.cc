#include "http/web_assets.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sb::http {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool PlainName(const std::string& name) {
  if (name.empty() || name.size() > 200 || name[0] == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string WebContentType(const std::string& name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".html", "text/html; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (EndsWith(name, ext)) return type;
  }
  return "application/octet-stream";
}

const char* WebContentSecurityPolicy() {
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
         "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
         "form-action 'self'; frame-ancestors 'none'";
}

Result<std::unique_ptr<WebAssets>> WebAssets::Load(const std::string& dir) {
  std::unique_ptr<WebAssets> out(new WebAssets());
  std::error_code ec;
  for (const char* shell : {"console", "portal"}) {
    std::optional<std::string> body = ReadFile(fs::path(dir) / (std::string(shell) + ".html"));
    if (!body) return Status::NotFound("web shell " + std::string(shell) + ".html in " + dir);
    out->shells_[shell] = WebFile{WebContentType(".html"), std::move(*body)};
  }
  fs::directory_iterator it(fs::path(dir) / "assets", ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    // A symbolic link could point anywhere on the machine: only plain files are served.
    if (!PlainName(name) || it->is_symlink(ec) || !it->is_regular_file(ec)) continue;
    std::optional<std::string> body = ReadFile(it->path());
    if (body) out->assets_[name] = WebFile{WebContentType(name), std::move(*body)};
  }
  return out;
}

const WebFile* WebAssets::Shell(const std::string& name) const {
  auto it = shells_.find(name);
  return it == shells_.end() ? nullptr : &it->second;
}

const WebFile* WebAssets::Asset(const std::string& name) const {
  auto it = assets_.find(name);
  return it == assets_.end() ? nullptr : &it->second;
}

}  // namespace sb::http
