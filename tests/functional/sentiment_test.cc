// Sentiment of comments over HTTP: every comment is scored when written and shown with its score
// on the request and in the account's timeline; under a pack whose `sentiment:` rule is on, an
// angry comment in English or French raises the request's priority once, a calm one does not;
// without the rule nothing moves; a bad rule is refused naming its field.

#include <vector>

#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class Sentiment : public Functional {
 protected:
  void SetUp() override {
    Functional::SetUp();
    tenant_ = server().RunCli({"tenant", "create", "--name", "Sentiment " + NewRef()});
    ASSERT_FALSE(tenant_.empty()) << "tenant create failed";
    admin_ = Key("admin");
    agent_ = Key("agent");
    HttpResponse pack = CallAs(admin_, "GET", "/v1/policy-pack");
    ASSERT_EQ(pack.status, 200) << pack.body;
    yaml_ = Str(pack.Json(), "yaml");
  }

  std::string Key(const std::string& role) {
    std::string key =
        server().RunCli({"apikey", "create", "--tenant", tenant_, "--role", role, "--name", role});
    EXPECT_FALSE(key.empty()) << "apikey create failed";
    return key;
  }

  // The default pack under a new version with the sentiment section replaced by `section`.
  std::string PackWith(const std::string& section) const {
    std::string yaml = yaml_;
    size_t version = yaml.find("version: \"2026.1\"");
    EXPECT_NE(version, std::string::npos);
    yaml.replace(version, 17, "version: \"2026.2\"");
    size_t at = yaml.find("\nsentiment:");
    EXPECT_NE(at, std::string::npos);
    return yaml.substr(0, at + 1) + section;
  }

  // A reconnection that waits for payment (the account owes money): open, priority normal.
  // Its id and account's id.
  std::pair<std::string, std::string> OpenRequest() {
    json::object body{{"external_ref", NewRef()},
                      {"plans", json::array{"mobile_basic"}},
                      {"amount_due_minor", 2500}};
    HttpResponse created = CallAs(agent_, "POST", "/v1/accounts", json::serialize(body));
    EXPECT_EQ(created.status, 201) << created.body;
    std::string account = Str(created.Json().at("account"), "id");
    HttpResponse read = CallAs(agent_, "GET", "/v1/accounts/" + account);
    std::string service = Str(read.Json().at("services").as_array()[0], "id");
    HttpResponse held = CallAs(agent_, "POST", "/v1/accounts/" + account + "/holds",
                               R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
    EXPECT_EQ(held.status, 201) << held.body;
    HttpResponse filed = CallAs(agent_, "POST", "/v1/requests",
                                R"({"type":"reconnection","account_id":")" + account +
                                    R"(","service_id":")" + service + "\"}",
                                {{"X-Reason", "customer_request"}});
    EXPECT_EQ(filed.status, 201) << filed.body;
    EXPECT_EQ(Str(filed.Json(), "state"), "awaiting_payment");
    EXPECT_EQ(Str(filed.Json(), "priority"), "normal");
    return {Str(filed.Json(), "id"), account};
  }

  // Comments on request `id`; the request as answered.
  json::value Comment(const std::string& id, const std::string& text) {
    HttpResponse r = CallAs(agent_, "POST", "/v1/requests/" + id + "/comments",
                            json::serialize(json::object{{"text", text}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  }

  json::value Read(const std::string& id) {
    HttpResponse r = CallAs(agent_, "GET", "/v1/requests/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  }

  // The audit entries of the account's timeline with this action, newest first.
  std::vector<json::object> Timeline(const std::string& account, const std::string& action) {
    HttpResponse r = CallAs(agent_, "GET", "/v1/accounts/" + account + "/timeline?limit=100");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<json::object> out;
    const json::value page = r.Json();  // Json() answers by value: keep it alive for the loop
    for (const json::value& item : page.at("data").as_array()) {
      if (Str(item, "kind") != "audit_entry") continue;
      const json::object& entry = item.at("audit_entry").as_object();
      if (Str(entry, "action") == action) out.push_back(entry);
    }
    return out;
  }

  std::string tenant_, admin_, agent_, yaml_;
};

TEST_P(Sentiment, AnAngryCommentRaisesThePriorityOnceUnderTheRuleACalmOneDoesNot) {
  HttpResponse put = CallAs(
      admin_, "PUT", "/v1/policy-pack",
      PackWith("sentiment:\n  raise_priority_when_angry: true\n  frustration_threshold: 0.6\n"),
      kYaml);
  ASSERT_EQ(put.status, 200) << put.body;
  auto [english, english_account] = OpenRequest();
  auto [french, french_account] = OpenRequest();
  auto [calm, calm_account] = OpenRequest();

  json::value answered =
      Comment(english, "Third time I call about this disconnection, absolutely unacceptable!!!");
  EXPECT_EQ(Str(answered, "priority"), "high");
  Comment(french,
          "C'est la troisième fois que j'appelle pour cette coupure, c'est inadmissible !!!");
  Comment(calm, "Customer asked for a plan change, verified ID.");
  // Negative but not frustrated enough for the threshold.
  Comment(calm, "Customer is a bit disappointed about the delay.");
  // A second angry comment does not raise it again.
  Comment(english, "STILL NOT WORKING!!! I am fed up");

  json::value en = Read(english);
  EXPECT_EQ(Str(en, "priority"), "high");
  const json::array& en_comments = en.at("comments").as_array();
  ASSERT_EQ(en_comments.size(), 2u);
  const json::value& first = en_comments[0].at("sentiment");
  EXPECT_EQ(Str(first, "label"), "negative");
  EXPECT_EQ(first.at("angry"), true);
  EXPECT_EQ(Str(first, "language"), "en");
  EXPECT_GE(first.at("frustration").to_number<double>(), 0.6);
  EXPECT_FALSE(Str(first, "lexicon_version").empty());
  EXPECT_EQ(en_comments[0].at("raised_priority"), true);
  EXPECT_EQ(en_comments[1].at("raised_priority"), false);
  EXPECT_EQ(en.at("sentiment").at("priority_raised"), true);
  EXPECT_EQ(Int(en.at("sentiment"), "angry_comments"), 2);

  json::value fr = Read(french);
  EXPECT_EQ(Str(fr, "priority"), "high");
  EXPECT_EQ(Str(fr.at("comments").as_array()[0].at("sentiment"), "language"), "fr");
  EXPECT_EQ(fr.at("comments").as_array()[0].at("sentiment").at("angry"), true);

  json::value quiet = Read(calm);
  EXPECT_EQ(Str(quiet, "priority"), "normal");
  const json::array& calm_comments = quiet.at("comments").as_array();
  EXPECT_EQ(Str(calm_comments[0].at("sentiment"), "label"), "neutral");
  EXPECT_EQ(Str(calm_comments[1].at("sentiment"), "label"), "negative");
  EXPECT_EQ(calm_comments[1].at("sentiment").at("angry"), false);
  EXPECT_EQ(quiet.at("sentiment").at("priority_raised"), false);

  // The timeline shows each comment's score through its audit entry (never its text), and the
  // raise once, by the system, for the customer's frustration.
  std::vector<json::object> commented = Timeline(english_account, "request.commented");
  ASSERT_EQ(commented.size(), 2u);
  EXPECT_EQ(commented[1].at("after").at("sentiment").at("angry"), true);
  EXPECT_FALSE(commented[1].at("after").as_object().contains("text"));
  std::vector<json::object> raised = Timeline(english_account, "request.priority_raised");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(Str(raised[0], "reason_code"), "customer_frustration");
  EXPECT_EQ(Str(raised[0].at("before"), "priority"), "normal");
  EXPECT_EQ(Str(raised[0].at("after"), "priority"), "high");
  EXPECT_EQ(Timeline(french_account, "request.priority_raised").size(), 1u);
  EXPECT_EQ(Timeline(calm_account, "request.priority_raised").size(), 0u);
  EXPECT_EQ(Timeline(calm_account, "request.commented").size(), 2u);
}

TEST_P(Sentiment, WithoutTheRuleNothingMovesAndABadRuleNamesItsField) {
  auto [id, account] = OpenRequest();
  json::value answered =
      Comment(id, "Third time I call about this disconnection, absolutely unacceptable!!!");
  EXPECT_EQ(Str(answered, "priority"), "normal");
  EXPECT_EQ(answered.at("comments").as_array()[0].at("sentiment").at("angry"), true);
  EXPECT_EQ(Timeline(account, "request.priority_raised").size(), 0u);

  ExpectProblem(CallAs(admin_, "PUT", "/v1/policy-pack",
                       PackWith("sentiment:\n  raise_priority_when_angry: true\n"
                                "  frustration_threshold: 1.5\n"),
                       kYaml),
                400, "sentiment.frustration_threshold");
  ExpectProblem(CallAs(admin_, "PUT", "/v1/policy-pack",
                       PackWith("sentiment:\n  raise_priority_when_angry: often\n"), kYaml),
                400, "sentiment.raise_priority_when_angry");
  HttpResponse pack = CallAs(admin_, "GET", "/v1/policy-pack");
  EXPECT_EQ(Str(pack.Json(), "version"), "2026.1");
}

INSTANTIATE_TEST_SUITE_P(Backends, Sentiment, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
