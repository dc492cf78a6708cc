#pragma once

// Sentiment and frustration of a short text (an agent's note on a request, a customer's message,
// a turn of a conversation), scored against the lexicon of lexicons/sentiment.tsv, which the
// build embeds in the binary (cmake/embed_lexicon.cmake). Pure: no I/O, no model, no clock.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::domain {

enum class SentimentLabel { kPositive, kNeutral, kNegative };

// Stable name: "positive", "neutral", "negative".
std::string_view Name(SentimentLabel v);
// The label named `text`; nullopt for unknown text.
std::optional<SentimentLabel> ParseSentimentLabel(std::string_view text);

// What ScoreText found in one text.
struct SentimentScore {
  double polarity = 0;     // -1 (very negative) .. +1 (very positive)
  double frustration = 0;  // 0 (calm) .. 1 (furious)
  SentimentLabel label = SentimentLabel::kNeutral;
  // Negative and frustrated: frustration >= kAngryFrustration with a negative polarity.
  bool angry = false;
  std::string lexicon_version;  // the `# version` line of the lexicon scored against
  int matched_terms = 0;        // lexicon terms with a weight that the text contained
  std::string language;         // "en" or "fr": the lexicon used
};

// Polarity at or beyond +-kPolarityLabel is positive or negative, neutral in between.
inline constexpr double kPolarityLabel = 0.25;
// Frustration from which a negative text is angry.
inline constexpr double kAngryFrustration = 0.5;
// Only the first kMaxScoredBytes of a text are read: longer texts score as their beginning.
inline constexpr std::size_t kMaxScoredBytes = 16 * 1024;

// Scores `text` (UTF-8; invalid sequences count as spaces) in the language of `locale` ("en",
// "fr", or a tag starting with either, e.g. "fr-CA"); for any other locale, empty included, in
// the language whose lexicon matches more of the text (English on a tie). Folds case and
// accents, matches phrases longest first, flips the polarity of the next term after a negator,
// strengthens it after an intensifier, and adds frustration for runs of "!!" or "??" and for
// words written in capitals. Linear in the text's length; thread-safe.
SentimentScore ScoreText(std::string_view text, std::string_view locale);

// The version of the embedded lexicon, e.g. "2026-12-05.1".
std::string_view SentimentLexiconVersion();

// What is wrong with the embedded lexicon, one line per faulty entry (empty when it is sound):
// unknown language, weights out of range, a term that folds to nothing, a duplicate.
std::vector<std::string> SentimentLexiconProblems();

// Lower-case, accent-free form of `text` used for matching: words separated by single spaces.
// Exposed for tests.
std::string FoldForMatching(std::string_view text);

// The lexicon's text (lexicons/sentiment.tsv), generated at build time.
std::string_view SentimentLexiconTsv();

}  // namespace sb::domain
