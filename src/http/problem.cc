#include "http/problem.h"

#include <boost/json.hpp>

namespace sb::http {

const char* ProblemTitle(int http_status) {
  switch (http_status) {
    case 400:
      return "Bad request";
    case 401:
      return "Unauthenticated";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 405:
      return "Method not allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition failed";
    case 413:
      return "Payload too large";
    case 415:
      return "Unsupported media type";
    case 422:
      return "Unprocessable request";
    case 429:
      return "Too many requests";
    case 431:
      return "Request header fields too large";
    case 500:
      return "Internal error";
    case 503:
      return "Service unavailable";
  }
  // A status added without a title still gets one of its class, never another status's.
  return http_status >= 500 ? "Server error" : "Client error";
}

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kConflict:
      return 409;
    case Code::kPreconditionFailed:
      return 412;
    case Code::kTooLarge:
      return 413;
    case Code::kUnprocessable:
      return 422;
    case Code::kRateLimited:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kAborted:
    case Code::kInternal:
      return 500;
  }
  return 500;
}

std::string ProblemType(const std::string& reason) {
  return "https://switchboard.dev/problems/" + (reason.empty() ? std::string("error") : reason);
}

Response ProblemResponse(const Status& status) {
  int http_status = HttpStatusFor(status.code());
  if (http_status == 500) return ProblemResponse(500, "internal", "An internal error occurred.");
  return ProblemResponse(http_status, status.reason(), status.message(), status.param());
}

Response ProblemResponse(int http_status, const std::string& reason, const std::string& detail,
                         const std::string& param) {
  boost::json::object o;
  o["type"] = ProblemType(reason);
  o["title"] = ProblemTitle(http_status);
  o["status"] = http_status;
  o["detail"] = detail;
  o["code"] = reason.empty() ? std::string("error") : reason;
  if (!param.empty()) o["param"] = param;
  Response r;
  r.status = http_status;
  r.SetHeader("Content-Type", "application/problem+json");
  r.body = boost::json::serialize(o);
  return r;
}

}  // namespace sb::http
