#include "tests/support/openapi_contract.h"

#include <algorithm>
#include <cctype>

#include "http/openapi.h"
#include "tests/support/json_schema.h"
#include "tests/support/text.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

const char* const kMethods[] = {"get", "put", "post", "delete", "patch", "head", "options"};

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (true) {
    size_t slash = path.find('/', start);
    out.push_back(
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

// `s` percent-decoded ("%61" reads "a"), as the router decodes each segment.
std::string Decoded(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() + 0 &&
        std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The documented path `raw_path` falls under ("" when none), literal segments preferred.
std::string FindPath(const json::object& paths, const std::string& raw_path) {
  std::vector<std::string> want = Segments(raw_path);
  for (std::string& segment : want) segment = Decoded(segment);
  std::string best;
  int best_literals = -1;
  for (const auto& [pattern, item] : paths) {
    std::vector<std::string> have = Segments(std::string(pattern));
    if (have.size() != want.size()) continue;
    int literals = 0;
    bool ok = true;
    for (size_t i = 0; i < have.size() && ok; ++i) {
      bool param = have[i].size() > 2 && have[i].front() == '{' && have[i].back() == '}';
      if (param) {
        ok = !want[i].empty();
      } else {
        ok = have[i] == want[i];
        ++literals;
      }
    }
    if (ok && literals > best_literals) {
      best = std::string(pattern);
      best_literals = literals;
    }
  }
  return best;
}

std::string MediaType(const std::string& content_type) {
  std::string t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return AsciiLower(t);
}

bool IsJson(const std::string& media) {
  return media == "application/json" ||
         (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
}

class Contract {
 public:
  Contract() : doc_(http::OpenApiDocument()), validator_(doc_) {}

  std::vector<std::string> Check(const std::string& method, const std::string& target,
                                 const HttpResponse& answer) const {
    std::vector<std::string> out;
    std::string path = target.substr(0, target.find('?'));
    std::string where = method + " " + path + " -> " + std::to_string(answer.status);
    const json::object& paths = doc_.at("paths").as_object();
    std::string pattern = FindPath(paths, path);
    const json::value* op = nullptr;
    if (!pattern.empty()) op = paths.at(pattern).as_object().if_contains(AsciiLower(method));
    if (op == nullptr) {
      // Not routed: only the refusals the server makes before (or instead of) a route.
      std::vector<int> allowed = pattern.empty() ? std::vector<int>{400, 404, 413, 431}
                                                 : std::vector<int>{400, 405, 413, 431};
      if (std::find(allowed.begin(), allowed.end(), answer.status) == allowed.end()) {
        out.push_back(
            where + ": " +
            (pattern.empty() ? "no documented path" : "method not documented on " + pattern) +
            " answers only a problem with " +
            (pattern.empty() ? "400/404/413/431" : "400/405/413/431"));
        return out;
      }
      CheckBody(where, "application/problem+json", Ref("#/components/schemas/Problem"), answer,
                &out);
      return out;
    }
    where = method + " " + pattern + " -> " + std::to_string(answer.status);
    const json::value* response =
        op->as_object().at("responses").as_object().if_contains(std::to_string(answer.status));
    if (response == nullptr) {
      out.push_back(where + ": status not documented for this operation");
      return out;
    }
    response = Deref(*response);
    const json::value* content = response->as_object().if_contains("content");
    if (content == nullptr) {
      if (!answer.body.empty()) out.push_back(where + ": documented without a body, got one");
      return out;
    }
    std::string media = MediaType(answer.Header("Content-Type"));
    const json::value* entry = content->as_object().if_contains(media);
    if (entry == nullptr) {
      out.push_back(where + ": Content-Type '" + media + "' is not documented");
      return out;
    }
    const json::value* schema = entry->as_object().if_contains("schema");
    CheckBody(where, media, schema, answer, &out);
    return out;
  }

  std::vector<std::string> Operations() const {
    std::vector<std::string> out;
    for (const auto& [pattern, item] : doc_.at("paths").as_object()) {
      for (const char* m : kMethods) {
        if (item.as_object().contains(m)) {
          std::string upper = m;
          for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          out.push_back(upper + " " + std::string(pattern));
        }
      }
    }
    return out;
  }

 private:
  const json::value* Ref(const std::string& ref) const { return validator_.Resolve(ref); }

  // A response object, following its $ref.
  const json::value* Deref(const json::value& v) const {
    const json::value* cur = &v;
    for (int i = 0; i < 8 && cur->is_object() && cur->as_object().contains("$ref"); ++i) {
      cur = Ref(std::string(cur->as_object().at("$ref").as_string()));
    }
    return cur;
  }

  void CheckBody(const std::string& where, const std::string& media, const json::value* schema,
                 const HttpResponse& answer, std::vector<std::string>* out) const {
    if (MediaType(answer.Header("Content-Type")) != media) {
      out->push_back(where + ": expected Content-Type " + media + ", got '" +
                     answer.Header("Content-Type") + "'");
      return;
    }
    if (!IsJson(media) || schema == nullptr) return;
    boost::system::error_code ec;
    json::value body = json::parse(answer.body, ec);
    if (ec) {
      out->push_back(where + ": the body is not JSON: " + answer.body.substr(0, 80));
      return;
    }
    for (const std::string& e : validator_.Validate(*schema, body))
      out->push_back(where + ": " + e);
  }

  const json::value& doc_;
  JsonSchemaValidator validator_;
};

const Contract& TheContract() {
  static const Contract contract;
  return contract;
}

}  // namespace

std::vector<std::string> ContractMismatches(const std::string& method, const std::string& target,
                                            const HttpResponse& answer) {
  return TheContract().Check(method, target, answer);
}

std::vector<std::string> DocumentedOperations() { return TheContract().Operations(); }

}  // namespace sb::testing
