// The sentiment scorer (sentiment.h): a tokenizer that folds case and accents, the embedded
// lexicon read once, and a single left-to-right pass over the words.
#include "domain/sentiment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <unordered_map>

namespace sb::domain {
namespace {

// Lower-case, accent-free spelling of U+00C0..U+00FF; "" for the two signs (x and division).
constexpr std::array<const char*, 64> kLatin1Fold = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

struct Token {
  std::string text;    // folded; empty for a clause break
  bool shout = false;  // written in capitals, at least four letters
};

struct Cues {
  int exclamation_runs = 0;  // "!!", "!!!", "?!"...
  int exclamations = 0;      // single "!"
  int question_runs = 0;     // "??"...
};

// Decodes the code point at text[i], advancing i; -1 for an invalid sequence (one byte eaten).
std::int32_t NextCodePoint(std::string_view text, std::size_t& i) {
  auto b = static_cast<unsigned char>(text[i++]);
  if (b < 0x80) return b;
  int extra = b >= 0xF0 && b <= 0xF4   ? 3
              : b >= 0xE0 && b <= 0xEF ? 2
              : b >= 0xC2 && b <= 0xDF ? 1
                                       : -1;
  if (extra < 0 || i + extra > text.size()) return -1;
  std::int32_t cp = b & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    auto c = static_cast<unsigned char>(text[i + k]);
    if ((c & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (c & 0x3F);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are invalid.
  static constexpr std::int32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return -1;
  i += extra;
  return cp;
}

void AppendUtf8(std::string& out, std::int32_t cp) {
  if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  }
  out += static_cast<char>(0x80 | (cp & 0x3F));
}

bool IsClauseBreak(std::int32_t cp) {
  constexpr std::string_view kAscii = ".,;:!?\n()";
  if (cp > 0 && cp < 0x80) return kAscii.find(static_cast<char>(cp)) != std::string_view::npos;
  return cp == 0x2026 || cp == 0x00A1 || cp == 0x00BF;  // ellipsis, inverted ! and ?
}

// Splits `text` into folded words and clause breaks, counting the punctuation cues.
class Tokenizer {
 public:
  std::vector<Token> Run(std::string_view text, Cues* cues) {
    text = text.substr(0, std::min(text.size(), kMaxScoredBytes));
    char run = 0;  // the punctuation run in progress: '!' (any '!'), '?' or none
    int run_length = 0;
    for (std::size_t i = 0; i < text.size();) {
      std::int32_t cp = NextCodePoint(text, i);
      bool mark = cp == '!' || cp == '?';
      if (mark) {
        run = cp == '!' || run == '!' ? '!' : '?';
        ++run_length;
      } else if (run_length > 0 && cp != ' ') {
        EndRun(run, run_length, cues);
        run = 0;
        run_length = 0;
      }
      Take(cp);
    }
    EndRun(run, run_length, cues);
    EndWord();
    return std::move(tokens_);
  }

 private:
  static void EndRun(char run, int length, Cues* cues) {
    if (!cues || length == 0) return;
    if (length >= 2) {
      ++(run == '!' ? cues->exclamation_runs : cues->question_runs);
    } else if (run == '!') {
      ++cues->exclamations;
    }
  }

  void Take(std::int32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return Letter(std::string(1, static_cast<char>(cp + 32)), true);
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
      return Letter(std::string(1, static_cast<char>(cp)), false, cp <= '9');
    if (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7)
      return Letter(kLatin1Fold[cp - 0xC0], cp <= 0xDE);
    if (cp == 0x152 || cp == 0x153) return Letter("oe", cp == 0x152);
    if (cp == 0x178) return Letter("y", true);
    if (cp >= 0x1F000) {  // pictographs: one word each
      EndWord();
      AppendUtf8(word_.text, cp);
      return EndWord();
    }
    bool other_letter = cp >= 0x100 && !(cp >= 0x2000 && cp <= 0x206F) &&
                        !(cp >= 0x2190 && cp <= 0x2BFF) && !(cp >= 0x3000 && cp <= 0x303F);
    if (other_letter) {
      std::string raw;
      AppendUtf8(raw, cp);
      return Letter(raw, false, true);
    }
    EndWord();
    if (IsClauseBreak(cp) && !tokens_.empty() && !tokens_.back().text.empty())
      tokens_.push_back({});
  }

  void Letter(const std::string& folded, bool upper, bool neutral = false) {
    word_.text += folded;
    if (neutral) return;
    ++letters_;
    if (!upper) lower_ = true;
  }

  void EndWord() {
    if (word_.text.empty()) return;
    word_.shout = letters_ >= 4 && !lower_;
    tokens_.push_back(std::move(word_));
    word_ = {};
    letters_ = 0;
    lower_ = false;
  }

  std::vector<Token> tokens_;
  Token word_;
  int letters_ = 0;
  bool lower_ = false;
};

enum class Kind { kTerm, kMarker, kNegator, kIntensifier };

struct Entry {
  double polarity = 0;
  double frustration = 0;
  Kind kind = Kind::kTerm;
  bool negated = false;  // the phrase holds its own negation ("not happy"): never flipped again
};

constexpr int kMaxPhraseWords = 6;
constexpr const char* kLanguages[] = {"en", "fr"};

struct Lexicon {
  std::string version;
  std::unordered_map<std::string, Entry> terms[2];
  std::vector<std::string> problems;
};

int LanguageIndex(std::string_view lang) {
  for (int i = 0; i < 2; ++i)
    if (lang == kLanguages[i]) return i;
  return -1;
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t tab; (tab = line.find('\t', start)) != std::string_view::npos; start = tab + 1)
    out.push_back(line.substr(start, tab - start));
  out.push_back(line.substr(start));
  return out;
}

std::optional<int> SmallInt(std::string_view s, int lo, int hi) {
  bool minus = !s.empty() && s[0] == '-';
  if (minus || (!s.empty() && s[0] == '+')) s.remove_prefix(1);
  if (s.empty() || s.size() > 2) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (minus) v = -v;
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

// A lexicon line into `lex`; a problem named by its line number when it is faulty.
void ReadEntry(Lexicon& lex, std::string_view line, int number) {
  auto problem = [&](const std::string& what) {
    lex.problems.push_back("line " + std::to_string(number) + ": " + what);
  };
  std::vector<std::string_view> f = SplitTabs(line);
  if (f.size() != 4) return problem("expected 4 tab-separated fields");
  int lang = LanguageIndex(f[0]);
  if (lang < 0) return problem("unknown language '" + std::string(f[0]) + "'");
  Tokenizer tokenizer;
  std::vector<Token> words = tokenizer.Run(f[1], nullptr);
  std::string key;
  for (const Token& w : words) {
    if (w.text.empty()) return problem("punctuation in term '" + std::string(f[1]) + "'");
    key += (key.empty() ? "" : " ") + w.text;
  }
  if (key.empty() || static_cast<int>(words.size()) > kMaxPhraseWords)
    return problem("term must have 1 to 6 words");
  Entry e;
  if (f[2] == "negator" || f[2] == "intensifier") {
    e.kind = f[2] == "negator" ? Kind::kNegator : Kind::kIntensifier;
    if (f[3] != "0") return problem("a modifier's frustration must be 0");
  } else {
    auto polarity = SmallInt(f[2], -4, 4);
    auto frustration = SmallInt(f[3], 0, 3);
    if (!polarity) return problem("polarity must be -4..4, negator or intensifier");
    if (!frustration) return problem("frustration must be 0..3");
    e.polarity = *polarity;
    e.frustration = *frustration;
    if (*polarity == 0 && *frustration == 0) e.kind = Kind::kMarker;
  }
  if (!lex.terms[lang].emplace(key, e).second) problem("duplicate term '" + key + "'");
}

// Marks the phrases that contain a negator of their language.
void MarkNegatedPhrases(Lexicon& lex) {
  for (auto& terms : lex.terms) {
    for (auto& [key, entry] : terms) {
      if (entry.kind != Kind::kTerm) continue;
      std::vector<std::string> words;
      for (std::size_t start = 0, space;; start = space + 1) {
        space = key.find(' ', start);
        words.push_back(key.substr(start, space - start));
        if (space == std::string::npos) break;
      }
      for (std::size_t i = 0; i < words.size() && !entry.negated; ++i) {
        std::string sub;
        for (std::size_t j = i; j < words.size() && !entry.negated; ++j) {
          sub += (j == i ? "" : " ") + words[j];
          if (sub == key) continue;
          auto it = terms.find(sub);
          entry.negated = it != terms.end() && it->second.kind == Kind::kNegator;
        }
      }
    }
  }
}

Lexicon BuildLexicon(std::string_view tsv) {
  Lexicon lex;
  int number = 0;
  for (std::size_t start = 0; start <= tsv.size();) {
    std::size_t end = tsv.find('\n', start);
    if (end == std::string_view::npos) end = tsv.size();
    std::string_view line = tsv.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    constexpr std::string_view kVersion = "# version ";
    if (line.substr(0, kVersion.size()) == kVersion) lex.version = line.substr(kVersion.size());
    if (line.empty() || line[0] == '#') continue;
    ReadEntry(lex, line, number);
  }
  if (lex.version.empty()) lex.problems.push_back("no '# version' line");
  MarkNegatedPhrases(lex);
  return lex;
}

const Lexicon& TheLexicon() {
  static const Lexicon lex = BuildLexicon(SentimentLexiconTsv());
  return lex;
}

struct Sums {
  double polarity = 0;
  double frustration = 0;
  int matched = 0;  // terms with a weight
  int seen = 0;     // every entry met, markers and modifiers included
};

// One pass over `tokens` with the lexicon of one language.
Sums Score(const std::vector<Token>& tokens, const std::unordered_map<std::string, Entry>& terms) {
  Sums sums;
  int negate_left = 0, boost_left = 0;
  double boost = 1;
  std::string key;
  for (std::size_t i = 0; i < tokens.size();) {
    if (tokens[i].text.empty()) {
      negate_left = boost_left = 0;
      boost = 1;
      ++i;
      continue;
    }
    const Entry* best = nullptr;
    std::size_t best_len = 1;
    key.clear();
    for (std::size_t len = 1; len <= kMaxPhraseWords && i + len <= tokens.size(); ++len) {
      const std::string& w = tokens[i + len - 1].text;
      if (w.empty()) break;
      key += (len > 1 ? " " : "") + w;
      if (auto it = terms.find(key); it != terms.end()) {
        best = &it->second;
        best_len = len;
      }
    }
    i += best_len;
    if (best) ++sums.seen;
    if (best && best->kind == Kind::kNegator) {
      negate_left = 3;
    } else if (best && best->kind == Kind::kIntensifier) {
      boost = std::min(boost * 1.5, 2.25);
      boost_left = 2;
    } else if (best && best->kind == Kind::kTerm) {
      double p = best->polarity * (boost_left > 0 ? boost : 1);
      double f = best->frustration * (boost_left > 0 ? boost : 1);
      if (negate_left > 0 && !best->negated) {
        // "not happy" is displeased; "not bad" is mildly good and never frustrated.
        f = p > 0 ? f + 0.5 : 0;
        p = p > 0 ? -0.75 * p : -0.5 * p;
      }
      sums.polarity += p;
      sums.frustration += f;
      ++sums.matched;
      negate_left = boost_left = 0;
      boost = 1;
    } else {
      if (negate_left > 0) --negate_left;
      if (boost_left > 0 && --boost_left == 0) boost = 1;
    }
  }
  return sums;
}

double Round3(double v) { return std::round(v * 1000) / 1000; }

}  // namespace

std::string_view Name(SentimentLabel v) {
  switch (v) {
    case SentimentLabel::kPositive:
      return "positive";
    case SentimentLabel::kNegative:
      return "negative";
    case SentimentLabel::kNeutral:
      break;
  }
  return "neutral";
}

std::optional<SentimentLabel> ParseSentimentLabel(std::string_view text) {
  for (auto v : {SentimentLabel::kPositive, SentimentLabel::kNeutral, SentimentLabel::kNegative})
    if (Name(v) == text) return v;
  return std::nullopt;
}

std::string FoldForMatching(std::string_view text) {
  std::string out;
  for (const Token& t : Tokenizer().Run(text, nullptr)) {
    if (t.text.empty()) continue;
    out += (out.empty() ? "" : " ") + t.text;
  }
  return out;
}

std::string_view SentimentLexiconVersion() { return TheLexicon().version; }

std::vector<std::string> SentimentLexiconProblems() { return TheLexicon().problems; }

SentimentScore ScoreText(std::string_view text, std::string_view locale) {
  const Lexicon& lex = TheLexicon();
  Cues cues;
  std::vector<Token> tokens = Tokenizer().Run(text, &cues);
  int lang = LanguageIndex(locale.substr(0, 2));
  if (locale.size() > 2 && locale[2] != '-' && locale[2] != '_') lang = -1;
  Sums sums;
  if (lang >= 0) {
    sums = Score(tokens, lex.terms[lang]);
  } else {
    Sums en = Score(tokens, lex.terms[0]), fr = Score(tokens, lex.terms[1]);
    lang = fr.seen > en.seen ? 1 : 0;
    sums = lang == 1 ? fr : en;
  }
  int shouted = static_cast<int>(
      std::count_if(tokens.begin(), tokens.end(), [](const Token& t) { return t.shout; }));
  double cue = std::min(cues.exclamation_runs, 2) * 1.0 + std::min(cues.exclamations, 3) * 0.2 +
               std::min(cues.question_runs, 2) * 0.5 +
               (shouted >= 2 ? std::min(shouted, 3) * 0.75 : 0);
  // Exclamation marks and capitals in a glad text are enthusiasm more than anger.
  if (sums.polarity > 0) cue *= 0.3;
  double frustration = sums.frustration + cue;
  SentimentScore s;
  s.polarity = Round3(sums.polarity / std::sqrt(sums.polarity * sums.polarity + 6));
  s.frustration = Round3(frustration / (frustration + 2.5));
  s.label = s.polarity >= kPolarityLabel    ? SentimentLabel::kPositive
            : s.polarity <= -kPolarityLabel ? SentimentLabel::kNegative
                                            : SentimentLabel::kNeutral;
  s.angry = s.frustration >= kAngryFrustration && s.polarity < 0;
  s.lexicon_version = lex.version;
  s.matched_terms = sums.matched;
  s.language = kLanguages[lang];
  return s;
}

}  // namespace sb::domain
