#include "http/types.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace sb::http {
namespace {

// Header names are ASCII (RFC 9110 tokens): folded without the C locale's tolower, which is a
// call per character.
char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IEquals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

SpooledBody::~SpooledBody() {
  if (!path.empty()) std::remove(path.c_str());
}

bool PercentDecode(std::string_view in, std::string* out, bool plus_is_space) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+' && plus_is_space) {
      out->push_back(' ');
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

bool HeaderLess::operator()(const std::string& a, const std::string& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return static_cast<unsigned char>(AsciiLower(x)) < static_cast<unsigned char>(AsciiLower(y));
  });
}

std::optional<std::string> Request::Header(const std::string& name) const {
  auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

void Response::SetHeader(const std::string& name, std::string value) {
  for (auto& [k, v] : headers) {
    if (IEquals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(name, std::move(value));
}

std::optional<std::string> Response::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return std::nullopt;
}

bool ParseTarget(const std::string& target, std::string* path,
                 std::map<std::string, std::string>* query, std::string* repeated) {
  if (target.empty() || target[0] != '/') return false;
  size_t q = target.find('?');
  *path = target.substr(0, q);
  // Only checked here: routing decodes each segment after splitting the raw path.
  std::string decoded;
  if (!PercentDecode(*path, &decoded, false)) return false;
  if (decoded.find('\0') != std::string::npos) return false;
  query->clear();
  if (q == std::string::npos) return true;
  std::string rest = target.substr(q + 1);
  size_t start = 0;
  while (start <= rest.size()) {
    size_t amp = rest.find('&', start);
    std::string part =
        rest.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      std::string key, value;
      if (!PercentDecode(part.substr(0, eq), &key, true)) return false;
      if (eq != std::string::npos && !PercentDecode(part.substr(eq + 1), &value, true)) {
        return false;
      }
      auto [at, added] = query->emplace(key, value);
      if (!added && repeated != nullptr && repeated->empty()) *repeated = at->first;
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return true;
}

}  // namespace sb::http
