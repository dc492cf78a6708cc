#pragma once

// Customer satisfaction. A completed request's `request.completed` email carries a link,
// `<portal_url>#csat=<token>`, to a 1-5 score with an optional comment; the portal page posts it
// to POST /v1/csat. The token names its tenant (people_secrets.h) and is stored only as its
// SHA-256; it works once, for kCsatLinkLifetime. The comment is personal data, sealed under the
// account's data key. KPIs show the mean score and count (domain/kpis.h).

#include <string>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Inside `tx` (the transaction that tells the customer their request completed): a new link
// for `request`, its token's hash stored; the link, or "" when `portal_url` is empty or the
// request already has one (then nothing is stored).
Result<std::string> NewCsatLink(domain::Tx& tx, const domain::Request& request, Timestamp now,
                                const std::string& portal_url);

struct CsatInput {
  std::string token;
  int score = 0;        // 1..5
  std::string comment;  // at most domain::kMaxCsatComment bytes; may be empty
};

// Recording the customer's answer: one write transaction. Thread-safe.
class CsatAnswers {
 public:
  explicit CsatAnswers(Deps deps) : deps_(deps) {}

  // Records the score and the sealed comment with an audit entry (the score and whether there
  // is a comment, never its text), as the customer. kUnauthenticated for a token that names no
  // link; kUnprocessable "link_expired" past its lifetime; kConflict "already_answered" for a
  // second answer; kInvalidArgument naming "score" or "comment" for values out of range.
  Status Answer(const CsatInput& in, const std::string& correlation_id) const;

 private:
  Deps deps_;
};

}  // namespace sb::app
