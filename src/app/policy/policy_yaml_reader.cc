#include "app/policy/policy_yaml_reader.h"

#include <algorithm>
#include <limits>

namespace sb::app::policy_yaml {
namespace {

std::string LinePrefix(int line) { return line > 0 ? "line " + std::to_string(line) + ": " : ""; }

std::string Parent(const std::string& path) {
  size_t cut = path.find_last_of(".[");
  return cut == std::string::npos ? "" : path.substr(0, cut);
}

}  // namespace

Status Reader::Fail(const YAML::Node& n, const std::string& path, const std::string& message) {
  return Status::Invalid(path, LinePrefix(Note(n, path)) + path + ": " + message);
}

Status Reader::WithLine(const Status& s) const {
  std::string p = s.param();
  while (!p.empty()) {
    auto it = lines_.find(p);
    if (it != lines_.end()) return Status::Invalid(s.param(), LinePrefix(it->second) + s.message());
    p = Parent(p);
  }
  return s;
}

int Reader::Note(const YAML::Node& n, const std::string& path) {
  int line = n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
  if (line > 0) lines_.emplace(path, line);
  if (line == 0) {
    auto it = lines_.find(Parent(path));
    if (it != lines_.end()) line = it->second;
  }
  return line;
}

Status Reader::Map(const YAML::Node& n, const std::string& path, const Keys& allowed) {
  if (!n.IsDefined()) return Fail(n, path, "missing");
  if (!n.IsMap()) return Fail(n, path, "expected a map");
  for (const auto& kv : n) {
    std::string key = kv.first.Scalar();
    std::string kpath = path.empty() ? key : path + "." + key;
    Note(kv.first, kpath);
    if (allowed.size() && std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return Fail(kv.first, kpath, "unknown key '" + key + "'");
  }
  return Status::Ok();
}

Status Reader::Seq(const YAML::Node& n, const std::string& path) {
  if (!n.IsDefined()) return Fail(n, path, "missing");
  if (!n.IsSequence()) return Fail(n, path, "expected a list");
  Note(n, path);
  return Status::Ok();
}

Result<std::string> Reader::Str(const YAML::Node& n, const std::string& path) {
  if (!n.IsDefined()) return Fail(n, path, "missing");
  if (!n.IsScalar()) return Fail(n, path, "expected a string");
  Note(n, path);
  return n.Scalar();
}

Result<std::int64_t> Reader::Int(const YAML::Node& n, const std::string& path) {
  std::int64_t v = 0;
  if (!n.IsDefined()) return Fail(n, path, "missing");
  if (!n.IsScalar() || !YAML::convert<std::int64_t>::decode(n, v))
    return Fail(n, path, "expected an integer");
  Note(n, path);
  return v;
}

Result<int> Reader::SmallInt(const YAML::Node& n, const std::string& path) {
  SB_ASSIGN_OR_RETURN(std::int64_t v, Int(n, path));
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
    return Fail(n, path, "integer out of range");
  return static_cast<int>(v);
}

Result<bool> Reader::Bool(const YAML::Node& n, const std::string& path) {
  bool v = false;
  if (!n.IsDefined()) return Fail(n, path, "missing");
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v))
    return Fail(n, path, "expected true or false");
  Note(n, path);
  return v;
}

Result<std::vector<std::string>> Reader::Strings(const YAML::Node& n, const std::string& path) {
  SB_RETURN_IF_ERROR(Seq(n, path));
  std::vector<std::string> out;
  for (size_t i = 0; i < n.size(); ++i) {
    SB_ASSIGN_OR_RETURN(std::string s, Str(n[i], path + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace sb::app::policy_yaml
