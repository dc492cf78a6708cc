#include "http/router.h"

#include <gtest/gtest.h>

namespace sb::testing {
namespace {

using http::Access;
using http::Route;
using http::Router;

Router MakeRouter() {
  Router r;
  r.Add(Route{"GET", "/v1/accounts", Access::kRead, nullptr});
  r.Add(Route{"POST", "/v1/accounts", Access::kWrite, nullptr});
  r.Add(Route{"GET", "/v1/accounts/{id}", Access::kRead, nullptr});
  r.Add(Route{"POST", "/v1/accounts/{id}/holds", Access::kWrite, nullptr});
  r.Add(Route{"POST", "/v1/holds/{id}/lift", Access::kWrite, nullptr});
  return r;
}

TEST(Router, MatchesLiteralRoutesByMethod) {
  Router r = MakeRouter();
  auto get = r.Match("GET", "/v1/accounts");
  ASSERT_NE(get.route, nullptr);
  EXPECT_EQ(get.route->method, "GET");
  auto post = r.Match("POST", "/v1/accounts");
  ASSERT_NE(post.route, nullptr);
  EXPECT_EQ(post.route->access, Access::kWrite);
}

TEST(Router, ListsEveryRouteInTheOrderAdded) {
  Router r = MakeRouter();
  std::vector<std::string> listed;
  for (const Route* route : r.Routes()) listed.push_back(route->method + " " + route->pattern);
  EXPECT_EQ(listed, (std::vector<std::string>{
                        "GET /v1/accounts", "POST /v1/accounts", "GET /v1/accounts/{id}",
                        "POST /v1/accounts/{id}/holds", "POST /v1/holds/{id}/lift"}));
}

TEST(Router, CapturesParameters) {
  Router r = MakeRouter();
  auto m = r.Match("POST", "/v1/accounts/acc_123/holds");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/v1/accounts/{id}/holds");
  EXPECT_EQ(m.params.at("id"), "acc_123");
}

TEST(Router, UnknownPathMatchesNothing) {
  Router r = MakeRouter();
  for (const char* path : {"/v1/account", "/v1/accounts/a/b", "/", "/v1/accounts//holds",
                           "/v1/accounts/", "/v2/accounts"}) {
    auto m = r.Match("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_FALSE(m.method_not_allowed) << path;
  }
}

TEST(Router, WrongMethodIsReported) {
  Router r = MakeRouter();
  auto m = r.Match("DELETE", "/v1/accounts/acc_1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.method_not_allowed);
}

// The raw path is split before its segments are decoded: "%2F" is part of a segment.
TEST(Router, EncodedSlashesDoNotSeparateSegments) {
  Router r = MakeRouter();
  for (const char* path :
       {"/v1%2Faccounts", "/v1/accounts%2Facc_1", "/v1%2faccounts%2facc_1", "/v1/holds/h%2F1"}) {
    auto m = r.Match("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_FALSE(m.method_not_allowed) << path;
  }
  // The id then holds the slash; no account or hold has such an id: the use case answers 404.
  auto holds = r.Match("GET", "/v1/accounts/acc_1%2Fholds");
  ASSERT_NE(holds.route, nullptr);
  EXPECT_EQ(holds.route->pattern, "/v1/accounts/{id}");
  EXPECT_EQ(holds.params.at("id"), "acc_1/holds");
  auto lift = r.Match("POST", "/v1/holds/h%2F1/lift");
  ASSERT_NE(lift.route, nullptr);
  EXPECT_EQ(lift.params.at("id"), "h/1");
  auto encoded = r.Match("GET", "/v1/%61ccounts/acc%5F1");
  ASSERT_NE(encoded.route, nullptr);
  EXPECT_EQ(encoded.params.at("id"), "acc_1");
  EXPECT_EQ(r.Match("GET", "/v1/accounts/a%zz").route, nullptr);
}

TEST(DecodedSegments, SplitsThenDecodes) {
  EXPECT_EQ(http::DecodedSegments("/v1/a%2Fb/"), (std::vector<std::string>{"v1", "a/b", ""}));
  EXPECT_EQ(http::DecodedSegments("/v1/a+b%20c"), (std::vector<std::string>{"v1", "a+b c"}));
  EXPECT_FALSE(http::DecodedSegments("/v1/%4").has_value());
}

TEST(ParseTarget, SplitsAndDecodesQuery) {
  std::string path;
  std::map<std::string, std::string> q;
  ASSERT_TRUE(http::ParseTarget("/v1/accounts?limit=5&external_ref=a%20b&x", &path, &q));
  EXPECT_EQ(path, "/v1/accounts");
  EXPECT_EQ(q.at("limit"), "5");
  EXPECT_EQ(q.at("external_ref"), "a b");
  EXPECT_EQ(q.at("x"), "");
  ASSERT_TRUE(http::ParseTarget("/v1%2Faccounts%2Facc_1?a=b%2Fc", &path, &q));
  EXPECT_EQ(path, "/v1%2Faccounts%2Facc_1");  // raw: the router decodes per segment
  EXPECT_EQ(q.at("a"), "b/c");
}

TEST(ParseTarget, RefusesBrokenTargets) {
  std::string path;
  std::map<std::string, std::string> q;
  EXPECT_FALSE(http::ParseTarget("v1/accounts", &path, &q));
  EXPECT_FALSE(http::ParseTarget("/v1/a%zz", &path, &q));
  EXPECT_FALSE(http::ParseTarget("/v1/a?x=%4", &path, &q));
  EXPECT_FALSE(http::ParseTarget("/v1/a%00b", &path, &q));
}

}  // namespace
}  // namespace sb::testing
