#include "http/problem.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace sb::testing {
namespace {

TEST(Problem, MapsEveryCode) {
  const std::pair<Code, int> table[] = {
      {Code::kInvalidArgument, 400},  {Code::kUnauthenticated, 401},
      {Code::kPermissionDenied, 403}, {Code::kNotFound, 404},
      {Code::kConflict, 409},         {Code::kPreconditionFailed, 412},
      {Code::kTooLarge, 413},         {Code::kUnprocessable, 422},
      {Code::kRateLimited, 429},      {Code::kUnavailable, 503},
      {Code::kInternal, 500},         {Code::kAborted, 500},
  };
  for (auto [code, status] : table) EXPECT_EQ(http::HttpStatusFor(code), status);
}

TEST(Problem, RendersProblemJsonWithParam) {
  http::Response r =
      http::ProblemResponse(Status::Invalid("plan", "Field 'plan' is required.", "missing_field"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  auto o = boost::json::parse(r.body).as_object();
  EXPECT_EQ(o["type"], "https://switchboard.dev/problems/missing_field");
  EXPECT_EQ(o["code"], "missing_field");
  EXPECT_EQ(o["param"], "plan");
  EXPECT_EQ(o["status"], 400);
  EXPECT_EQ(o["detail"], "Field 'plan' is required.");
}

TEST(Problem, HidesInternalDetails) {
  http::Response r = http::ProblemResponse(Status::Internal("sqlite: disk I/O error at x.cc:12"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("sqlite"), std::string::npos);
}

}  // namespace
}  // namespace sb::testing
