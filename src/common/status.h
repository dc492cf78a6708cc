#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sb {

// What kind of failure a Status carries. The HTTP layer maps each to one status code;
// everything but kInternal and kUnavailable is an expected outcome of user input.
enum class Code {
  kOk,
  kInvalidArgument,     // malformed or out-of-range input (400)
  kUnauthenticated,     // no or bad credentials (401)
  kPermissionDenied,    // authenticated but not allowed (403)
  kNotFound,            // no such object in this tenant (404)
  kConflict,            // state conflict: illegal transition, duplicate, in flight (409)
  kPreconditionFailed,  // If-Match version is stale (412)
  kTooLarge,            // body or header over the limit (413)
  kUnprocessable,       // well-formed but refused by a rule (422)
  kRateLimited,         // too many requests (429)
  kAborted,             // transaction rolled back on purpose (dry run); never shown to users
  kUnavailable,         // a dependency is down (503)
  kInternal,            // a bug or broken infrastructure (500)
};

// Stable name of a code, e.g. "not_found".
std::string_view CodeName(Code code);

// A value describing success or an expected failure. `reason` is a stable machine code
// (e.g. "illegal_transition", "unknown_reason_code"); `param` names the offending input
// field when there is one. Cheap to move; thread-compatible.
class Status {
 public:
  Status() = default;
  Status(Code code, std::string reason, std::string message, std::string param = {})
      : code_(code),
        reason_(std::move(reason)),
        message_(std::move(message)),
        param_(std::move(param)) {}

  static Status Ok() { return {}; }
  static Status Invalid(std::string param, std::string message, std::string reason = "invalid") {
    return {Code::kInvalidArgument, std::move(reason), std::move(message), std::move(param)};
  }
  static Status NotFound(std::string what, std::string param = {}) {
    return {Code::kNotFound, "not_found", std::move(what) + " not found", std::move(param)};
  }
  static Status Conflict(std::string reason, std::string message, std::string param = {}) {
    return {Code::kConflict, std::move(reason), std::move(message), std::move(param)};
  }
  static Status Unprocessable(std::string reason, std::string message, std::string param = {}) {
    return {Code::kUnprocessable, std::move(reason), std::move(message), std::move(param)};
  }
  static Status PreconditionFailed(std::string message) {
    return {Code::kPreconditionFailed, "version_mismatch", std::move(message), "If-Match"};
  }
  static Status Unauthenticated(std::string message) {
    return {Code::kUnauthenticated, "unauthenticated", std::move(message)};
  }
  static Status PermissionDenied(std::string message) {
    return {Code::kPermissionDenied, "forbidden", std::move(message)};
  }
  static Status Aborted() { return {Code::kAborted, "aborted", "rolled back"}; }
  static Status Unavailable(std::string message) {
    return {Code::kUnavailable, "unavailable", std::move(message)};
  }
  static Status Internal(std::string message) {
    return {Code::kInternal, "internal", std::move(message)};
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  const std::string& param() const { return param_; }
  // "code: message (param)" for logs and test failures.
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string reason_;
  std::string message_;
  std::string param_;
};

// Either a T or a non-OK Status. REQUIRES: never constructed from an OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The failure; Status::Ok() when this holds a value.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }
  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace sb

// Early-return helpers for Status-returning and Result-returning functions.
#define SB_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::sb::Status sb_status_ = (expr);        \
    if (!sb_status_.ok()) return sb_status_; \
  } while (0)

#define SB_CONCAT_INNER(a, b) a##b
#define SB_CONCAT(a, b) SB_CONCAT_INNER(a, b)
#define SB_ASSIGN_OR_RETURN(lhs, expr) \
  SB_ASSIGN_OR_RETURN_IMPL(SB_CONCAT(sb_r_, __LINE__), lhs, expr)
#define SB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
