#pragma once

// The guided assistant of the chat and IVR channels (docs/ASSISTANT.md): the pack's
// `assistant:` section, how a customer's free text is matched to an intent, the states of a
// conversation and the pure decision of what one customer turn asks for. No I/O: what the
// decision asks for (look an account up, check a code, preview or file a request, hand over)
// is done by app/conversations/.
//
//   awaiting_account -> awaiting_code -> awaiting_intent <-> awaiting_confirmation -> completed
//   any of them -> handed_over (asked for a person, not understood, wrong codes, not allowed)
//   any of them -> expired (no turn within the pack's idle_minutes; derived when read)

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/enums.h"

namespace sb::domain {

// What a customer's words can mean. yes and no answer a question; human asks for a person.
enum class Intent { kReconnect, kReactivate, kStatus, kHuman, kYes, kNo };
std::string_view Name(Intent v);
template <>
std::optional<Intent> Parse<Intent>(std::string_view text);

// The locales the assistant speaks (replies and the pack's words).
inline constexpr std::string_view kAssistantLocales[] = {"en", "fr"};
bool IsAssistantLocale(std::string_view locale);

// The words of one intent in one locale, folded (FoldText) when the pack is read: keywords are
// single words, synonyms are phrases of one or more words matched as a whole.
struct IntentWords {
  std::vector<std::string> keywords;
  std::vector<std::string> synonyms;
};

struct IntentPolicy {
  std::map<std::string, IntentWords> words;  // by locale
  // reconnect and reactivate only: the request types the intent may file, the first one the
  // account can take is offered (reconnection needs a suspended service).
  std::vector<RequestType> request_types;
};

// The pack's `assistant:` section. A pack without it has no assistant (enabled false).
struct AssistantPolicy {
  bool enabled = false;
  std::map<Intent, IntentPolicy> intents;
  int max_unmatched_turns = 2;  // turns not understood in a row before a hand-over, 1..10
  int max_code_attempts = 3;    // wrong codes before a hand-over, 1..5 (the code lock's count)
  int idle_minutes = 30;        // a conversation without a turn for this long is expired, 1..1440
  std::vector<std::string> code_channels = {"sms", "email"};  // tried in this order
  std::string reason_code = "customer_request";  // the X-Reason of what the assistant files
  RequestType handover_type = RequestType::kStatusSync;
  std::string handover_queue = "assistant";  // the assignee of a hand-over request
};

// The rules of the section a parser cannot see (domain/assistant.cc), called by Validate:
// every intent present with words in every locale of kAssistantLocales, at most 64 words of
// at most 64 bytes per list, request types only on reconnect (reconnection) and reactivate
// (reactivation), ranges above, code channels among email and sms, the reason code allowed by
// every type the assistant files, a queue of 1-64 lower-case letters, digits and '_'.
// An Invalid status whose param is the field path, e.g. "assistant.intents.status.fr".
Status ValidateAssistant(const AssistantPolicy& a,
                         const std::map<RequestType, std::vector<std::string>>& reason_codes);

// Lower-case ASCII with the accents of Latin-1 letters folded ("Rétablir" -> "retablir",
// "Œ" -> "oe"); every other byte that is not a letter or a digit becomes one space, runs of
// spaces are one, none leads or trails. Deterministic; never fails on any bytes.
std::string FoldText(std::string_view utf8);

// The intent among `among` whose words `text` holds most (a synonym counts 2, a keyword 1;
// words compared after FoldText, a synonym as consecutive whole words). Ties go to the
// earlier intent of `among`; nullopt when no word matches.
std::optional<Intent> MatchIntent(const AssistantPolicy& p, std::string_view locale,
                                  std::string_view text, const std::vector<Intent>& among);

enum class ConversationState {
  kAwaitingAccount,
  kAwaitingCode,
  kAwaitingIntent,
  kAwaitingConfirmation,
  kCompleted,
  kHandedOver,
  kExpired,
};
std::string_view Name(ConversationState v);
template <>
std::optional<ConversationState> Parse<ConversationState>(std::string_view text);
bool IsFinal(ConversationState s);  // completed, handed_over, expired

// Intents as one comma-separated text of their names, and back (unknown names skipped).
std::string JoinIntents(const std::vector<Intent>& intents);
std::vector<Intent> SplitIntents(std::string_view text);

// Why a conversation went to a person.
enum class HandOverWhy { kAsked, kNotUnderstood, kWrongCodes, kNotAllowed, kCodeNotSent };
std::string_view Name(HandOverWhy v);

// Where a conversation stands, as the decision needs it.
struct ConversationPosition {
  ConversationState state = ConversationState::kAwaitingAccount;
  int unmatched = 0;            // turns not understood in a row
  std::vector<Intent> options;  // offered by the last reply, keyed "1", "2"... in order
};

enum class Step {
  kLookUpAccount,  // account_refs: the words that may be the account number
  kNoted,          // an intent understood before the account is known: ask for it again
  kCheckCode,      // code: the digits read back
  kAnswer,         // intent: explain what blocks it and offer it (reconnect, reactivate, status)
  kFile,           // yes to the offer
  kDecline,        // no to the offer
  kNotUnderstood,  // say so and ask again
  kHandOver,       // why
};

struct TurnDecision {
  Step step = Step::kNotUnderstood;
  std::optional<Intent> intent;
  std::vector<std::string> account_refs;
  std::string code;
  HandOverWhy why = HandOverWhy::kNotUnderstood;
};

inline constexpr int kAssistantCodeDigits = 6;

// What a customer's turn `text` asks for at `at` (pure). An option's number ("1", "2") picks
// the option; "human" words hand over from any state; a turn understood nowhere counts toward
// max_unmatched_turns, and the last one allowed hands over.
TurnDecision Decide(const AssistantPolicy& p, const ConversationPosition& at,
                    std::string_view locale, std::string_view text);

// A conversation as stored (migration 0032). account_id is set once a code proved who the
// customer is; claimed_account_id is the account a code was sent for meanwhile (never shown).
struct Conversation {
  std::string tenant_id;
  std::string id;  // "conv_..."
  std::string account_id;
  std::string claimed_account_id;
  std::string code_channel;  // the channel the code went by
  Channel channel = Channel::kChat;
  std::string locale = "en";
  ConversationState state = ConversationState::kAwaitingAccount;
  std::optional<Intent> wanted;             // what the customer asked for before being identified
  std::optional<RequestType> offered_type;  // awaiting_confirmation: the type offered
  std::vector<Intent> options;
  int unmatched = 0;
  int code_failures = 0;
  int turns = 0;
  std::string request_id;  // the request filed (completed) or the hand-over's
  std::string handover_reason;
  std::int64_t version = 1;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
};

// One turn. The text is sealed (under the account's data key once it is known, else under the
// conversation's own: subject_id says which); digits read back as a code are masked before.
struct ConversationTurn {
  std::string tenant_id;
  std::string conversation_id;
  int seq = 0;      // 1, 2, ... within the conversation
  std::string who;  // "customer" or "assistant"
  std::string subject_id;
  std::string text_sealed;
  std::string intent;  // the intent matched (customer turns), may be empty
  // The polarity of a customer's text (domain/sentiment.h), in thousandths (-1000..1000); unset
  // on the assistant's turns.
  std::optional<std::int64_t> sentiment_milli;
  Timestamp at = 0;
};

}  // namespace sb::domain
