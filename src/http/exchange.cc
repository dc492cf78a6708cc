#include "http/exchange.h"

#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

#include "http/json_view.h"
#include "http/problem.h"

namespace sb::http {

std::optional<std::string> Exchange::Query(const std::string& name) const {
  auto it = request_.query.find(name);
  if (it == request_.query.end()) return std::nullopt;
  return it->second;
}

Status Exchange::QueryInt(const std::string& name, std::int64_t min, std::int64_t max,
                          std::optional<std::int64_t>* out) const {
  std::optional<std::string> v = Query(name);
  if (!v) return Status::Ok();
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec == std::errc::result_out_of_range) {
    return Status::Invalid(name, "'" + name + "' is out of range.", "out_of_range");
  }
  if (ec != std::errc() || end != v->data() + v->size()) {
    return Status::Invalid(name, "'" + name + "' must be an integer.", "wrong_type");
  }
  if (n < min || n > max) {
    return Status::Invalid(name,
                           "'" + name + "' must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + ".",
                           "out_of_range");
  }
  *out = n;
  return Status::Ok();
}

std::optional<app::BulkFormat> Exchange::UploadFormat() const {
  std::string type = request_.Header("Content-Type").value_or("");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back()))) type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "text/csv") return app::BulkFormat::kCsv;
  if (type == "application/x-ndjson") return app::BulkFormat::kNdjson;
  return std::nullopt;
}

Response MalformedUpload(const app::BulkRowError& e) {
  return ProblemResponse(400, "malformed_upload",
                         "The file cannot be read at " + app::RowErrorPlace(e) + ": " + e.code +
                             ". Nothing was stored.",
                         e.column);
}

std::unique_ptr<std::istream> Exchange::UploadBody() const {
  if (!request_.spooled) return std::make_unique<std::istringstream>();
  return std::make_unique<std::ifstream>(request_.spooled->path, std::ios::binary);
}

Status Exchange::QueryBool(const std::string& name, std::optional<bool>* out) const {
  std::optional<std::string> v = Query(name);
  if (!v) return Status::Ok();
  if (*v == "true") {
    *out = true;
  } else if (*v == "false") {
    *out = false;
  } else {
    return Status::Invalid(name, "'" + name + "' must be true or false.", "wrong_type");
  }
  return Status::Ok();
}

Status Exchange::ReadPaging(int* limit, std::string* starting_after) const {
  std::optional<std::int64_t> n;
  SB_RETURN_IF_ERROR(QueryInt("limit", 1, 100, &n));
  *limit = static_cast<int>(n.value_or(20));
  *starting_after = Query("starting_after").value_or("");
  return Status::Ok();
}

Response JsonResponse(int status, const boost::json::object& body) {
  Response r;
  r.status = status;
  r.SetHeader("Content-Type", "application/json");
  r.body = boost::json::serialize(body);
  return r;
}

Response RenderChange(const app::ChangeOutcome& outcome, bool dry_run, int created_status) {
  Response r = JsonResponse(dry_run ? 200 : created_status, ToJson(outcome, dry_run));
  r.SetHeader("ETag", "\"" + std::to_string(outcome.account.account.version) + "\"");
  return r;
}

app::StoredAnswer ToStored(const Response& r) {
  boost::json::object headers;
  for (const auto& [k, v] : r.headers) headers[k] = v;
  return app::StoredAnswer{r.status, boost::json::serialize(headers), r.body};
}

Response FromStored(const app::StoredAnswer& a) {
  Response r;
  r.status = a.status_code;
  r.body = a.body;
  boost::system::error_code ec;
  boost::json::value headers = boost::json::parse(a.headers_json, ec);
  if (!ec && headers.is_object()) {
    for (const auto& [k, v] : headers.as_object()) {
      if (v.is_string()) r.SetHeader(std::string(k), std::string(v.as_string()));
    }
  }
  return r;
}

Response RespondChange(Exchange& ex, int created_status, const ChangeCall& call) {
  bool dry_run = ex.ctx().dry_run;
  app::AnswerFn<app::ChangeOutcome> answer = [&](const app::ChangeOutcome& o) {
    return ToStored(RenderChange(o, dry_run, created_status));
  };
  Result<app::ChangeOutcome> r = call(answer);
  if (!r.ok()) return ProblemResponse(r.status());
  return RenderChange(*r, dry_run, created_status);
}

}  // namespace sb::http
