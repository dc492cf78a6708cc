#include "app/core/card_fields.h"

#include <gtest/gtest.h>

namespace sb::app {
namespace {

namespace json = boost::json;

TEST(CardFields, NamesTheFirstFieldHoldingACardNumber) {
  struct Case {
    const char* json;
    const char* prefix;
    std::optional<std::string> path;
  };
  const Case cases[] = {
      {R"({"a":"x","payload":{"note":"card 4111 1111 1111 1111"}})", "", "payload.note"},
      {R"({"users":[{"name":"Jo"},{"name":"4111.1111.1111.1111"}]})", "", "users[1].name"},
      {R"({"amount":4111111111111111})", "", "amount"},
      {R"({"4111111111111111":true})", "data", "data.[card number removed]"},
      {R"({"id":"evt_4111111111111111"})", "", "id"},
      {R"("4111111111111111")", "body", "body"},
      {R"({"note":"last 4: 1111","when":"2026-04-29"})", "", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CardNumberPath(json::parse(c.json), c.prefix), c.path) << c.json;
  }
}

TEST(CardFields, TheRefusalNeverQuotesTheValue) {
  Status s = CardNumberRefused("payload.note");
  EXPECT_EQ(s.code(), Code::kUnprocessable);
  EXPECT_EQ(s.reason(), "card_number_refused");
  EXPECT_EQ(s.param(), "payload.note");
}

}  // namespace
}  // namespace sb::app
