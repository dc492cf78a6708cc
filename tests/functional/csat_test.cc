// Customer satisfaction: the completion email carries a single-use link, the customer's score
// and comment are recorded once through it, and the KPIs show them.

#include <gtest/gtest.h>

#include <thread>

#include "tests/support/notification_fixture.h"
#include "tests/support/sla_fixture.h"
#include "tests/support/smtp_sink.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class Csat : public NotificationTest {
 protected:
  void SetUp() override {
    NotificationTest::SetUp();
    if (HasFatalFailure()) return;
    SetClock("2026-03-04T12:00:00Z");  // daytime in Paris: no quiet hours
    PutPack({{"  quiet_hours: \"21:00-08:00\"\n",
              "  quiet_hours: \"21:00-08:00\"\n  portal_url: https://portal.example.com\n"}});
  }

  // A new account with an email, pending activation, then activated (an activation that
  // completes at once); the request's id.
  std::string CompleteARequest(const std::string& email) {
    json::object body{{"external_ref", NewRef()},
                      {"name", "Ann"},
                      {"email", email},
                      {"region", "eu-west"},
                      {"kyc_level", 2},
                      {"pending_activation", true},
                      {"plans", json::array{"mobile_basic"}}};
    HttpResponse created = Api("POST", "/v1/accounts", json::serialize(body));
    EXPECT_EQ(created.status, 201) << created.body;
    std::string id = Str(created.Json().at("account"), "id");
    HttpResponse activated =
        Api("POST", "/v1/accounts/" + id + "/activate", R"({"consent":{"method":"web_form"}})",
            {{"X-Reason", "customer_request"}});
    EXPECT_EQ(activated.status, 200) << activated.body;
    EXPECT_EQ(Str(activated.Json(), "state"), "completed");
    return Str(activated.Json(), "id");
  }

  // The satisfaction token of the completion email sent to `to` (waits for it).
  std::string TokenFromEmail(SmtpSink& sink, const std::string& to) {
    for (int i = 0; i < 100; ++i) {
      for (const auto& m : sink.Messages()) {
        if (Str(m, "to") != to || Str(m, "subject").find("is done") == std::string::npos) continue;
        std::string text = Str(m, "text");
        std::string marker = "https://portal.example.com#csat=";
        size_t at = text.find(marker);
        EXPECT_NE(at, std::string::npos) << text;
        if (at == std::string::npos) return "";
        size_t end = text.find_first_of(" \r\n", at);
        EXPECT_NE(Str(m, "html").find("#csat="), std::string::npos);
        return text.substr(at + marker.size(), end - at - marker.size());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no completion email to " << to;
    return "";
  }

  HttpResponse Answer(const std::string& token, int score, const std::string& comment = "") {
    json::object body{{"token", token}, {"score", score}};
    if (!comment.empty()) body["comment"] = comment;
    return CallAs("", "POST", "/v1/csat", json::serialize(body));
  }
};

TEST_P(Csat, TheCompletionEmailLinkRecordsOneScoreAndKpisShowIt) {
  SmtpSink sink;
  UseEmail(sink.Url());
  std::string request = CompleteARequest("ann@example.org");
  std::string token = TokenFromEmail(sink, "ann@example.org");
  ASSERT_FALSE(token.empty());

  ExpectProblem(Answer(token, 6), 400, "score");
  ExpectProblem(Answer("ten_nope.sbt_forged", 4), 401);
  ExpectProblem(Answer(token + "x", 4), 401);
  HttpResponse ok = Answer(token, 4, "Quick and kind");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Int(ok.Json(), "score"), 4);
  ExpectProblem(Answer(token, 5), 409, "", "already_answered");

  // The audit entry keeps the score, never the comment.
  HttpResponse audit = Api("GET", "/v1/audit/entries?request_id=" + request + "&limit=100");
  ASSERT_EQ(audit.status, 200);
  EXPECT_NE(audit.body.find("request.csat_recorded"), std::string::npos);
  EXPECT_EQ(audit.body.find("Quick and kind"), std::string::npos);

  std::string window = "from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z";
  HttpResponse kpis = Api("GET", "/v1/kpis?" + window);
  ASSERT_EQ(kpis.status, 200) << kpis.body;
  json::value k = kpis.Json();
  const json::value& csat = k.at("types").at("activation").at("csat");
  EXPECT_EQ(Int(csat, "count"), 1);
  EXPECT_EQ(csat.at("mean").to_number<double>(), 4.0);
  HttpResponse grouped = Api("GET", "/v1/kpis?" + window + "&group_by=region");
  ASSERT_EQ(grouped.status, 200) << grouped.body;
  EXPECT_EQ(Int(grouped.Json().at("groups").at("eu-west").at("csat"), "count"), 1);
}

TEST_P(Csat, ALinkExpiresAfterThirtyDays) {
  SmtpSink sink;
  UseEmail(sink.Url());
  CompleteARequest("bea@example.org");
  std::string token = TokenFromEmail(sink, "bea@example.org");
  ASSERT_FALSE(token.empty());
  Advance(31 * 24 * 3600);
  ExpectProblem(Answer(token, 3), 422, "token", "link_expired");
}

INSTANTIATE_TEST_SUITE_P(Backends, Csat, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
