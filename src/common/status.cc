#include "common/status.h"

namespace sb {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kNotFound:
      return "not_found";
    case Code::kConflict:
      return "conflict";
    case Code::kPreconditionFailed:
      return "precondition_failed";
    case Code::kTooLarge:
      return "too_large";
    case Code::kUnprocessable:
      return "unprocessable";
    case Code::kRateLimited:
      return "rate_limited";
    case Code::kAborted:
      return "aborted";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s(CodeName(code_));
  s += "/" + reason_ + ": " + message_;
  if (!param_.empty()) s += " (" + param_ + ")";
  return s;
}

}  // namespace sb
