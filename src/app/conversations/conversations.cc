// Conversations: starting one, reading one, and writing a turn with its reply (the decision of
// a turn is conversations_turn.cc).
#include "app/conversations/conversations.h"

#include <cmath>

#include "app/accounts/account_data.h"
#include "app/conversations/conversation_replies.h"
#include "app/core/change.h"
#include "app/requests/comment_sentiment.h"
#include "app/requests/request_flow.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;
using domain::ConversationState;

namespace {

constexpr Timestamp kMinute = 60 * kMillisPerSecond;

// Characters of valid UTF-8 text: bytes that do not continue a sequence.
int CodePoints(const std::string& text) {
  int n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

Status CheckTurnText(const std::string& text) {
  bool blank = text.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank || CodePoints(text) > kMaxTurnChars) {
    return Status::Invalid(
        "text", "text must be 1-" + std::to_string(kMaxTurnChars) + " characters, not only spaces");
  }
  return Status::Ok();
}

Timestamp ExpiresAt(const domain::Conversation& c, const domain::AssistantPolicy& p) {
  return c.updated_at + p.idle_minutes * kMinute;
}

// The turn's text hashed for the audit log: keyed, so that a short text cannot be guessed back.
std::string TextMac(const Keyring& keyring, const std::string& text) {
  return crypto::Hex(crypto::HmacSha256(keyring.DerivedKey("conversation.turn"), text));
}

std::string Joined(const std::vector<std::string>& says) {
  std::string out;
  for (const std::string& s : says) {
    if (s.empty()) continue;
    if (!out.empty()) out += " ";
    out += s;
  }
  return out;
}

std::vector<ConversationOption> OptionsOf(const domain::Conversation& c) {
  std::vector<ConversationOption> out;
  for (std::size_t i = 0; i < c.options.size(); ++i) {
    out.push_back(
        {std::to_string(i + 1), c.options[i], replies::OptionLabel(c.locale, c.options[i])});
  }
  return out;
}

Result<domain::AssistantPolicy> AssistantInForce(domain::Tx& tx, const std::string& tenant_id,
                                                 Timestamp now) {
  SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, tenant_id, now));
  if (!policy->pack.assistant.enabled) {
    return Status::Conflict("assistant_not_configured",
                            "the policy pack in force has no assistant: section");
  }
  return policy->pack.assistant;
}

// Writes one turn, sealed under the account's data key once it is known, else the
// conversation's own.
Result<domain::ConversationTurn> WriteTurn(domain::Tx& tx, const Keyring& keyring,
                                           const domain::Conversation& c, int seq, std::string who,
                                           const std::string& text, std::string intent,
                                           Timestamp now) {
  domain::ConversationTurn t;
  t.tenant_id = c.tenant_id;
  t.conversation_id = c.id;
  t.seq = seq;
  t.who = std::move(who);
  t.subject_id = c.account_id.empty() ? c.id : c.account_id;
  SB_ASSIGN_OR_RETURN(t.text_sealed, keyring.SealFor(tx, c.tenant_id, t.subject_id, text));
  t.intent = std::move(intent);
  // What the customer wrote is scored as a comment is (app/requests/comment_sentiment.h).
  if (t.who == "customer") {
    t.sentiment_milli = std::lround(domain::ScoreText(text, c.locale).polarity * 1000);
  }
  t.at = now;
  SB_RETURN_IF_ERROR(tx.InsertConversationTurn(t));
  return t;
}

json::object TurnAudit(const Keyring& keyring, const domain::ConversationTurn& t,
                       const std::string& text, const domain::Conversation& c) {
  json::object audit{{"seq", t.seq},
                     {"who", t.who},
                     {"intent", t.intent},
                     {"state", domain::Name(c.state)},
                     {"channel", domain::Name(c.channel)},
                     {"text_hmac", TextMac(keyring, text)},
                     {"at", FormatRfc3339(t.at)}};
  // The customer's mood shows in the timeline; the text never does.
  if (t.who == "customer") audit["sentiment"] = SentimentJson(domain::ScoreText(text, c.locale));
  return audit;
}

// The turns before the account was known, listed on the account by `conversation.identified`.
Result<json::array> EarlierTurns(domain::Tx& tx, const Keyring& keyring,
                                 const domain::Conversation& c) {
  SB_ASSIGN_OR_RETURN(auto turns, tx.ListConversationTurns(c.tenant_id, c.id));
  json::array out;
  for (const auto& t : turns) {
    auto text = keyring.OpenFor(tx, c.tenant_id, t.subject_id, t.text_sealed);
    out.push_back(TurnAudit(keyring, t, text.ok() ? *text : "", c));
  }
  return out;
}

}  // namespace

CallContext Conversations::Inner(const CallContext& ctx, const domain::Conversation& c,
                                 const domain::AssistantPolicy& p, bool dry_run) {
  CallContext inner = ctx;
  inner.channel = c.channel;
  inner.reason_code = p.reason_code;
  inner.comment.clear();
  inner.idempotency_key.clear();
  inner.fingerprint.clear();
  inner.if_match.reset();
  inner.dry_run = dry_run;
  return inner;
}

Result<ConversationReply> Conversations::Start(const CallContext& ctx, const std::string& channel,
                                               const std::string& locale,
                                               const AnswerFn<ConversationReply>& answer) const {
  auto ch = domain::Parse<domain::Channel>(channel);
  if (!ch || (*ch != domain::Channel::kChat && *ch != domain::Channel::kIvr)) {
    return Status::Invalid("channel", "channel must be chat or ivr");
  }
  if (!domain::IsAssistantLocale(locale))
    return Status::Invalid("locale", "locale must be en or fr");
  if (ctx.dry_run) {
    return Status::Unprocessable("dry_run_refused", "a conversation has no dry run", "dry_run");
  }
  return RunChange<ConversationReply>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<ConversationReply> {
        SB_ASSIGN_OR_RETURN(domain::AssistantPolicy policy,
                            AssistantInForce(tx, ctx.tenant_id, now));
        domain::Conversation c;
        c.tenant_id = ctx.tenant_id;
        c.id = crypto::NewId("conv", now);
        c.channel = *ch;
        c.locale = locale;
        c.turns = 1;
        c.created_at = c.updated_at = now;
        SB_RETURN_IF_ERROR(tx.InsertConversation(c));
        std::string text = replies::Say(locale, "greeting");
        SB_ASSIGN_OR_RETURN(auto t, WriteTurn(tx, deps_.keyring, c, 1, "assistant", text, "", now));
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kCustomerData, "conversation.started",
                                     "conversation", c.id, "", "", {},
                                     TurnAudit(deps_.keyring, t, text, c)));
        ConversationReply out;
        out.conversation = c;
        out.text = text;
        out.expires_at = ExpiresAt(c, policy);
        return out;
      });
}

Result<Conversations::Loaded> Conversations::Load(const CallContext& ctx,
                                                  const std::string& id) const {
  Loaded l;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    l.now = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(l.conversation, tx.GetConversation(ctx.tenant_id, id));
    SB_ASSIGN_OR_RETURN(l.policy, AssistantInForce(tx, ctx.tenant_id, l.now));
    return Status::Ok();
  }));
  const domain::Conversation& c = l.conversation;
  if (domain::IsFinal(c.state) || l.now >= ExpiresAt(c, l.policy)) {
    std::string state(
        domain::Name(domain::IsFinal(c.state) ? c.state : ConversationState::kExpired));
    return Status::Conflict("conversation_ended", "the conversation is " + state, "id");
  }
  if (c.turns + 2 > kMaxConversationTurns) {
    return Status::Conflict(
        "too_many_turns",
        "a conversation keeps at most " + std::to_string(kMaxConversationTurns) + " turns", "text");
  }
  return l;
}

Result<ConversationReply> Conversations::Turn(const CallContext& ctx, const std::string& id,
                                              const std::string& text,
                                              const AnswerFn<ConversationReply>& answer) const {
  SB_RETURN_IF_ERROR(CheckTurnText(text));
  if (ctx.dry_run) {
    return Status::Unprocessable("dry_run_refused", "a conversation has no dry run", "dry_run");
  }
  SB_ASSIGN_OR_RETURN(Loaded l, Load(ctx, id));
  SB_ASSIGN_OR_RETURN(Plan plan, Decide(ctx, l, text));
  // A filing or hand-over the engine refuses is handed over instead, then without a request.
  for (int attempt = 0;; ++attempt) {
    Result<ConversationReply> r = Commit(ctx, l, plan, answer);
    Code code = r.status().code();
    if (r.ok() || attempt == 2 || plan.write == Write::kNone || code == Code::kInternal ||
        code == Code::kUnavailable || r.status().reason() == "conversation_busy") {
      return r;
    }
    if (plan.write == Write::kFile) {
      plan.write = Write::kHandOver;
      plan.next.state = ConversationState::kHandedOver;
      plan.next.handover_reason = std::string(domain::Name(domain::HandOverWhy::kNotAllowed));
    } else {
      plan.without_request = true;
    }
  }
}

Result<ConversationReply> Conversations::Commit(const CallContext& ctx, const Loaded& l, Plan plan,
                                                const AnswerFn<ConversationReply>& answer) const {
  std::optional<ConversationReply> out;
  Status s = deps_.store.Write([&](domain::Tx& tx) -> Status {
    out.reset();
    Timestamp now = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(domain::Conversation stored,
                        tx.GetConversation(ctx.tenant_id, l.conversation.id));
    if (stored.version != l.conversation.version) {
      return Status::Conflict("conversation_busy", "another turn of this conversation came first",
                              "id");
    }
    domain::Conversation next = plan.next;
    std::vector<std::string> says = plan.says;
    CallContext inner = Inner(ctx, next, l.policy, false);
    std::string reference;
    if (plan.write == Write::kFile) {
      SubmitInput in;
      in.type = next.offered_type.value_or(domain::RequestType::kReconnection);
      in.account_id = next.account_id;
      in.service_id = plan.service_id;
      SB_ASSIGN_OR_RETURN(RequestOutcome o, SubmitInTx(tx, deps_, inner, now, in));
      next.request_id = o.request.id;
      says.push_back(replies::Filed(next.locale, o.request));
    } else if (plan.write == Write::kHandOver && !next.account_id.empty() &&
               !plan.without_request) {
      SubmitInput in;
      in.type = l.policy.handover_type;
      in.account_id = next.account_id;
      in.assignee = l.policy.handover_queue;
      SB_ASSIGN_OR_RETURN(RequestOutcome o, SubmitInTx(tx, deps_, inner, now, in));
      // The transcript stays sealed with the conversation; the comment only points to it.
      SB_ASSIGN_OR_RETURN(domain::Request r, tx.GetRequest(ctx.tenant_id, o.request.id));
      std::string note = "Handed over by the assistant (" + next.handover_reason +
                         "). Transcript: GET /v1/conversations/" + next.id;
      r.comments.push_back({inner.actor, note, now});
      r.updated_at = now;
      SB_RETURN_IF_ERROR(tx.UpdateRequest(r));
      ChangeRecorder rec(tx, inner, now);
      SB_RETURN_IF_ERROR(rec.Audit(CategoryFor(r.type), "request.commented", "request", r.id,
                                   r.account_id, r.id, {},
                                   {{"text_sha256", crypto::Hex(crypto::Sha256(note))}}));
      next.request_id = r.id;
      says.push_back(replies::WithReference(replies::Say(next.locale, "handover_request"), r.id));
    } else if (plan.write == Write::kHandOver) {
      says.push_back(
          replies::WithReference(replies::Say(next.locale, "handover_reference"), next.id));
    }
    reference =
        next.request_id.empty() && plan.write == Write::kHandOver ? next.id : next.request_id;
    std::string text = Joined(says);
    ChangeRecorder rec(tx, inner, now);
    if (plan.identified_now) {
      SB_ASSIGN_OR_RETURN(json::array earlier, EarlierTurns(tx, deps_.keyring, stored));
      SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kCustomerData, "conversation.identified",
                                   "conversation", next.id, next.account_id, "", {},
                                   {{"turns", std::move(earlier)}}));
    }
    next.turns = stored.turns + 2;
    next.version = stored.version + 1;
    next.updated_at = now;
    SB_ASSIGN_OR_RETURN(auto said, WriteTurn(tx, deps_.keyring, next, stored.turns + 1, "customer",
                                             plan.customer_text, plan.intent, now));
    SB_ASSIGN_OR_RETURN(auto answered, WriteTurn(tx, deps_.keyring, next, stored.turns + 2,
                                                 "assistant", text, "", now));
    for (const auto& [t, words] :
         {std::pair{said, plan.customer_text}, std::pair{answered, text}}) {
      SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kCustomerData, "conversation.turn",
                                   "conversation", next.id, next.account_id, next.request_id, {},
                                   TurnAudit(deps_.keyring, t, words, next)));
    }
    SB_RETURN_IF_ERROR(tx.UpdateConversation(next, stored.version));
    out = ConversationReply{
        next,      next.account_id,          text, OptionsOf(next), next.request_id,
        reference, ExpiresAt(next, l.policy)};
    return StoreAnswerIfKeyed(tx, deps_.keyring, ctx, now, answer, *out);
  });
  if (!s.ok()) return s;
  return std::move(*out);
}

Result<ConversationRecord> Conversations::Get(const CallContext& ctx, const std::string& id) const {
  ConversationRecord out;
  bool clear = ReadsPersonalData(ctx.actor);
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(out.conversation, tx.GetConversation(ctx.tenant_id, id));
    domain::AssistantPolicy policy;  // the defaults when the pack has no section any more
    if (auto p = PolicyInForce(tx, ctx.tenant_id, now); p.ok()) policy = (*p)->pack.assistant;
    out.expires_at = ExpiresAt(out.conversation, policy);
    if (!domain::IsFinal(out.conversation.state) && now >= out.expires_at) {
      out.conversation.state = ConversationState::kExpired;
    }
    SB_ASSIGN_OR_RETURN(auto turns, tx.ListConversationTurns(ctx.tenant_id, id));
    for (const auto& t : turns) {
      OpenedTurn o{t.seq, t.who, std::nullopt, t.intent, t.sentiment_milli, t.at};
      if (clear) {
        auto text = deps_.keyring.OpenFor(tx, ctx.tenant_id, t.subject_id, t.text_sealed);
        if (text.ok()) o.text = std::move(text).value();
      }
      out.turns.push_back(std::move(o));
    }
    return Status::Ok();
  }));
  return out;
}

Result<domain::Page<ConversationRecord>> Conversations::List(const CallContext& ctx,
                                                             const std::string& state,
                                                             const std::string& starting_after,
                                                             int limit) const {
  std::optional<ConversationState> only;
  if (!state.empty()) {
    only = domain::Parse<ConversationState>(state);
    if (only != ConversationState::kHandedOver && only != ConversationState::kCompleted) {
      return Status::Invalid("state", "'state' lists handed_over or completed conversations.");
    }
  }
  domain::Page<ConversationRecord> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    Timestamp now = deps_.clock.Now();
    SB_ASSIGN_OR_RETURN(auto page,
                        tx.ListConversations(ctx.tenant_id, only, starting_after, limit));
    domain::AssistantPolicy policy;  // the defaults when the pack has no section any more
    if (auto p = PolicyInForce(tx, ctx.tenant_id, now); p.ok()) policy = (*p)->pack.assistant;
    out.has_more = page.has_more;
    out.next_cursor = page.next_cursor;
    for (auto& c : page.items) {
      ConversationRecord r;
      r.conversation = std::move(c);
      r.expires_at = ExpiresAt(r.conversation, policy);
      if (!domain::IsFinal(r.conversation.state) && now >= r.expires_at) {
        r.conversation.state = ConversationState::kExpired;
      }
      out.items.push_back(std::move(r));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace sb::app
