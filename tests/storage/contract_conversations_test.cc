// Storage contract: the assistant's conversations and their sealed turns.

#include "tests/storage/contract.h"

namespace sb::testing {
namespace {

using namespace sb::domain;

Conversation ConversationRow(const std::string& tenant, const std::string& id) {
  Conversation c;
  c.tenant_id = tenant;
  c.id = id;
  c.channel = Channel::kIvr;
  c.locale = "fr";
  c.turns = 1;
  c.created_at = c.updated_at = kT0;
  return c;
}

ConversationTurn TurnRow(const std::string& tenant, const std::string& conv, int seq) {
  ConversationTurn t;
  t.tenant_id = tenant;
  t.conversation_id = conv;
  t.seq = seq;
  t.who = seq % 2 ? "assistant" : "customer";
  t.subject_id = conv;
  t.text_sealed = std::string("\x00\x01sealed\xff", 9) + std::to_string(seq);
  t.intent = seq % 2 ? "" : "reconnect";
  t.at = kT0 + seq;
  return t;
}

auto ConversationFields(const Conversation& c) {
  return std::make_tuple(c.tenant_id, c.id, c.account_id, c.claimed_account_id, c.code_channel,
                         c.channel, c.locale, c.state, c.wanted, c.offered_type, c.options,
                         c.unmatched, c.code_failures, c.turns, c.request_id, c.handover_reason,
                         c.version, c.created_at, c.updated_at);
}

auto TurnFields(const ConversationTurn& t) {
  return std::make_tuple(t.tenant_id, t.conversation_id, t.seq, t.who, t.subject_id, t.text_sealed,
                         t.intent, t.sentiment_milli, t.at);
}

TEST_P(StoreContract, ConversationsMoveOnByVersionAndKeepTheirTurnsInOrder) {
  AddTenants({"ten_a", "ten_b"});
  Conversation c = ConversationRow("ten_a", "conv_1");
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertConversation(c));
    SB_RETURN_IF_ERROR(tx.InsertConversation(ConversationRow("ten_b", "conv_1")));
    return tx.InsertConversationTurn(TurnRow("ten_a", "conv_1", 1));
  }));
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertConversation(c); }).code(), Code::kConflict);
  auto got = Get([&](Tx& tx) { return tx.GetConversation("ten_a", "conv_1"); });
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(ConversationFields(*got), ConversationFields(c));

  Conversation next = c;
  next.account_id = "acc_1";
  next.claimed_account_id = "acc_1";
  next.code_channel = "sms";
  next.state = ConversationState::kAwaitingConfirmation;
  next.wanted = Intent::kReconnect;
  next.offered_type = RequestType::kReconnection;
  next.options = {Intent::kYes, Intent::kNo, Intent::kHuman};
  next.unmatched = 1;
  next.code_failures = 2;
  next.turns = 3;
  next.request_id = "req_9";
  next.handover_reason = "not_understood";
  next.version = 2;
  next.updated_at = kT0 + 50;
  ConversationTurn scored = TurnRow("ten_a", "conv_1", 2);
  scored.sentiment_milli = -250;
  SB_ASSERT_OK(Write([&](Tx& tx) {
    SB_RETURN_IF_ERROR(tx.InsertConversationTurn(TurnRow("ten_a", "conv_1", 3)));
    SB_RETURN_IF_ERROR(tx.InsertConversationTurn(scored));
    return tx.UpdateConversation(next, 1);
  }));
  got = Get([&](Tx& tx) { return tx.GetConversation("ten_a", "conv_1"); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(ConversationFields(*got), ConversationFields(next));
  Status stale = Write([&](Tx& tx) { return tx.UpdateConversation(next, 1); });
  EXPECT_EQ(stale.code(), Code::kPreconditionFailed) << "a turn written meanwhile wins";
  Status missing = Write([&](Tx& tx) {
    Conversation none = next;
    none.id = "conv_none";
    return tx.UpdateConversation(none, 1);
  });
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_EQ(Write([&](Tx& tx) { return tx.InsertConversationTurn(scored); }).code(),
            Code::kConflict)
      << "a seq is written once";

  auto turns = Get([&](Tx& tx) { return tx.ListConversationTurns("ten_a", "conv_1"); });
  ASSERT_TRUE(turns.ok());
  ASSERT_EQ(turns->size(), 3u);
  EXPECT_EQ(TurnFields(turns->at(0)), TurnFields(TurnRow("ten_a", "conv_1", 1)));
  EXPECT_EQ(TurnFields(turns->at(1)), TurnFields(scored)) << "binary text and sentiment kept";
  EXPECT_EQ(turns->at(2).seq, 3);
  auto other = Get([&](Tx& tx) { return tx.ListConversationTurns("ten_b", "conv_1"); });
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty()) << "another tenant's conversation of the same id has none";
  EXPECT_EQ(Get([&](Tx& tx) { return tx.GetConversation("ten_b", "conv_2"); }).status().code(),
            Code::kNotFound);
}

}  // namespace
}  // namespace sb::testing
