// The assistant's conversations and their turns (app/conversations/, migration 0032).
#include "storage/sqlite/sqlite_tx.h"

namespace sb::storage::sqlite {
namespace {

using domain::Conversation;
using domain::ConversationTurn;

#define SB_CONV_COLS                                                                      \
  "tenant_id, id, account_id, claimed_account_id, code_channel, channel, locale, state, " \
  "wanted, offered_type, options, unmatched, code_failures, turns, request_id, "          \
  "handover_reason, version, created_at, updated_at"
constexpr const char* kInsertConv =
    "INSERT INTO conversations (" SB_CONV_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kUpdateConv =
    "UPDATE conversations SET account_id = ?3, claimed_account_id = ?4, code_channel = ?5, "
    "channel = ?6, locale = ?7, state = ?8, wanted = ?9, offered_type = ?10, options = ?11, "
    "unmatched = ?12, code_failures = ?13, turns = ?14, request_id = ?15, handover_reason = ?16, "
    "version = ?17, created_at = ?18, updated_at = ?19 WHERE tenant_id = ?1 AND id = ?2 AND "
    "version = ?20";
constexpr const char* kGetConv =
    "SELECT " SB_CONV_COLS " FROM conversations WHERE tenant_id = ? AND id = ?";
// Newest first after ?2 ('' for the first page): every conversation, or those in state ?4
// (through conversations_state).
constexpr const char* kListConvs = "SELECT " SB_CONV_COLS
                                   " FROM conversations WHERE tenant_id = ?1 "
                                   "AND (?2 = '' OR id < ?2) ORDER BY id DESC LIMIT ?3";
constexpr const char* kListConvsInState = "SELECT " SB_CONV_COLS
                                          " FROM conversations WHERE tenant_id = ?1 AND state = ?4 "
                                          "AND (?2 = '' OR id < ?2) ORDER BY id DESC LIMIT ?3";

#define SB_TURN_COLS \
  "tenant_id, conversation_id, seq, who, subject_id, text_sealed, intent, sentiment_milli, at"
constexpr const char* kInsertTurn =
    "INSERT INTO conversation_turns (" SB_TURN_COLS ") VALUES (?,?,?,?,?,?,?,?,?)";
constexpr const char* kListTurns = "SELECT " SB_TURN_COLS
                                   " FROM conversation_turns WHERE tenant_id = ? AND "
                                   "conversation_id = ? ORDER BY seq";

void BindConversation(Stmt& s, const Conversation& c) {
  s.Text(c.tenant_id).Text(c.id).Text(c.account_id).Text(c.claimed_account_id).Text(c.code_channel);
  s.Text(domain::Name(c.channel)).Text(c.locale).Text(domain::Name(c.state));
  s.Text(c.wanted ? domain::Name(*c.wanted) : "");
  s.Text(c.offered_type ? domain::Name(*c.offered_type) : "").Text(domain::JoinIntents(c.options));
  s.Int(c.unmatched).Int(c.code_failures).Int(c.turns).Text(c.request_id).Text(c.handover_reason);
  s.Int(c.version).Int(c.created_at).Int(c.updated_at);
}

Conversation ReadConversation(const Stmt& s) {
  Conversation c;
  c.tenant_id = s.ColText(0);
  c.id = s.ColText(1);
  c.account_id = s.ColText(2);
  c.claimed_account_id = s.ColText(3);
  c.code_channel = s.ColText(4);
  c.channel = ParseOr(s.ColText(5), domain::Channel::kChat);
  c.locale = s.ColText(6);
  c.state = ParseOr(s.ColText(7), domain::ConversationState::kExpired);
  c.wanted = domain::Parse<domain::Intent>(s.ColText(8));
  c.offered_type = domain::Parse<domain::RequestType>(s.ColText(9));
  c.options = domain::SplitIntents(s.ColText(10));
  c.unmatched = static_cast<int>(s.ColInt(11));
  c.code_failures = static_cast<int>(s.ColInt(12));
  c.turns = static_cast<int>(s.ColInt(13));
  c.request_id = s.ColText(14);
  c.handover_reason = s.ColText(15);
  c.version = s.ColInt(16);
  c.created_at = s.ColInt(17);
  c.updated_at = s.ColInt(18);
  return c;
}

ConversationTurn ReadTurn(const Stmt& s) {
  ConversationTurn t;
  t.tenant_id = s.ColText(0);
  t.conversation_id = s.ColText(1);
  t.seq = static_cast<int>(s.ColInt(2));
  t.who = s.ColText(3);
  t.subject_id = s.ColText(4);
  t.text_sealed = s.ColBlob(5);
  t.intent = s.ColText(6);
  t.sentiment_milli = s.ColOptInt(7);
  t.at = s.ColInt(8);
  return t;
}

}  // namespace

Status SqliteTx::InsertConversation(const Conversation& c) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertConv);
  BindConversation(s, c);
  return s.Run();
}

Status SqliteTx::UpdateConversation(const Conversation& c, std::int64_t expected_version) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpdateConv);
  BindConversation(s, c);
  SB_RETURN_IF_ERROR(s.Int(expected_version).Run());
  if (s.Changes() > 0) return Status::Ok();
  SB_RETURN_IF_ERROR(GetConversation(c.tenant_id, c.id).status());
  return Status::PreconditionFailed("conversation version is not " +
                                    std::to_string(expected_version));
}

Result<Conversation> SqliteTx::GetConversation(std::string_view tenant_id, std::string_view id) {
  Stmt s(conn_, kGetConv);
  s.Text(tenant_id).Text(id);
  return OneRow<Conversation>(s, "conversation", ReadConversation);
}

Result<domain::Page<Conversation>> SqliteTx::ListConversations(
    std::string_view tenant_id, std::optional<domain::ConversationState> state,
    std::string_view starting_after, int limit) {
  limit = PageLimit(limit);
  Stmt s(conn_, state ? kListConvsInState : kListConvs);
  s.Text(tenant_id).Text(starting_after).Int(limit + 1);
  if (state) s.Text(domain::Name(*state));
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<Conversation>(s, ReadConversation));
  return MakePage(std::move(rows), limit);
}

Status SqliteTx::InsertConversationTurn(const ConversationTurn& t) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertTurn);
  s.Text(t.tenant_id).Text(t.conversation_id).Int(t.seq).Text(t.who).Text(t.subject_id);
  return s.Blob(t.text_sealed).Text(t.intent).OptInt(t.sentiment_milli).Int(t.at).Run();
}

Result<std::vector<ConversationTurn>> SqliteTx::ListConversationTurns(
    std::string_view tenant_id, std::string_view conversation_id) {
  Stmt s(conn_, kListTurns);
  s.Text(tenant_id).Text(conversation_id);
  return CollectRows<ConversationTurn>(s, ReadTurn);
}

}  // namespace sb::storage::sqlite
