// The chat and IVR assistant, whole conversations over HTTP: a customer identified by a
// one-time code that really reaches their email or phone, told what blocks the service, a
// request filed on the conversation's channel; wrong codes and words it does not understand
// handed over to a person with the transcript; the turns on the account's timeline; and the
// input it refuses with nothing written.

#include <gtest/gtest.h>

#include <regex>

#include "tests/support/notification_fixture.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/webhook_receiver.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class Conversations : public NotificationTest {
 protected:
  void SetUp() override {
    NotificationTest::SetUp();
    if (HasFatalFailure()) return;
    // The chat widget's or IVR platform's key: a client system's machine key.
    widget_ = server().RunCli(
        {"apikey", "create", "--tenant", tenant_, "--role", "system", "--name", "widget"});
    ASSERT_FALSE(widget_.empty());
  }

  // An account owing 45.99 EUR, its service suspended by a non_payment hold, with `contact`.
  json::object OwingCustomer(json::object contact) {
    contact["amount_due_minor"] = 4599;
    json::object account = ServerTest::NewAccount(std::move(contact));
    HttpResponse hold = Api("POST", "/v1/accounts/" + Str(account, "id") + "/holds",
                            R"({"hold_type":"non_payment"})", {{"X-Reason", "non_payment"}});
    EXPECT_EQ(hold.status, 201) << hold.body;
    return account;
  }

  json::object Start(const std::string& channel, const std::string& locale) {
    HttpResponse r =
        CallAs(widget_, "POST", "/v1/conversations",
               json::serialize(json::object{{"channel", channel}, {"locale", locale}}));
    EXPECT_EQ(r.status, 201) << r.body;
    replies_ += r.body;
    return r.status == 201 ? r.Json().as_object() : json::object{};
  }

  HttpResponse Say(const std::string& conversation, const std::string& text) {
    HttpResponse r = CallAs(widget_, "POST", "/v1/conversations/" + conversation + "/turns",
                            json::serialize(json::object{{"text", text}}));
    replies_ += r.body;
    return r;
  }

  // Says `text` and expects the reply to leave the conversation in `state`.
  json::object Turn(const std::string& conversation, const std::string& text,
                    const std::string& state) {
    HttpResponse r = Say(conversation, text);
    EXPECT_EQ(r.status, 200) << r.body;
    json::object reply = r.status == 200 ? r.Json().as_object() : json::object{};
    EXPECT_EQ(Str(reply, "state"), state) << text << " -> " << r.body;
    return reply;
  }

  static std::vector<std::string> OptionIntents(const json::object& reply) {
    std::vector<std::string> out;
    for (const auto& o : reply.at("options").as_array()) out.push_back(Str(o, "intent"));
    return out;
  }

  static bool Says(const json::object& reply, const std::string& words) {
    return Str(reply, "text").find(words) != std::string::npos;
  }

  json::object Conversation(const std::string& id, const std::string& key) {
    HttpResponse r = CallAs(key, "GET", "/v1/conversations/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json().as_object() : json::object{};
  }

  // The account's audit entries on its timeline with `action`.
  size_t OnTimeline(const std::string& account, const std::string& action) {
    HttpResponse r = Api("GET", "/v1/accounts/" + account + "/timeline?limit=100");
    EXPECT_EQ(r.status, 200) << r.body;
    size_t n = 0;
    json::value page = r.Json();
    for (const auto& item : page.at("data").as_array()) {
      const json::value* audit = item.as_object().if_contains("audit_entry");
      if (audit != nullptr && audit->is_object() && Str(*audit, "action") == action) ++n;
    }
    return n;
  }

  std::string widget_;
  std::string replies_;  // every answer the widget received
};

TEST_P(Conversations, ReconnectsInEnglishWhereAnAmountIsDue) {
  SmtpSink sink;
  UseEmail(sink.Url());
  json::object account = OwingCustomer({{"email", "ann.lee@example.com"}});
  std::string id = Str(account, "id");
  size_t before = Requests(id).size();  // the suspension of the hold

  json::object hello = Start("chat", "en");
  std::string conv = Str(hello, "conversation_id");
  EXPECT_EQ(Str(hello, "state"), "awaiting_account");
  EXPECT_TRUE(Says(hello, "account number"));

  json::object asked =
      Turn(conv, "Hi, my line is cut. Account " + Str(account, "external_ref") + " please",
           "awaiting_code");
  EXPECT_TRUE(Says(asked, "6-digit code"));
  std::string code = sink.CodeFor("ann.lee@example.com", 1);
  ASSERT_EQ(code.size(), 6u) << "the code reaches the email on record";

  // The customer asked to reconnect before being known: once identified, the engine's dry run
  // says what would hold the reconnection back, and it is offered.
  json::object offer = Turn(conv, code, "awaiting_confirmation");
  EXPECT_TRUE(Says(offer, "An amount of 45.99 EUR is due")) << Str(offer, "text");
  EXPECT_TRUE(Says(offer, "file a reconnection request")) << Str(offer, "text");
  EXPECT_EQ(OptionIntents(offer), (std::vector<std::string>{"yes", "no", "human"}));
  EXPECT_EQ(Str(offer.at("options").as_array().at(0), "key"), "1");
  EXPECT_EQ(Requests(id).size(), before) << "the preview files nothing";

  json::object filed = Turn(conv, "Yes please", "completed");
  std::string ref = Str(filed, "reference");
  ASSERT_EQ(ref.rfind("req_", 0), 0u) << Str(filed, "text");
  EXPECT_EQ(Str(filed, "request_id"), ref);
  EXPECT_TRUE(Says(filed, ref));
  EXPECT_TRUE(Says(filed, "as soon as the amount due is paid")) << Str(filed, "text");
  json::object request = Request(ref);
  EXPECT_EQ(Str(request, "type"), "reconnection");
  EXPECT_EQ(Str(request, "channel"), "chat");
  EXPECT_EQ(Str(request, "state"), "awaiting_payment");
  EXPECT_EQ(Str(request, "account_id"), id);

  // The turns are on the account's timeline from the identification on, and a staff member
  // reads them opened, the code masked even there.
  EXPECT_EQ(OnTimeline(id, "conversation.identified"), 1u);
  EXPECT_EQ(OnTimeline(id, "conversation.turn"), 4u) << "the code's turn and the reply, yes and "
                                                        "the reference";
  json::object seen = Conversation(conv, key_);
  EXPECT_EQ(Str(seen, "account_id"), id);
  EXPECT_EQ(Str(seen, "state"), "completed");
  json::array turns = seen.at("turns").as_array();
  ASSERT_EQ(turns.size(), 7u);
  EXPECT_EQ(Str(turns[3], "who"), "customer");
  EXPECT_EQ(Str(turns[3], "text"), "******");
  EXPECT_EQ(Str(turns[5], "text"), "Yes please");
  EXPECT_EQ(Str(turns[5], "intent"), "yes");
  EXPECT_EQ(replies_.find(code), std::string::npos) << "no answer repeats the code";

  ExpectProblem(Say(conv, "thanks"), 409, "id", "conversation_ended");
}

TEST_P(Conversations, AnswersAStatusQuestionInFrenchOnTheIvr) {
  WebhookReceiver gateway({201});
  HttpResponse put = Api("PUT", "/v1/notification-channels/sms",
                         json::serialize(json::object{{"gateway_url", gateway.Url("/sms")},
                                                      {"auth", "bearer"},
                                                      {"token", "tok-1"},
                                                      {"sender_id", "Switchboard"},
                                                      {"body_shape", "json"}}));
  ASSERT_EQ(put.status, 200) << put.body;
  json::object account = OwingCustomer({{"phone", "+33612345678"}});
  std::string id = Str(account, "id");

  std::string conv = Str(Start("ivr", "fr"), "conversation_id");
  json::object asked =
      Turn(conv, "Bonjour, où en est mon compte ? C'est le " + Str(account, "external_ref"),
           "awaiting_code");
  EXPECT_TRUE(Says(asked, "code à 6 chiffres"));
  std::string code;
  ASSERT_TRUE(Eventually([&] {
    for (const ReceivedRequest& r : gateway.Requests()) {
      std::smatch match;
      std::string text = Str(json::parse(r.body), "text");
      if (std::regex_search(text, match, std::regex("code is ([0-9]{6})\\."))) code = match[1];
    }
    return !code.empty();
  })) << "the code reaches the phone on record";

  // Read back digit by digit, as a caller keys it in.
  std::string spaced;
  for (char c : code) spaced += std::string(1, c) + " ";
  json::object status = Turn(conv, spaced, "awaiting_intent");
  EXPECT_TRUE(Says(status, "Votre compte est suspendu.")) << Str(status, "text");
  EXPECT_TRUE(Says(status, "Un montant de 45,99 EUR est dû")) << Str(status, "text");
  EXPECT_EQ(OptionIntents(status),
            (std::vector<std::string>{"reconnect", "reactivate", "status", "human"}));
  EXPECT_EQ(Str(status.at("options").as_array().at(3), "text"), "Parler à un conseiller");

  // Key 4: a person. The hand-over is a request on the account, on the ivr channel, waiting
  // for an agent in the assistant's queue.
  json::object handed = Turn(conv, "4", "handed_over");
  std::string ref = Str(handed, "reference");
  ASSERT_EQ(ref.rfind("req_", 0), 0u) << Str(handed, "text");
  EXPECT_TRUE(Says(handed, "Je vous passe à un conseiller"));
  json::object request = Request(ref);
  EXPECT_EQ(Str(request, "channel"), "ivr");
  EXPECT_EQ(Str(request, "assignee"), "assistant");
  EXPECT_EQ(Str(request, "state"), "awaiting_approval");
  EXPECT_EQ(Str(Conversation(conv, key_), "handover_reason"), "asked_for_person");
}

TEST_P(Conversations, WrongCodesHandOverWithoutFilingOnTheAccount) {
  SmtpSink sink;
  UseEmail(sink.Url());
  json::object account = OwingCustomer({{"email", "bo.ng@example.com"}});
  std::string id = Str(account, "id");
  size_t before = Requests(id).size();
  std::string conv = Str(Start("chat", "en"), "conversation_id");
  json::object known = Turn(conv, Str(account, "external_ref"), "awaiting_code");
  std::string code = sink.CodeFor("bo.ng@example.com", 1);
  ASSERT_EQ(code.size(), 6u);
  std::string wrong = code == "000000" ? "111111" : "000000";

  // An unknown account number gets the very same answer: no one learns which exist.
  std::string other = Str(Start("chat", "en"), "conversation_id");
  EXPECT_EQ(Str(Turn(other, "NO-SUCH-REF-42", "awaiting_code"), "text"), Str(known, "text"));

  EXPECT_TRUE(Says(Turn(conv, wrong, "awaiting_code"), "not right"));
  Turn(conv, wrong, "awaiting_code");
  json::object handed = Turn(conv, wrong, "handed_over");
  EXPECT_EQ(Str(handed, "reference"), conv) << "nothing to file on: the conversation's reference";
  EXPECT_TRUE(handed.at("request_id").is_null());
  EXPECT_TRUE(Says(handed, conv));
  EXPECT_EQ(Requests(id).size(), before) << "nothing was filed on the account";
  EXPECT_EQ(OnTimeline(id, "conversation.turn"), 0u);
  json::object seen = Conversation(conv, key_);
  EXPECT_TRUE(seen.at("account_id").is_null());
  EXPECT_EQ(Str(seen, "handover_reason"), "wrong_codes");
  EXPECT_EQ(replies_.find(code), std::string::npos) << "no answer holds the code";

  // With no account to file on, staff find it among the conversations waiting for a person;
  // the other one, still open, is not there, and the list shows no turn.
  HttpResponse waiting = Api("GET", "/v1/conversations?state=handed_over");
  ASSERT_EQ(waiting.status, 200) << waiting.body;
  json::value listed = waiting.Json();
  const json::array& handed_over = listed.at("data").as_array();
  ASSERT_EQ(handed_over.size(), 1u) << waiting.body;
  EXPECT_EQ(Str(handed_over[0], "id"), conv);
  EXPECT_EQ(Str(handed_over[0], "state"), "handed_over");
  EXPECT_EQ(Str(handed_over[0], "handover_reason"), "wrong_codes");
  EXPECT_TRUE(handed_over[0].at("account_id").is_null());
  EXPECT_FALSE(handed_over[0].as_object().contains("turns"));
  // Every conversation, newest first, a page at a time.
  HttpResponse newest = Api("GET", "/v1/conversations?limit=1");
  ASSERT_EQ(newest.status, 200) << newest.body;
  json::value first = newest.Json();
  ASSERT_EQ(first.at("data").as_array().size(), 1u);
  EXPECT_EQ(Str(first.at("data").as_array()[0], "id"), other);
  EXPECT_EQ(Str(first.at("data").as_array()[0], "state"), "awaiting_code");
  ASSERT_TRUE(first.at("has_more").as_bool());
  HttpResponse next = Api("GET", "/v1/conversations?limit=1&starting_after=" + other);
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(Str(next.Json().at("data").as_array()[0], "id"), conv);
  ExpectProblem(Api("GET", "/v1/conversations?state=awaiting_code"), 400, "state");
  ExpectProblem(Say(conv, code), 409, "id", "conversation_ended");
}

TEST_P(Conversations, TextNotUnderstoodTwiceHandsOverWithTheTranscript) {
  SmtpSink sink;
  UseEmail(sink.Url());
  json::object account = OwingCustomer({{"email", "cy.ro@example.com"}});
  std::string id = Str(account, "id");
  std::string conv = Str(Start("chat", "en"), "conversation_id");
  Turn(conv, Str(account, "external_ref"), "awaiting_code");
  std::string code = sink.CodeFor("cy.ro@example.com", 1);
  ASSERT_EQ(code.size(), 6u);
  json::object hello = Turn(conv, code, "awaiting_intent");
  EXPECT_TRUE(Says(hello, "you are identified"));

  json::object again = Turn(conv, "Flibber the quantum marmalade", "awaiting_intent");
  EXPECT_TRUE(Says(again, "did not understand"));
  json::object handed = Turn(conv, "zorp glorp", "handed_over");
  std::string ref = Str(handed, "reference");
  ASSERT_EQ(ref.rfind("req_", 0), 0u) << Str(handed, "text");

  // The request a person works points to the transcript; the transcript is opened for staff
  // and masked for the widget's machine key.
  json::object request = Request(ref);
  EXPECT_EQ(Str(request, "type"), "status_sync");
  EXPECT_EQ(Str(request, "channel"), "chat");
  ASSERT_EQ(request.at("comments").as_array().size(), 1u);
  EXPECT_NE(Str(request.at("comments").as_array()[0], "text").find(conv), std::string::npos);
  json::object seen = Conversation(conv, key_);
  EXPECT_EQ(Str(seen, "handover_reason"), "not_understood");
  EXPECT_EQ(Str(seen, "request_id"), ref);
  json::array turns = seen.at("turns").as_array();
  ASSERT_EQ(turns.size(), 9u);
  EXPECT_EQ(Str(turns[5], "text"), "Flibber the quantum marmalade");
  EXPECT_TRUE(turns[5].at("intent").is_null());
  // A customer's words are scored (words no lexicon knows are neutral); the assistant's are not.
  ASSERT_TRUE(turns[5].at("sentiment").is_number()) << json::serialize(turns[5]);
  EXPECT_EQ(turns[5].at("sentiment").to_number<double>(), 0.0);
  EXPECT_TRUE(turns[6].at("sentiment").is_null());
  json::object masked = Conversation(conv, widget_);
  for (const auto& t : masked.at("turns").as_array()) {
    EXPECT_TRUE(t.at("text").is_null()) << "a machine key does not read the customer's words";
  }
  EXPECT_EQ(OnTimeline(id, "conversation.turn"), 6u);
}

TEST_P(Conversations, RefusesBadInputAndWritesNothing) {
  auto start = [&](json::object body) {
    return CallAs(widget_, "POST", "/v1/conversations", json::serialize(body));
  };
  ExpectProblem(start({{"channel", "fax"}, {"locale", "en"}}), 400, "channel");
  ExpectProblem(start({{"channel", "chat"}, {"locale", "de"}}), 400, "locale");
  ExpectProblem(start({{"channel", "chat"}, {"locale", "en"}, {"mood", "x"}}), 400, "mood");

  std::string conv = Str(Start("chat", "en"), "conversation_id");
  ExpectProblem(Say(conv, std::string(1001, 'a')), 400, "text");
  ExpectProblem(Say(conv, "   "), 400, "text");
  HttpResponse utf8 = CallAs(widget_, "POST", "/v1/conversations/" + conv + "/turns",
                             "{\"text\": \"caf\xC3\x28\"}");
  EXPECT_EQ(utf8.status, 400) << utf8.body;
  ExpectProblem(Say(conv, "my card is 4111 1111 1111 1111"), 422, "text", "card_number_refused");
  ExpectProblem(Say("conv_nope", "hello"), 404);
  EXPECT_EQ(Conversation(conv, key_).at("turns").as_array().size(), 1u) << "only the greeting";
  EXPECT_EQ(Say(conv, std::string(1000, 'b')).status, 200) << "1000 characters are allowed";

  // 30 minutes without a turn: expired, and a turn then is refused with nothing written.
  Advance(31 * 60);
  json::object seen = Conversation(conv, key_);
  EXPECT_EQ(Str(seen, "state"), "expired");
  ExpectProblem(Say(conv, "hello?"), 409, "id", "conversation_ended");
  EXPECT_EQ(Conversation(conv, key_).at("turns").as_array().size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Backends, Conversations, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
