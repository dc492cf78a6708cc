#pragma once

// The guided assistant of the chat widget and the IVR (docs/ASSISTANT.md): a conversation
// walks an anonymous customer through identifying the account by a one-time code
// (app/verification/), hears what blocks the service from the request engine's own dry run,
// files the request the pack allows on channel chat or ivr through the engine, and hands over
// to a person what it cannot do. The state machine and the matching of words are
// domain/assistant.h; the sentences are app/conversations/conversation_replies.h.
//
// Every turn is stored (text sealed) with the assistant's answer in one transaction, with a
// `conversation.turn` audit entry on the account once it is known (the account's timeline
// shows them). A turn may first run the code's own transaction (sending or checking it, so a
// wrong guess counts even if the turn then fails) or a dry run of the request. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "app/core/context.h"
#include "app/policy/policy_cache.h"
#include "app/requests/requests.h"
#include "app/verification/verification_codes.h"
#include "common/status.h"
#include "domain/assistant.h"
#include "domain/model.h"

namespace sb::app {

inline constexpr int kMaxTurnChars = 1000;         // characters (code points) of one turn
inline constexpr int kMaxConversationTurns = 100;  // customer and assistant turns together

// One choice offered, keyed "1", "2"... so that an IVR can map it to a key.
struct ConversationOption {
  std::string key;
  domain::Intent intent = domain::Intent::kYes;
  std::string text;
};

// The assistant's answer to a turn (or the greeting).
struct ConversationReply {
  domain::Conversation conversation;  // after the turn
  std::string account_id;             // once identified: the stored answer is sealed under it
  std::string text;
  std::vector<ConversationOption> options;
  std::string request_id;  // the request filed or handed over in this turn; empty otherwise
  // What the customer quotes: the request's id, or the conversation's when a hand-over could
  // not be filed on an account (never identified).
  std::string reference;
  Timestamp expires_at = 0;  // when the conversation expires without another turn
};

struct OpenedTurn {
  int seq = 0;
  std::string who;
  std::optional<std::string> text;  // nullopt: masked for this reader, or erased
  std::string intent;
  std::optional<std::int64_t> sentiment_milli;
  Timestamp at = 0;
};

struct ConversationRecord {
  domain::Conversation conversation;  // state `expired` once idle past the pack's limit
  std::vector<OpenedTurn> turns;
  Timestamp expires_at = 0;
};

class Conversations {
 public:
  Conversations(Deps deps, const RequestEngine& engine, const VerificationCodes& codes)
      : deps_(deps), engine_(engine), codes_(codes) {}

  // Starts a conversation on `channel` ("chat" or "ivr") in `locale` ("en" or "fr") and
  // greets the customer. kInvalidArgument naming `channel` or `locale`; kConflict
  // "assistant_not_configured" when the pack in force has no `assistant:` section;
  // kUnprocessable naming `dry_run` for a dry run.
  Result<ConversationReply> Start(const CallContext& ctx, const std::string& channel,
                                  const std::string& locale,
                                  const AnswerFn<ConversationReply>& answer = nullptr) const;

  // The customer says `text`. kInvalidArgument naming `text` when it is empty or longer than
  // kMaxTurnChars; kNotFound "conversation"; kConflict "conversation_ended" (completed,
  // handed over or expired) and "too_many_turns" naming `text`, and "conversation_busy" when
  // another turn of the conversation was written meanwhile: nothing written.
  Result<ConversationReply> Turn(const CallContext& ctx, const std::string& id,
                                 const std::string& text,
                                 const AnswerFn<ConversationReply>& answer = nullptr) const;

  // The conversation and its turns, opened for a reader who reads personal data
  // (ReadsPersonalData), masked (text nullopt) for the others. kNotFound "conversation".
  Result<ConversationRecord> Get(const CallContext& ctx, const std::string& id) const;

  // The tenant's conversations, newest first, without their turns: all of them, or those
  // `state` names, which must be one that never changes again (`handed_over`: the ones waiting
  // for a person; `completed`), else kInvalidArgument "state". A page after the conversation
  // `starting_after` ("" for the first).
  Result<domain::Page<ConversationRecord>> List(const CallContext& ctx, const std::string& state,
                                                const std::string& starting_after, int limit) const;

 private:
  // The conversation as a turn found it, with the pack's section and the time it was read.
  struct Loaded {
    domain::Conversation conversation;
    domain::AssistantPolicy policy;
    Timestamp now = 0;
  };
  enum class Write { kNone, kFile, kHandOver };
  // What a turn will write: the conversation after it, the customer's words as stored, the
  // reply's sentences so far, and the request to file with it.
  struct Plan {
    domain::Conversation next;
    std::string customer_text;
    std::string intent;
    std::vector<std::string> says;
    Write write = Write::kNone;
    std::optional<std::string> service_id;  // a reconnection's service
    bool identified_now = false;
    bool without_request = false;  // a hand-over that files nothing (no account, or refused)
  };

  Result<Loaded> Load(const CallContext& ctx, const std::string& id) const;
  Result<Plan> Decide(const CallContext& ctx, const Loaded& l, const std::string& text) const;
  Result<ConversationReply> Commit(const CallContext& ctx, const Loaded& l, Plan plan,
                                   const AnswerFn<ConversationReply>& answer) const;

  // The steps of Decide that need the engine or the codes (conversations_turn.cc).
  Status LookUp(const CallContext& ctx, const Loaded& l, const domain::TurnDecision& d,
                Plan& plan) const;
  Status CheckCode(const CallContext& ctx, const Loaded& l, const std::string& code,
                   Plan& plan) const;
  Status Answer(const CallContext& ctx, const Loaded& l, domain::Intent intent, Plan& plan) const;
  // The account's first suspended service, if any.
  Result<std::optional<std::string>> SuspendedService(const CallContext& ctx,
                                                      const std::string& account_id) const;
  // `plan` ends the conversation with a hand-over for `why`.
  static void HandOver(Plan& plan, domain::HandOverWhy why);
  // The call as the conversation's own writes carry it: its channel, the pack's reason, no
  // idempotency key of its own (the turn stores the answer), a dry run only when asked.
  static CallContext Inner(const CallContext& ctx, const domain::Conversation& c,
                           const domain::AssistantPolicy& p, bool dry_run);

  Deps deps_;
  const RequestEngine& engine_;
  const VerificationCodes& codes_;
};

}  // namespace sb::app
