#include "http/router.h"

#include <utility>

namespace sb::http {
namespace {

bool MatchSegments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                   std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (path[i].empty()) return false;
      found[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

}  // namespace

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = path.empty() || path[0] != '/' ? 0 : 1;
  while (true) {
    size_t slash = path.find('/', start);
    out.push_back(
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

std::optional<std::vector<std::string>> DecodedSegments(const std::string& raw_path) {
  std::vector<std::string> segments = SplitPath(raw_path);
  std::string decoded;
  for (std::string& segment : segments) {
    if (!PercentDecode(segment, &decoded, false)) return std::nullopt;
    segment.swap(decoded);
  }
  return segments;
}

void Router::Add(Route route) {
  Entry e{std::move(route), {}};
  e.segments = SplitPath(e.route.pattern);
  entries_.push_back(std::move(e));
}

std::vector<const Route*> Router::Routes() const {
  std::vector<const Route*> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(&e.route);
  return out;
}

RouteMatch Router::Match(const std::string& method, const std::string& raw_path) const {
  std::optional<std::vector<std::string>> segments = DecodedSegments(raw_path);
  if (!segments) return RouteMatch{};
  return Match(method, *segments);
}

RouteMatch Router::Match(const std::string& method,
                         const std::vector<std::string>& segments) const {
  RouteMatch m;
  for (const Entry& e : entries_) {
    std::map<std::string, std::string> params;
    if (!MatchSegments(e.segments, segments, &params)) continue;
    if (e.route.method != method) {
      m.method_not_allowed = true;
      continue;
    }
    m.route = &e.route;
    m.params = std::move(params);
    m.method_not_allowed = false;
    return m;
  }
  return m;
}

}  // namespace sb::http
