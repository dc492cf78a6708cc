// The assistant's conversations and their turns (app/conversations/, migration 0032).
#include "storage/postgres/pg_tx.h"

namespace sb::storage::postgres {
namespace {

using domain::Conversation;
using domain::ConversationTurn;

#define SB_CONV_COLS                                                                      \
  "tenant_id, id, account_id, claimed_account_id, code_channel, channel, locale, state, " \
  "wanted, offered_type, options, unmatched, code_failures, turns, request_id, "          \
  "handover_reason, version, created_at, updated_at"
const Stmt kInsertConv{"conversation_insert",
                       "INSERT INTO conversations (" SB_CONV_COLS
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                       "$15, $16, $17, $18, $19) ON CONFLICT DO NOTHING"};
const Stmt kUpdateConv{
    "conversation_update",
    "UPDATE conversations SET account_id = $3, claimed_account_id = $4, code_channel = $5, "
    "channel = $6, locale = $7, state = $8, wanted = $9, offered_type = $10, options = $11, "
    "unmatched = $12, code_failures = $13, turns = $14, request_id = $15, handover_reason = $16, "
    "version = $17, created_at = $18, updated_at = $19 "
    "WHERE tenant_id = $1 AND id = $2 AND version = $20"};
const Stmt kGetConv{"conversation_get",
                    "SELECT " SB_CONV_COLS " FROM conversations WHERE tenant_id = $1 AND id = $2"};
// Newest first after $2 ('' for the first page): every conversation, or those in state $4
// (through conversations_state).
const Stmt kListConvs{"conversation_list", "SELECT " SB_CONV_COLS
                                           " FROM conversations WHERE tenant_id = $1 "
                                           "AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3"};
const Stmt kListConvsInState{"conversation_list_state",
                             "SELECT " SB_CONV_COLS
                             " FROM conversations WHERE tenant_id = $1 AND state = $4 "
                             "AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3"};

#define SB_TURN_COLS \
  "tenant_id, conversation_id, seq, who, subject_id, text_sealed, intent, sentiment_milli, at"
const Stmt kInsertTurn{"conversation_turn_insert",
                       "INSERT INTO conversation_turns (" SB_TURN_COLS
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING"};
const Stmt kListTurns{"conversation_turn_list",
                      "SELECT " SB_TURN_COLS
                      " FROM conversation_turns WHERE tenant_id = $1 AND conversation_id = $2 "
                      "ORDER BY seq"};

Params ConversationParams(const Conversation& c) {
  Params p;
  p.Text(c.tenant_id).Text(c.id).Text(c.account_id).Text(c.claimed_account_id).Text(c.code_channel);
  p.Text(domain::Name(c.channel)).Text(c.locale).Text(domain::Name(c.state));
  p.Text(c.wanted ? domain::Name(*c.wanted) : "");
  p.Text(c.offered_type ? domain::Name(*c.offered_type) : "").Text(domain::JoinIntents(c.options));
  p.Int(c.unmatched).Int(c.code_failures).Int(c.turns).Text(c.request_id).Text(c.handover_reason);
  p.Int(c.version).Int(c.created_at).Int(c.updated_at);
  return p;
}

Conversation ReadConversation(RowReader& r) {
  Conversation c;
  c.tenant_id = r.Str();
  c.id = r.Str();
  c.account_id = r.Str();
  c.claimed_account_id = r.Str();
  c.code_channel = r.Str();
  c.channel = domain::Parse<domain::Channel>(r.Str()).value_or(domain::Channel::kChat);
  c.locale = r.Str();
  c.state = domain::Parse<domain::ConversationState>(r.Str()).value_or(
      domain::ConversationState::kExpired);
  c.wanted = domain::Parse<domain::Intent>(r.Str());
  c.offered_type = domain::Parse<domain::RequestType>(r.Str());
  c.options = domain::SplitIntents(r.Str());
  c.unmatched = r.Int32();
  c.code_failures = r.Int32();
  c.turns = r.Int32();
  c.request_id = r.Str();
  c.handover_reason = r.Str();
  c.version = r.Int();
  c.created_at = r.Int();
  c.updated_at = r.Int();
  return c;
}

ConversationTurn ReadTurn(RowReader& r) {
  ConversationTurn t;
  t.tenant_id = r.Str();
  t.conversation_id = r.Str();
  t.seq = r.Int32();
  t.who = r.Str();
  t.subject_id = r.Str();
  t.text_sealed = r.Str();
  t.intent = r.Str();
  t.sentiment_milli = r.OptInt();
  t.at = r.Int();
  return t;
}

}  // namespace

Status PgTx::InsertConversation(const Conversation& c) {
  return Insert(kInsertConv, ConversationParams(c));
}

Status PgTx::UpdateConversation(const Conversation& c, std::int64_t expected_version) {
  Params p = ConversationParams(c);
  p.Int(expected_version);
  SB_ASSIGN_OR_RETURN(PgResult r, Exec(kUpdateConv, p));
  if (r.affected() > 0) return Status::Ok();
  SB_RETURN_IF_ERROR(GetConversation(c.tenant_id, c.id).status());
  return Status::PreconditionFailed("conversation version is not " +
                                    std::to_string(expected_version));
}

Result<Conversation> PgTx::GetConversation(std::string_view tenant_id, std::string_view id) {
  return One(kGetConv, Params().Text(tenant_id).Text(id), "conversation", &ReadConversation);
}

Result<domain::Page<Conversation>> PgTx::ListConversations(
    std::string_view tenant_id, std::optional<domain::ConversationState> state,
    std::string_view starting_after, int limit) {
  limit = PageLimit(limit);
  Params p;
  p.Text(tenant_id).Text(starting_after).Int(limit + 1);
  if (state) p.Text(domain::Name(*state));
  return PageOf(state ? kListConvsInState : kListConvs, p, limit, &ReadConversation,
                &Conversation::id);
}

Status PgTx::InsertConversationTurn(const ConversationTurn& t) {
  Params p;
  p.Text(t.tenant_id).Text(t.conversation_id).Int(t.seq).Text(t.who).Text(t.subject_id);
  p.Bytes(t.text_sealed).Text(t.intent).OptInt(t.sentiment_milli).Int(t.at);
  return Insert(kInsertTurn, p);
}

Result<std::vector<ConversationTurn>> PgTx::ListConversationTurns(
    std::string_view tenant_id, std::string_view conversation_id) {
  return Many(kListTurns, Params().Text(tenant_id).Text(conversation_id), &ReadTurn);
}

}  // namespace sb::storage::postgres
