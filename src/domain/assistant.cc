#include "domain/assistant.h"

#include <algorithm>

#include "domain/enum_table.h"

namespace sb::domain {
namespace {

constexpr EnumTable<Intent, 6> kIntentNames{{{Intent::kReconnect, "reconnect"},
                                             {Intent::kReactivate, "reactivate"},
                                             {Intent::kStatus, "status"},
                                             {Intent::kHuman, "human"},
                                             {Intent::kYes, "yes"},
                                             {Intent::kNo, "no"}}};
constexpr EnumTable<ConversationState, 7> kStateNames{
    {{ConversationState::kAwaitingAccount, "awaiting_account"},
     {ConversationState::kAwaitingCode, "awaiting_code"},
     {ConversationState::kAwaitingIntent, "awaiting_intent"},
     {ConversationState::kAwaitingConfirmation, "awaiting_confirmation"},
     {ConversationState::kCompleted, "completed"},
     {ConversationState::kHandedOver, "handed_over"},
     {ConversationState::kExpired, "expired"}}};
constexpr EnumTable<HandOverWhy, 5> kWhyNames{{{HandOverWhy::kAsked, "asked_for_person"},
                                               {HandOverWhy::kNotUnderstood, "not_understood"},
                                               {HandOverWhy::kWrongCodes, "wrong_codes"},
                                               {HandOverWhy::kNotAllowed, "not_allowed"},
                                               {HandOverWhy::kCodeNotSent, "code_not_sent"}}};

// The ASCII letters of U+00C0..U+00FF (Latin-1 letters), indexed from U+00C0; " " for the
// two signs among them (multiplication and division).
constexpr std::string_view kLatin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  " ", "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  " ", "o", "u", "u", "u", "u", "y", "th", "y"};

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::vector<std::string> Split(std::string_view folded) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    if (end > start) out.emplace_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Whether `phrase` (folded words) occurs in `tokens` as consecutive whole words.
bool HasPhrase(const std::vector<std::string>& tokens, const std::vector<std::string>& phrase) {
  if (phrase.empty() || phrase.size() > tokens.size()) return false;
  for (std::size_t i = 0; i + phrase.size() <= tokens.size(); ++i) {
    if (std::equal(phrase.begin(), phrase.end(), tokens.begin() + static_cast<std::ptrdiff_t>(i)))
      return true;
  }
  return false;
}

int IntentScore(const IntentWords& w, const std::vector<std::string>& tokens) {
  int score = 0;
  for (const std::string& k : w.keywords) {
    if (std::find(tokens.begin(), tokens.end(), k) != tokens.end()) score += 1;
  }
  for (const std::string& s : w.synonyms) {
    if (HasPhrase(tokens, Split(s))) score += 2;
  }
  return score;
}

// The words of `text` that may be an account number: those holding a digit, without the
// punctuation around them; at most 3 of at most 64 bytes.
std::vector<std::string> AccountRefs(std::string_view text) {
  std::vector<std::string> refs;
  std::size_t i = 0;
  while (i < text.size() && refs.size() < 3) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
    std::string_view word = text.substr(start, i - start);
    constexpr std::string_view kPunct = ".,;:!?()\"'";
    while (!word.empty() && kPunct.find(word.front()) != std::string_view::npos)
      word.remove_prefix(1);
    while (!word.empty() && kPunct.find(word.back()) != std::string_view::npos)
      word.remove_suffix(1);
    bool digit = std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digit && word.size() <= 64) refs.emplace_back(word);
  }
  return refs;
}

// The digits of `text` in order ("1 2 3-4 5 6" -> "123456").
std::string Digits(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= '0' && c <= '9') out.push_back(c);
  }
  return out;
}

// The option a turn that is only a number picks ("2" -> options[1]).
std::optional<Intent> PickedOption(const std::vector<Intent>& options, std::string_view text) {
  std::vector<std::string> tokens = Split(FoldText(text));
  if (tokens.size() != 1 || tokens[0].size() > 2) return std::nullopt;
  int n = 0;
  for (char c : tokens[0]) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n < 1 || n > static_cast<int>(options.size())) return std::nullopt;
  return options[static_cast<std::size_t>(n - 1)];
}

TurnDecision NotUnderstood(const AssistantPolicy& p, const ConversationPosition& at) {
  TurnDecision d;
  d.step = at.unmatched + 1 >= p.max_unmatched_turns ? Step::kHandOver : Step::kNotUnderstood;
  d.why = HandOverWhy::kNotUnderstood;
  return d;
}

TurnDecision With(Step step, std::optional<Intent> intent) {
  TurnDecision d;
  d.step = step;
  d.intent = intent;
  return d;
}

Status Bad(const std::string& path, const std::string& message) {
  return Status::Invalid(path, path + ": " + message);
}

Status CheckWords(const std::vector<std::string>& words, const std::string& path) {
  if (words.size() > 64) return Bad(path, "at most 64 words");
  for (const std::string& w : words) {
    if (w.empty() || w.size() > 64) return Bad(path, "each word 1-64 letters or digits");
  }
  return Status::Ok();
}

Status CheckIntent(Intent intent, const IntentPolicy& ip, const std::string& path) {
  for (std::string_view locale : kAssistantLocales) {
    std::string lp = path + "." + std::string(locale);
    auto w = ip.words.find(std::string(locale));
    if (w == ip.words.end() || (w->second.keywords.empty() && w->second.synonyms.empty()))
      return Bad(lp, "words in every locale (en, fr) are required");
    SB_RETURN_IF_ERROR(CheckWords(w->second.keywords, lp + ".keywords"));
    SB_RETURN_IF_ERROR(CheckWords(w->second.synonyms, lp + ".synonyms"));
  }
  for (const auto& [locale, words] : ip.words) {
    if (!IsAssistantLocale(locale)) return Bad(path + "." + locale, "locale must be en or fr");
  }
  std::optional<RequestType> own;
  if (intent == Intent::kReconnect) own = RequestType::kReconnection;
  if (intent == Intent::kReactivate) own = RequestType::kReactivation;
  for (RequestType t : ip.request_types) {
    if (t != own)
      return Bad(path + ".request_types",
                 "only reconnect files reconnection and "
                 "reactivate files reactivation");
  }
  if (own && ip.request_types.empty()) return Bad(path + ".request_types", "is required");
  return Status::Ok();
}

bool IsQueueName(std::string_view q) {
  if (q.empty() || q.size() > 64) return false;
  return std::all_of(q.begin(), q.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::string_view Name(Intent v) { return EnumName(kIntentNames, v); }
template <>
std::optional<Intent> Parse<Intent>(std::string_view text) {
  return EnumParse(kIntentNames, text);
}
std::string_view Name(ConversationState v) { return EnumName(kStateNames, v); }
template <>
std::optional<ConversationState> Parse<ConversationState>(std::string_view text) {
  return EnumParse(kStateNames, text);
}
std::string_view Name(HandOverWhy v) { return EnumName(kWhyNames, v); }

bool IsFinal(ConversationState s) {
  return s == ConversationState::kCompleted || s == ConversationState::kHandedOver ||
         s == ConversationState::kExpired;
}

std::string JoinIntents(const std::vector<Intent>& intents) {
  std::string out;
  for (Intent i : intents) {
    if (!out.empty()) out += ",";
    out += Name(i);
  }
  return out;
}

std::vector<Intent> SplitIntents(std::string_view text) {
  std::vector<Intent> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    if (auto i = Parse<Intent>(text.substr(start, end - start))) out.push_back(*i);
    start = end + 1;
  }
  return out;
}

bool IsAssistantLocale(std::string_view locale) {
  return std::find(std::begin(kAssistantLocales), std::end(kAssistantLocales), locale) !=
         std::end(kAssistantLocales);
}

std::string FoldText(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  auto space = [&out] {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    auto b = static_cast<unsigned char>(utf8[i]);
    if (IsAlnum(static_cast<char>(b))) {
      out.push_back(b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : static_cast<char>(b));
      continue;
    }
    auto next = i + 1 < utf8.size() ? static_cast<unsigned char>(utf8[i + 1]) : 0;
    if (b == 0xC3 && next >= 0x80 && next <= 0xBF) {  // U+00C0..U+00FF
      std::string_view ascii = kLatin1[next - 0x80];
      if (ascii == " ") {
        space();
      } else {
        out += ascii;
      }
      ++i;
    } else if (b == 0xC5 && (next == 0x92 || next == 0x93)) {  // Œ œ
      out += "oe";
      ++i;
    } else {
      space();
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::optional<Intent> MatchIntent(const AssistantPolicy& p, std::string_view locale,
                                  std::string_view text, const std::vector<Intent>& among) {
  std::vector<std::string> tokens = Split(FoldText(text));
  std::optional<Intent> best;
  int best_score = 0;
  for (Intent intent : among) {
    auto ip = p.intents.find(intent);
    if (ip == p.intents.end()) continue;
    auto words = ip->second.words.find(std::string(locale));
    if (words == ip->second.words.end()) continue;
    int score = IntentScore(words->second, tokens);
    if (score > best_score) {
      best = intent;
      best_score = score;
    }
  }
  return best;
}

TurnDecision Decide(const AssistantPolicy& p, const ConversationPosition& at,
                    std::string_view locale, std::string_view text) {
  using S = ConversationState;
  const std::vector<Intent> kAsks = {Intent::kHuman, Intent::kReconnect, Intent::kReactivate,
                                     Intent::kStatus};
  std::optional<Intent> picked = PickedOption(at.options, text);
  std::optional<Intent> said = picked;
  if (!said) {
    std::vector<Intent> among = kAsks;
    if (at.state == S::kAwaitingConfirmation) {
      among.insert(among.begin() + 1, {Intent::kYes, Intent::kNo});
    }
    said = MatchIntent(p, locale, text, among);
  }
  if (said == Intent::kHuman) {
    TurnDecision d = With(Step::kHandOver, said);
    d.why = HandOverWhy::kAsked;
    return d;
  }
  switch (at.state) {
    case S::kAwaitingAccount: {
      TurnDecision d = With(Step::kLookUpAccount, said);
      d.account_refs = AccountRefs(text);
      if (!d.account_refs.empty()) return d;
      if (said) return With(Step::kNoted, said);
      return NotUnderstood(p, at);
    }
    case S::kAwaitingCode: {
      TurnDecision d = With(Step::kCheckCode, std::nullopt);
      d.code = Digits(text);
      if (d.code.size() == static_cast<std::size_t>(kAssistantCodeDigits)) return d;
      return NotUnderstood(p, at);
    }
    case S::kAwaitingConfirmation:
      if (said == Intent::kYes) return With(Step::kFile, said);
      if (said == Intent::kNo) return With(Step::kDecline, said);
      [[fallthrough]];
    case S::kAwaitingIntent:
      if (said == Intent::kReconnect || said == Intent::kReactivate || said == Intent::kStatus)
        return With(Step::kAnswer, said);
      return NotUnderstood(p, at);
    default:
      return NotUnderstood(p, at);
  }
}

}  // namespace sb::domain

namespace sb::domain {

Status ValidateAssistant(const AssistantPolicy& a,
                         const std::map<RequestType, std::vector<std::string>>& reason_codes) {
  if (!a.enabled) return Status::Ok();
  for (const auto& [intent, name] : kIntentNames) {
    auto ip = a.intents.find(intent);
    std::string path = "assistant.intents." + std::string(name);
    if (ip == a.intents.end()) return Bad(path, "every intent needs its words");
    SB_RETURN_IF_ERROR(CheckIntent(intent, ip->second, path));
  }
  if (a.max_unmatched_turns < 1 || a.max_unmatched_turns > 10)
    return Bad("assistant.max_unmatched_turns", "must be 1 to 10");
  if (a.max_code_attempts < 1 || a.max_code_attempts > 5)
    return Bad("assistant.max_code_attempts", "must be 1 to 5");
  if (a.idle_minutes < 1 || a.idle_minutes > 1440)
    return Bad("assistant.idle_minutes", "must be 1 to 1440");
  if (a.code_channels.empty() || a.code_channels.size() > 2)
    return Bad("assistant.code_channels", "one or two of email, sms");
  for (const std::string& c : a.code_channels) {
    if (c != "email" && c != "sms") return Bad("assistant.code_channels", "email or sms");
  }
  if (!IsQueueName(a.handover_queue))
    return Bad("assistant.handover.queue", "1-64 lower-case letters, digits and '_'");
  std::vector<RequestType> filed = {a.handover_type};
  for (const auto& [intent, ip] : a.intents) {
    filed.insert(filed.end(), ip.request_types.begin(), ip.request_types.end());
  }
  for (RequestType t : filed) {
    auto codes = reason_codes.find(t);
    if (codes == reason_codes.end() || std::find(codes->second.begin(), codes->second.end(),
                                                 a.reason_code) == codes->second.end()) {
      return Bad("assistant.reason_code", "must be one of the reason codes of " +
                                              std::string(Name(t)) + ", which the assistant files");
    }
  }
  return Status::Ok();
}

}  // namespace sb::domain
