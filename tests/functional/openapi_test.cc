// GET /v1/openapi.json: the contract the server was built with, without an API key, with an
// ETag a client revalidates with.

#include "http/openapi.h"

#include <gtest/gtest.h>

#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class OpenApiRoute : public Functional {};

TEST_P(OpenApiRoute, ServesTheEmbeddedDocumentWithoutAKey) {
  HttpResponse r = CallAs("", "GET", "/v1/openapi.json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.Json(), http::OpenApiDocument()) << "the served document is api/openapi.yaml";
  EXPECT_EQ(r.Json().at("openapi").as_string(), "3.1.0");
  EXPECT_TRUE(r.Json().at("paths").as_object().contains("/v1/openapi.json"));
  EXPECT_EQ(r.Header("ETag"), http::OpenApiETag());
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=300");
}

TEST_P(OpenApiRoute, AnswersNotModifiedToItsOwnETag) {
  std::string etag = CallAs("", "GET", "/v1/openapi.json").Header("ETag");
  ASSERT_FALSE(etag.empty());
  HttpResponse same = CallAs("", "GET", "/v1/openapi.json", "", {{"If-None-Match", etag}});
  EXPECT_EQ(same.status, 304);
  EXPECT_EQ(same.body, "");
  EXPECT_EQ(same.Header("ETag"), etag);
  HttpResponse other = CallAs("", "GET", "/v1/openapi.json", "", {{"If-None-Match", "\"old\""}});
  EXPECT_EQ(other.status, 200);
  EXPECT_FALSE(other.body.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, OpenApiRoute, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
