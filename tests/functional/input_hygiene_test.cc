// Input hygiene at every door (docs/SECURITY.md, "Input hygiene"): card numbers in any
// notation are refused in bodies, headers, query strings, paths and inbound events; a card
// number sent as X-Request-Id never reaches the logs; invalid UTF-8 is refused before it
// can be stored or echoed; inbound events are read as strictly as every other body; a
// chunked trailer adds no header; an encoded slash separates no path segments.

#include <sstream>

#include "tests/support/events_fixture.h"

namespace sb::testing {
namespace {

constexpr const char* kCard = "4111111111111111";

class InputHygiene : public EventsTest {
 protected:
  // The status code of a raw HTTP answer ("HTTP/1.1 401 ..." -> 401), 0 if none.
  static int RawStatus(const std::string& answer) {
    if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) return 0;
    return std::stoi(answer.substr(9, 3));
  }

  // A raw request with the fixture's key (when `with_key`) and the given extra header lines.
  std::string Raw(const std::string& method, const std::string& target, const std::string& body,
                  const std::string& extra_headers, bool with_key = true) {
    std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (with_key) raw += "Authorization: Bearer " + key_ + "\r\n";
    if (!body.empty()) {
      raw += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\n";
    }
    raw += extra_headers + "Connection: close\r\n\r\n" + body;
    return server().client().SendRaw(raw);
  }

  size_t HoldCount(const std::string& account) {
    HttpResponse r = Api("GET", "/v1/accounts/" + account + "/holds");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().at("data").as_array().size() : 0;
  }
};

// A signed fault.reported carrying a card number writes nothing (no hold, no request, no
// receipt), so the corrected redelivery of the same id is handled as new.
TEST_P(InputHygiene, CardNumbersInEventsAreRefusedWithNothingWritten) {
  boost::json::object account = NewAccount();
  std::string id = Str(account, "id");
  size_t requests = Requests(id).size();
  std::string event_id = NewEventId();
  boost::json::object fault{{"account_id", id},
                            {"fault_id", "F-1"},
                            {"description", "customer read card 4111 1111 1111 1111"}};
  ExpectProblem(Post(EventBody(event_id, "fault.reported", fault), secret_), 422,
                "data.description", "card_number_refused");
  EXPECT_EQ(HoldCount(id), 0u);
  EXPECT_EQ(Requests(id).size(), requests);

  // The id, any key and any notation are covered too.
  ExpectProblem(Post(EventBody("evt_" + std::string(kCard), "fault.reported",
                               {{"account_id", id}, {"fault_id", "F-2"}}),
                     secret_),
                422, "id", "card_number_refused");
  ExpectProblem(Post(EventBody(NewEventId(), "invoice.issued", {{kCard, "x"}}), secret_), 422,
                "data.[card number removed]", "card_number_refused");
  ExpectProblem(Post(EventBody(NewEventId(), "fault.reported",
                               {{"account_id", id}, {"fault_id", "4111_1111_1111_1111"}}),
                     secret_),
                422, "data.fault_id", "card_number_refused");
  EXPECT_EQ(HoldCount(id), 0u);

  fault["description"] = "customer read the card's last 4 digits: 1111";
  boost::json::object receipt = Send(event_id, "fault.reported", fault);
  EXPECT_FALSE(receipt.at("duplicate").as_bool());
  EXPECT_EQ(Str(receipt, "outcome"), "suspended");
  EXPECT_EQ(HoldCount(id), 1u);
}

// Each entry point with a notation the old scan missed.
TEST_P(InputHygiene, EveryNotationIsRefusedAtEveryEntryPoint) {
  std::string id = Str(NewAccount(), "id");
  std::string holds = "/v1/accounts/" + id + "/holds";
  std::string hold = R"({"hold_type":"fraud_review"})";
  // Body: dots.
  ExpectProblem(Api("POST", holds, R"({"hold_type":"fraud_review","owner":"4111.1111.1111.1111"})",
                    {{"X-Reason", "fraud_suspected"}}),
                422, "owner", "card_number_refused");
  // Header: no-break spaces (U+00A0).
  ExpectProblem(
      Api("POST", holds, hold,
          {{"X-Reason", "fraud_suspected"}, {"X-Comment", "4111\u00a01111\u00a01111\u00a01111"}}),
      422, "X-Comment", "card_number_refused");
  // Query string of a write: full-width digits, percent-encoded.
  std::string wide = "%EF%BC%94%EF%BC%91%EF%BC%91%EF%BC%91";  // U+FF14 U+FF11 U+FF11 U+FF11
  ExpectProblem(Api("POST", holds + "?note=" + wide + "+1111+1111+1111", hold,
                    {{"X-Reason", "fraud_suspected"}}),
                422, "note", "card_number_refused");
  // Query string of an inbound event, before its signature is even looked at.
  ExpectProblem(CallAs("", "POST", "/v1/events/" + tenant_ + "?ref=4111/1111/1111/1111", "{}"), 422,
                "ref", "card_number_refused");
  // Path segment.
  ExpectProblem(Api("GET", "/v1/accounts/4111-1111-1111-1111"), 422, "path", "card_number_refused");
  EXPECT_EQ(HoldCount(id), 0u);
}

// X-Request-Id is client input that every log line carries: a card number there is
// refused and replaced by a generated id, whatever else the request is (the log lines
// themselves are checked in http/handler_test.cc).
TEST_P(InputHygiene, CardNumberAsRequestIdIsReplaced) {
  std::string marker = "5555555555554444";
  HttpResponse get = Api("GET", "/v1/whoami", "", {{"X-Request-Id", marker}});
  ExpectProblem(get, 422, "X-Request-Id", "card_number_refused");
  EXPECT_EQ(get.Header("X-Request-Id").rfind("rid_", 0), 0u) << get.Header("X-Request-Id");
  HttpResponse events =
      CallAs("", "POST", "/v1/events/" + tenant_, "{}", {{"X-Request-Id", "5555 5555 5555 4444"}});
  ExpectProblem(events, 400, "X-Request-Id", "invalid_header");
  EXPECT_EQ(events.Header("X-Request-Id").rfind("rid_", 0), 0u);
  ExpectProblem(CallAs("", "POST", "/v1/events/" + std::string(kCard), "{}"), 422, "path",
                "card_number_refused");
}

// Invalid UTF-8 in a stored or echoed header is refused naming it, with nothing written, so
// every later JSON answer (the timeline included) stays valid UTF-8.
TEST_P(InputHygiene, InvalidUtf8IsRefusedBeforeItIsStored) {
  std::string id = Str(NewAccount(), "id");
  std::string holds = "/v1/accounts/" + id + "/holds";
  std::string hold = R"({"hold_type":"fraud_review"})";
  for (const std::string& header :
       {std::string("X-Comment: caf\xe9\r\n"), std::string("X-Reason: fraud_suspected\xc3\r\n"),
        std::string("X-Channel: \xff\r\n"), std::string("Idempotency-Key: k\xe9y\r\n"),
        std::string("If-Match: \"1\xe9\"\r\n")}) {
    std::string extra = header.rfind("X-Reason", 0) == 0 ? "" : "X-Reason: fraud_suspected\r\n";
    std::string answer = Raw("POST", holds, hold, extra + header);
    EXPECT_EQ(RawStatus(answer), 400) << answer;
    EXPECT_NE(answer.find("\"code\":\"invalid_utf8\""), std::string::npos) << answer;
    EXPECT_NE(answer.find("\"param\":\"" + header.substr(0, header.find(':')) + "\""),
              std::string::npos)
        << answer;
  }
  // Bodies: Boost.JSON refuses invalid UTF-8 in values and keys alike.
  for (const std::string& body :
       {std::string(R"({"hold_type":"fraud_review","owner":"caf)") + "\xe9" + R"("})",
        std::string(R"({"hold_type":"fraud_review","caf)") + "\xe9" + R"(":"x"})"}) {
    std::string answer = Raw("POST", holds, body, "X-Reason: fraud_suspected\r\n");
    EXPECT_EQ(RawStatus(answer), 400) << answer;
    EXPECT_NE(answer.find("\"code\":\"invalid_json\""), std::string::npos) << answer;
  }
  // Query and path, percent-encoded.
  ExpectProblem(Api("GET", "/v1/accounts?starting_after=%E9"), 400, "starting_after",
                "invalid_utf8");
  ExpectProblem(Api("GET", "/v1/accounts/acc_%E9"), 400, "path", "invalid_utf8");
  EXPECT_EQ(HoldCount(id), 0u);
  HttpResponse timeline = Api("GET", "/v1/accounts/" + id + "/timeline");
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  EXPECT_TRUE(timeline.Json().is_object());
}

// Duplicate keys anywhere in an event and unknown envelope fields get the answers every
// other body gets.
TEST_P(InputHygiene, EventsAreReadByTheOneStrictReader) {
  std::string id = Str(NewAccount(), "id");
  std::string data = R"({"account_id":")" + id + R"(","fault_id":"F-1"})";
  ExpectProblem(
      Post(R"({"id":"evt_a","id":"evt_b","type":"fault.reported","data":)" + data + "}", secret_),
      400, "id", "duplicate_field");
  ExpectProblem(Post(R"({"id":"evt_c","type":"fault.reported","data":{"account_id":")" + id +
                         R"(","account_id":"acc_other","fault_id":"F-1"}})",
                     secret_),
                400, "account_id", "duplicate_field");
  ExpectProblem(
      Post(R"({"id":"evt_d","type":"fault.reported","colour":"red","data":)" + data + "}", secret_),
      400, "colour", "unknown_field");
  ExpectProblem(
      Post(std::string(R"({"id":"evt_e","type":"fault.reported","data":{"account_id":")") + id +
               "\xe9" + R"("}})",
           secret_),
      400, "", "invalid_json");
  EXPECT_EQ(HoldCount(id), 0u);
}

// A header sent only in a chunked body's trailer is not a header.
TEST_P(InputHygiene, ChunkedTrailersAddNoHeaders) {
  auto chunked_body = [](const std::string& body) {
    std::ostringstream size;
    size << std::hex << body.size();
    return size.str() + "\r\n" + body + "\r\n0\r\n";
  };
  std::string chunked = chunked_body("{}");
  std::string answer = server().client().SendRaw(
      "POST /v1/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
      chunked + "Authorization: Bearer " + key_ + "\r\n\r\n");
  EXPECT_EQ(RawStatus(answer), 401) << answer;

  // Nor does a trailer override a header: the X-Reason of the head is the one checked.
  std::string id = Str(NewAccount(), "id");
  std::string hold = R"({"hold_type":"fraud_review"})";
  std::string chunked_hold = chunked_body(hold);
  answer = server().client().SendRaw("POST /v1/accounts/" + id +
                                     "/holds HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "Authorization: Bearer " +
                                     key_ +
                                     "\r\nContent-Type: application/json\r\n"
                                     "X-Reason: no_such_reason\r\n"
                                     "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
                                     chunked_hold + "X-Reason: fraud_suspected\r\n\r\n");
  EXPECT_EQ(RawStatus(answer), 422) << answer;
  EXPECT_EQ(HoldCount(id), 0u);
}

// An encoded slash is part of its segment, not a separator.
TEST_P(InputHygiene, EncodedSlashesDoNotSeparateSegments) {
  std::string id = Str(NewAccount(), "id");
  ASSERT_EQ(Api("GET", "/v1/accounts/" + id).status, 200);
  EXPECT_EQ(Api("GET", "/v1%2Faccounts%2F" + id).status, 404);
  EXPECT_EQ(Api("GET", "/v1/accounts%2F" + id).status, 404);
  // The path is /v1/accounts/{id} with the id "<id>/holds", a route without POST.
  EXPECT_EQ(Api("POST", "/v1/accounts/" + id + "%2Fholds", R"({"hold_type":"fraud_review"})",
                {{"X-Reason", "fraud_suspected"}})
                .status,
            405);
  EXPECT_EQ(Api("GET", "/v1/accounts/" + id + "%2Fholds").status, 404);
  EXPECT_EQ(HoldCount(id), 0u);
  // Any other encoded character still decodes within its segment.
  EXPECT_EQ(Api("GET", "/v1/%61ccounts/" + id).status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, InputHygiene, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
