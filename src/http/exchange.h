#pragma once

// What a handler works with: the request, its route parameters, the call context built
// from the key and the headers, the use cases, and helpers to read the query and render
// answers. One per request; not shared between threads.

#include <boost/json.hpp>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "app/bulk/record_file.h"
#include "app/core/context.h"
#include "domain/enums.h"
#include "http/json_reader.h"
#include "http/server.h"
#include "http/types.h"

namespace sb::http {

class Metrics;

class Exchange {
 public:
  Exchange(const Request& request, std::map<std::string, std::string> params, const Api& api,
           const ServerOptions& options, Metrics& metrics)
      : request_(request),
        params_(std::move(params)),
        api_(api),
        options_(options),
        metrics_(metrics) {}

  const Request& request() const { return request_; }
  // A route parameter. REQUIRES: the route pattern has `{name}`.
  const std::string& Param(const std::string& name) const { return params_.at(name); }
  app::CallContext& ctx() { return ctx_; }
  // The session cookie the call was authenticated by; empty for API keys and public routes.
  const std::string& session_token() const { return session_token_; }
  void set_session_token(std::string token) { session_token_ = std::move(token); }
  const Api& api() const { return api_; }
  const ServerOptions& options() const { return options_; }
  Metrics& metrics() { return metrics_; }

  // The body as a strict JSON object (see JsonReader::Parse).
  Result<JsonReader> Body(bool allow_empty = false) const {
    return JsonReader::Parse(request_.body, allow_empty);
  }
  // A query parameter, or nullopt.
  std::optional<std::string> Query(const std::string& name) const;
  // `limit` (1..100, default 20) and `starting_after`.
  Status ReadPaging(int* limit, std::string* starting_after) const;
  // An integer query parameter within [min, max]; 400 naming it otherwise.
  Status QueryInt(const std::string& name, std::int64_t min, std::int64_t max,
                  std::optional<std::int64_t>* out) const;
  // A boolean query parameter ("true"/"false").
  Status QueryBool(const std::string& name, std::optional<bool>* out) const;
  // The format of an upload's body (BodyType::kUpload) by its Content-Type: text/csv or
  // application/x-ndjson (parameters and case aside); nullopt for anything else.
  std::optional<app::BulkFormat> UploadFormat() const;
  // The upload's spooled body, opened (an empty stream when nothing was spooled).
  std::unique_ptr<std::istream> UploadBody() const;
  // An enum query parameter by wire name.
  template <typename E>
  Status QueryEnum(const std::string& name, std::optional<E>* out) const {
    std::optional<std::string> v = Query(name);
    if (!v) return Status::Ok();
    *out = domain::Parse<E>(*v);
    if (!*out) return Status::Invalid(name, "Unknown value for '" + name + "'.", "invalid_value");
    return Status::Ok();
  }

 private:
  const Request& request_;
  std::map<std::string, std::string> params_;
  const Api& api_;
  const ServerOptions& options_;
  Metrics& metrics_;
  app::CallContext ctx_;
  std::string session_token_;
};

// The 400 `malformed_upload` of an upload that cannot be read (BodyType::kUpload routes),
// naming the row and column where reading stopped.
Response MalformedUpload(const app::BulkRowError& where);

// A JSON answer with the given status.
Response JsonResponse(int status, const boost::json::object& body);

// The answer to a successful change: `created_status` (200 or 201; 200 for dry runs), the
// change as JSON, ETag of the account version.
Response RenderChange(const app::ChangeOutcome& outcome, bool dry_run, int created_status);

// Response <-> the stored answer of an Idempotency-Key.
app::StoredAnswer ToStored(const Response& r);
Response FromStored(const app::StoredAnswer& a);

using ChangeCall =
    std::function<Result<app::ChangeOutcome>(const app::AnswerFn<app::ChangeOutcome>&)>;

// Runs a write use case, handing it an AnswerFn that renders exactly the answer sent.
Response RespondChange(Exchange& ex, int created_status, const ChangeCall& call);

}  // namespace sb::http
