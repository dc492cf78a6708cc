#pragma once

// The sentiment of what is written on a request (domain/sentiment.h) and the pack's
// `sentiment:` rule that raises the priority of a request whose customer is angry.

#include <boost/json.hpp>
#include <string_view>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// The score as answers and audit entries show it: polarity, frustration, label, angry,
// lexicon_version, matched_terms and language.
boost::json::object SentimentJson(const domain::SentimentScore& s);

// What the request's scored comments say, for the queue: the latest comment's label and
// frustration, the peak frustration, how many were angry and whether one raised the priority.
// Null when no comment of `r` was scored.
boost::json::value SentimentSummaryJson(const domain::Request& r);

// Applies the pack's `sentiment:` rule to the comment just appended to `r` (its last): when the
// rule is on, the comment is negative with a frustration at or above the threshold, the request
// is open, below `urgent` and no earlier comment raised it, the priority goes one step up as an
// SLA escalation's raise_priority does (its SLA terms stay), the comment is marked
// raised_priority, a `request.priority_raised` audit entry with reason `customer_frustration`
// and a `request.escalated` webhook event are written, all by the system actor. A tenant with
// no pack raises nothing. The caller stores `r`. Errors only from the store.
Status RaiseForFrustration(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                           domain::Request& r);

}  // namespace sb::app
