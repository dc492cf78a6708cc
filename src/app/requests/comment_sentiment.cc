#include "app/requests/comment_sentiment.h"

#include <algorithm>

#include "app/core/change.h"
#include "app/policy/policy_cache.h"
#include "app/requests/request_flow.h"
#include "app/requests/request_sla.h"
#include "domain/sentiment.h"

namespace sb::app {

namespace json = boost::json;

json::object SentimentJson(const domain::SentimentScore& s) {
  return {{"polarity", s.polarity},
          {"frustration", s.frustration},
          {"label", domain::Name(s.label)},
          {"angry", s.angry},
          {"lexicon_version", s.lexicon_version},
          {"matched_terms", s.matched_terms},
          {"language", s.language}};
}

json::value SentimentSummaryJson(const domain::Request& r) {
  const domain::RequestComment* latest = nullptr;
  double peak = 0;
  int angry = 0;
  bool raised = false;
  for (const domain::RequestComment& c : r.comments) {
    raised = raised || c.raised_priority;
    if (!c.sentiment) continue;
    latest = &c;
    peak = std::max(peak, c.sentiment->frustration);
    angry += c.sentiment->angry ? 1 : 0;
  }
  if (!latest) return nullptr;
  return json::object{{"latest_label", domain::Name(latest->sentiment->label)},
                      {"latest_frustration", latest->sentiment->frustration},
                      {"peak_frustration", peak},
                      {"angry_comments", angry},
                      {"priority_raised", raised}};
}

Status RaiseForFrustration(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                           domain::Request& r) {
  if (r.comments.empty() || domain::IsTerminal(r.state)) return Status::Ok();
  domain::RequestComment& c = r.comments.back();
  if (!c.sentiment || c.sentiment->label != domain::SentimentLabel::kNegative) return Status::Ok();
  if (r.priority == domain::kPriorities[std::size(domain::kPriorities) - 1]) return Status::Ok();
  for (const domain::RequestComment& earlier : r.comments) {
    if (earlier.raised_priority) return Status::Ok();
  }
  auto policy = PolicyInForce(tx, r.tenant_id, now);
  if (!policy.ok()) {
    return policy.status().code() == Code::kUnprocessable ? Status::Ok() : policy.status();
  }
  const domain::SentimentPolicy& rule = (*policy)->pack.sentiment;
  if (!rule.raise_priority_when_angry || c.sentiment->frustration < rule.frustration_threshold) {
    return Status::Ok();
  }
  CallContext system = ctx;
  system.actor = {domain::ActorType::kSystem, "system", domain::Role::kSystem};
  system.channel = domain::Channel::kSystem;
  system.reason_code = "customer_frustration";
  std::string before = r.priority;
  domain::EscalationAction raise;
  raise.raise_priority = true;
  SB_RETURN_IF_ERROR(Escalate(tx, system, now, raise, r));
  c.raised_priority = true;
  ChangeRecorder rec(tx, system, now);
  json::object after{{"priority", r.priority},
                     {"frustration", c.sentiment->frustration},
                     {"frustration_threshold", rule.frustration_threshold}};
  SB_RETURN_IF_ERROR(rec.Audit(CategoryFor(r.type), "request.priority_raised", "request", r.id,
                               r.account_id, r.id, {{"priority", before}}, after));
  return Emit(tx, system, now, "request.escalated", &r, r.account_id,
              {{"reason", "customer_frustration"}, {"priority", r.priority}});
}

}  // namespace sb::app
