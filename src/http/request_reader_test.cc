// What the server makes of the bytes of one request (http/request_reader.h), as a client
// would notice: the request it reads, or the answer that refuses it.
#include "http/request_reader.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

namespace sb::testing {
namespace {

using http::ParsedRequest;
using http::ParseRequestBytes;
using http::ServerOptions;

// The problem `code` of a refusal.
std::string Code(const ParsedRequest& p) {
  if (!p.refusal) return "(no refusal)";
  return std::string(boost::json::parse(p.refusal->body).at("code").as_string());
}

TEST(ParseRequestBytes, ReadsARequestWithItsHeadersAndBody) {
  ParsedRequest p = ParseRequestBytes(
      "POST /v1/accounts?dry_run=true HTTP/1.1\r\nHost: x\r\nX-Reason: a\r\nx-reason: b\r\n"
      "Content-Length: 2\r\n\r\n{}GET / HTTP/1.1\r\n\r\n",
      ServerOptions{});
  ASSERT_TRUE(p.request) << Code(p);
  EXPECT_EQ(p.request->method, "POST");
  EXPECT_EQ(p.request->target, "/v1/accounts?dry_run=true");
  EXPECT_EQ(p.request->Header("X-Reason"), "a, b");
  EXPECT_EQ(p.request->body, "{}");
}

TEST(ParseRequestBytes, AChunkedBodysTrailerAddsNoHeader) {
  ParsedRequest p = ParseRequestBytes(
      "POST /v1/events/ten_1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\n{}\r\n0\r\nAuthorization: Bearer forged\r\n\r\n",
      ServerOptions{});
  ASSERT_TRUE(p.request) << Code(p);
  EXPECT_EQ(p.request->body, "{}");
  EXPECT_FALSE(p.request->Header("Authorization"));
}

TEST(ParseRequestBytes, RefusesWhatIsOverTheLimitsOrNotHttp) {
  ServerOptions small;
  small.max_body_bytes = 10;
  small.max_header_bytes = 64;
  ParsedRequest body =
      ParseRequestBytes("PUT / HTTP/1.1\r\nContent-Length: 11\r\n\r\n01234567890", small);
  ASSERT_TRUE(body.refusal);
  EXPECT_EQ(body.refusal->status, 413);
  EXPECT_EQ(Code(body), "body_too_large");
  ParsedRequest head = ParseRequestBytes(
      "GET / HTTP/1.1\r\nX-Comment: " + std::string(100, 'a') + "\r\n\r\n", small);
  EXPECT_EQ(head.refusal ? head.refusal->status : 0, 431);
  ParsedRequest junk = ParseRequestBytes("\x01\x02 not http\r\n\r\n", small);
  EXPECT_EQ(junk.refusal ? junk.refusal->status : 0, 400);
  EXPECT_EQ(Code(junk), "malformed_request");
  ParsedRequest cut = ParseRequestBytes("PUT / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", small);
  EXPECT_EQ(Code(cut), "malformed_request");
  // Cut after the last chunk's size line, before its trailer's end: found by
  // tests/fuzz/http_request_fuzz, when the bytes were offered to Beast a second time.
  ParsedRequest last = ParseRequestBytes(
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n", small);
  EXPECT_EQ(Code(last), "malformed_request");
  ParsedRequest none = ParseRequestBytes("", small);
  EXPECT_FALSE(none.request);
  EXPECT_FALSE(none.refusal);
}

}  // namespace
}  // namespace sb::testing
