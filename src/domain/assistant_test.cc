#include "domain/assistant.h"

#include <gtest/gtest.h>

namespace sb::domain {
namespace {

using S = ConversationState;

IntentWords Words(std::vector<std::string> keywords, std::vector<std::string> synonyms = {}) {
  return IntentWords{std::move(keywords), std::move(synonyms)};
}

// The words of the shipped pack, in short (policies/default.yaml has them all).
AssistantPolicy Policy() {
  AssistantPolicy p;
  p.enabled = true;
  p.intents[Intent::kReconnect] = {{{"en", Words({"reconnect", "restore"}, {"turn back on"})},
                                    {"fr", Words({"retablir", "coupe"}, {"remettre en service"})}},
                                   {RequestType::kReconnection}};
  p.intents[Intent::kReactivate] = {{{"en", Words({"reactivate"}, {"open again"})},
                                     {"fr", Words({"reactiver"}, {"ouvrir a nouveau"})}},
                                    {RequestType::kReactivation}};
  p.intents[Intent::kStatus] = {{{"en", Words({"status", "why"}, {"how much"})},
                                 {"fr", Words({"statut", "pourquoi", "etat"})}},
                                {}};
  p.intents[Intent::kHuman] = {
      {{"en", Words({"agent", "human"}, {"real person"})}, {"fr", Words({"conseiller", "humain"})}},
      {}};
  p.intents[Intent::kYes] = {{{"en", Words({"yes", "ok"})}, {"fr", Words({"oui"}, {"d accord"})}},
                             {}};
  p.intents[Intent::kNo] = {{{"en", Words({"no"})}, {"fr", Words({"non"})}}, {}};
  return p;
}

const std::vector<Intent> kAll = {Intent::kHuman, Intent::kReconnect, Intent::kReactivate,
                                  Intent::kStatus};

TEST(AssistantText, FoldsCaseAccentsAndPunctuation) {
  EXPECT_EQ(FoldText("Rétablir ma LIGNE, s'il vous plaît !"), "retablir ma ligne s il vous plait");
  EXPECT_EQ(FoldText("  ÉTAT   coupée\t"), "etat coupee");
  EXPECT_EQ(FoldText("Œuvre çà"), "oeuvre ca");
  EXPECT_EQ(FoldText("l’agent"), "l agent") << "a typographic apostrophe separates words";
  EXPECT_EQ(FoldText("\xff\xfe"), "") << "stray bytes are only spaces";
}

TEST(AssistantMatch, FindsKeywordsAndSynonymsInEachLocale) {
  AssistantPolicy p = Policy();
  struct Case {
    const char* locale;
    const char* text;
    std::optional<Intent> expected;
  };
  const Case cases[] = {
      {"en", "Please RESTORE my line", Intent::kReconnect},
      {"en", "can you turn it back on", std::nullopt},  // a synonym is matched as a whole
      {"en", "turn back on my phone", Intent::kReconnect},
      {"en", "I want to reactivate my account", Intent::kReactivate},
      {"en", "what is my status", Intent::kStatus},
      {"fr", "Ma ligne est coupée, pouvez-vous la rétablir ?", Intent::kReconnect},
      {"fr", "Je voudrais l'ouvrir à nouveau", Intent::kReactivate},
      {"fr", "Quel est l'état de mon compte", Intent::kStatus},
      {"fr", "restore", std::nullopt},  // English words do not count in French
      {"en", "blue elephants dancing", std::nullopt},
      {"en", "reconnectx", std::nullopt},  // whole words only
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(MatchIntent(p, c.locale, c.text, kAll), c.expected);
  }
}

TEST(AssistantMatch, MostMatchesWinAndTiesGoToTheEarlierIntent) {
  AssistantPolicy p = Policy();
  EXPECT_EQ(MatchIntent(p, "en", "why reconnect, reconnect restore", kAll), Intent::kReconnect);
  EXPECT_EQ(MatchIntent(p, "en", "an agent to reconnect me", kAll), Intent::kHuman);
  EXPECT_EQ(MatchIntent(p, "en", "why not reactivate", kAll), Intent::kReactivate)
      << "reactivate is listed before status";
}

TEST(AssistantDecide, WalksFromTheAccountToTheOffer) {
  AssistantPolicy p = Policy();
  TurnDecision d = Decide(p, {S::kAwaitingAccount, 0, {}}, "en", "I want to reconnect ACC-1001.");
  EXPECT_EQ(d.step, Step::kLookUpAccount);
  EXPECT_EQ(d.intent, Intent::kReconnect);
  EXPECT_EQ(d.account_refs, std::vector<std::string>{"ACC-1001"});

  d = Decide(p, {S::kAwaitingAccount, 0, {}}, "en", "reconnect please");
  EXPECT_EQ(d.step, Step::kNoted) << "the intent is kept until the account is known";

  d = Decide(p, {S::kAwaitingCode, 0, {}}, "en", "it is 12 34 56");
  EXPECT_EQ(d.step, Step::kCheckCode);
  EXPECT_EQ(d.code, "123456");

  std::vector<Intent> main = {Intent::kReconnect, Intent::kReactivate, Intent::kStatus};
  d = Decide(p, {S::kAwaitingIntent, 0, main}, "fr", "3");
  EXPECT_EQ(d.step, Step::kAnswer);
  EXPECT_EQ(d.intent, Intent::kStatus) << "an IVR key picks the option of that number";

  std::vector<Intent> confirm = {Intent::kYes, Intent::kNo};
  EXPECT_EQ(Decide(p, {S::kAwaitingConfirmation, 0, confirm}, "fr", "D'accord").step, Step::kFile);
  EXPECT_EQ(Decide(p, {S::kAwaitingConfirmation, 0, confirm}, "en", "2").step, Step::kDecline);
  EXPECT_EQ(Decide(p, {S::kAwaitingConfirmation, 0, confirm}, "en", "status?").step, Step::kAnswer);
}

TEST(AssistantDecide, HandsOverWhenAskedOrAfterTooManyTurnsNotUnderstood) {
  AssistantPolicy p = Policy();
  TurnDecision d = Decide(p, {S::kAwaitingCode, 0, {}}, "fr", "Je veux un conseiller");
  EXPECT_EQ(d.step, Step::kHandOver);
  EXPECT_EQ(d.why, HandOverWhy::kAsked);

  d = Decide(p, {S::kAwaitingIntent, 0, {}}, "en", "blue elephants");
  EXPECT_EQ(d.step, Step::kNotUnderstood);
  d = Decide(p, {S::kAwaitingIntent, 1, {}}, "en", "purple elephants");
  EXPECT_EQ(d.step, Step::kHandOver);
  EXPECT_EQ(d.why, HandOverWhy::kNotUnderstood);

  EXPECT_EQ(Decide(p, {S::kAwaitingCode, 0, {}}, "en", "12345").step, Step::kNotUnderstood)
      << "five digits are no code";
  EXPECT_EQ(Decide(p, {S::kAwaitingIntent, 0, {}}, "en", "yes").step, Step::kNotUnderstood)
      << "yes answers only a question";
}

TEST(AssistantPolicyRules, NameTheFieldAtFault) {
  std::map<RequestType, std::vector<std::string>> reasons = {
      {RequestType::kReconnection, {"customer_request"}},
      {RequestType::kReactivation, {"customer_request"}},
      {RequestType::kStatusSync, {"customer_request"}}};
  AssistantPolicy p = Policy();
  EXPECT_TRUE(ValidateAssistant(p, reasons).ok());

  AssistantPolicy no_fr = p;
  no_fr.intents[Intent::kStatus].words.erase("fr");
  EXPECT_EQ(ValidateAssistant(no_fr, reasons).param(), "assistant.intents.status.fr");

  AssistantPolicy wrong_type = p;
  wrong_type.intents[Intent::kReconnect].request_types = {RequestType::kTermination};
  EXPECT_EQ(ValidateAssistant(wrong_type, reasons).param(),
            "assistant.intents.reconnect.request_types");

  AssistantPolicy unmatched = p;
  unmatched.max_unmatched_turns = 0;
  EXPECT_EQ(ValidateAssistant(unmatched, reasons).param(), "assistant.max_unmatched_turns");

  auto no_reason = reasons;
  no_reason[RequestType::kStatusSync] = {"fault_resolved"};
  EXPECT_EQ(ValidateAssistant(p, no_reason).param(), "assistant.reason_code");

  AssistantPolicy queue = p;
  queue.handover_queue = "Front Desk";
  EXPECT_EQ(ValidateAssistant(queue, reasons).param(), "assistant.handover.queue");
}

}  // namespace
}  // namespace sb::domain
