#include "http/input_checks.h"

#include <gtest/gtest.h>

namespace sb::testing {
namespace {

using http::CheckInput;
using http::CheckRequestId;
using http::IsValidUtf8;

TEST(IsValidUtf8, AcceptsWellFormedTextOnly) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  for (std::string_view bad :
       {std::string_view("caf\xe9"), std::string_view("\xc3"), std::string_view("\xc3\x28"),
        std::string_view("\xc0\xaf"),          // overlong '/'
        std::string_view("\xed\xa0\x80"),      // a surrogate
        std::string_view("\xf4\x90\x80\x80"),  // past U+10FFFF
        std::string_view("\xff"), std::string_view("a\x80")}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << bad;
  }
}

TEST(CheckRequestId, RefusesOtherThanShortTokensAndCardNumbers) {
  EXPECT_TRUE(CheckRequestId("req-42:a.b_c").ok());
  EXPECT_TRUE(CheckRequestId("1234567890").ok());
  EXPECT_EQ(CheckRequestId("").reason(), "invalid_header");
  EXPECT_EQ(CheckRequestId(std::string(129, 'a')).reason(), "invalid_header");
  EXPECT_EQ(CheckRequestId("a b").reason(), "invalid_header");
  EXPECT_EQ(CheckRequestId("caf\xc3\xa9").reason(), "invalid_header");
  Status card = CheckRequestId("rid-4111-1111-1111-1111");
  EXPECT_EQ(card.reason(), "card_number_refused");
  EXPECT_EQ(card.param(), "X-Request-Id");
  EXPECT_EQ(card.message().find("4111"), std::string::npos);
  EXPECT_EQ(http::NewRequestId().rfind("rid_", 0), 0u);
}

http::Request Req(std::string target, std::map<std::string, std::string> headers = {},
                  std::string method = "POST") {
  http::Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  for (auto& [k, v] : headers) r.headers[k] = v;
  return r;
}

TEST(CheckInput, NamesWhatIsNotUtf8OrACardNumber) {
  struct Case {
    http::Request request;
    std::string reason;  // "" for OK
    std::string param;
  };
  const Case cases[] = {
      {Req("/v1/accounts?limit=5", {{"X-Comment", "caf\xc3\xa9"}}), "", ""},
      {Req("/v1/accounts", {{"X-Comment", "caf\xe9"}}), "invalid_utf8", "X-Comment"},
      {Req("/v1/accounts", {{"User-Agent", "\xff"}}), "invalid_utf8", "User-Agent"},
      {Req("/v1/accounts/acc_%E9"), "invalid_utf8", "path"},
      {Req("/v1/accounts?starting_after=%C3"), "invalid_utf8", "starting_after"},
      {Req("/v1/accounts?%FF=1"), "invalid_utf8", "query"},
      {Req("/v1/events/4111111111111111"), "card_number_refused", "path"},
      {Req("/v1/accounts/4111%201111%201111%201111"), "card_number_refused", "path"},
      {Req("/v1/accounts?note=4111%EF%BC%8E1111.1111.1111"), "card_number_refused", "note"},
      {Req("/v1/events/t?4111111111111111"), "card_number_refused", "[card number removed]"},
      {Req("/v1/accounts?external_ref=4111111111111111", {}, "GET"), "", ""},
      {Req("/v1/accounts/a%zz"), "", ""},  // left to the router's invalid_target
  };
  for (const Case& c : cases) {
    Status s = CheckInput(c.request);
    EXPECT_EQ(s.reason(), c.reason.empty() ? s.reason() : c.reason) << c.request.target;
    EXPECT_EQ(s.ok(), c.reason.empty()) << c.request.target << ": " << s.ToString();
    EXPECT_EQ(s.param(), c.param) << c.request.target;
  }
}

}  // namespace
}  // namespace sb::testing
