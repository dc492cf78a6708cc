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

// Every status the server answers with a problem (each Code's, and the explicit ones of
// the router, the server and the media-type checks) carries its own title.
TEST(Problem, TitleFitsEveryStatusTheServerAnswers) {
  const std::pair<int, const char*> table[] = {
      {400, "Bad request"},
      {401, "Unauthenticated"},
      {403, "Forbidden"},
      {404, "Not found"},
      {405, "Method not allowed"},
      {409, "Conflict"},
      {412, "Precondition failed"},
      {413, "Payload too large"},
      {415, "Unsupported media type"},
      {422, "Unprocessable request"},
      {429, "Too many requests"},
      {431, "Request header fields too large"},
      {500, "Internal error"},
      {503, "Service unavailable"},
  };
  for (auto [status, title] : table) {
    http::Response r = http::ProblemResponse(status, "some_reason", "detail");
    EXPECT_EQ(boost::json::parse(r.body).at("title"), title) << status;
  }
  for (Code code :
       {Code::kInvalidArgument, Code::kUnauthenticated, Code::kPermissionDenied, Code::kNotFound,
        Code::kConflict, Code::kPreconditionFailed, Code::kTooLarge, Code::kUnprocessable,
        Code::kRateLimited, Code::kUnavailable, Code::kInternal}) {
    int status = http::HttpStatusFor(code);
    http::Response r = http::ProblemResponse(Status(code, "r", "m"));
    bool known = false;
    for (auto [s, title] : table) {
      if (s == status) known = boost::json::parse(r.body).at("title") == title;
    }
    EXPECT_TRUE(known) << status;
  }
  // A status without a phrase of its own is titled by its class, not as another one.
  EXPECT_STREQ(http::ProblemTitle(418), "Client error");
  EXPECT_STREQ(http::ProblemTitle(502), "Server error");
}

TEST(Problem, HidesInternalDetails) {
  http::Response r = http::ProblemResponse(Status::Internal("sqlite: disk I/O error at x.cc:12"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("sqlite"), std::string::npos);
}

}  // namespace
}  // namespace sb::testing
