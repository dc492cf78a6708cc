// RequestEngine: the use cases on requests (see requests.h); the machine is request_flow.cc.
#include "app/requests/requests.h"

#include <algorithm>

#include "app/accounts/account_requests.h"
#include "app/core/change.h"
#include "app/fraud/fraud_rules.h"
#include "app/requests/comment_sentiment.h"
#include "app/requests/request_flow.h"
#include "app/requests/request_sla.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;
using domain::RequestState;

namespace {

Result<domain::Request> LoadRequest(domain::Tx& tx, const CallContext& ctx, const std::string& id) {
  return LockRequest(tx, ctx.tenant_id, id);
}

void End(domain::Request& r, RequestState to, Timestamp now) {
  r.state = to;
  r.history.push_back({to, now});
  r.updated_at = now;
  r.completed_at = now;
}

// The approval check that applies to `r`, if its policy has one.
std::optional<domain::CheckSpec> ApprovalSpec(const CompiledPolicy& policy,
                                              const domain::Request& r) {
  for (const auto& spec : domain::EffectiveChecks(policy.For(r.type), r.origin, r.channel)) {
    if (spec.kind == domain::CheckKind::kApproval) return spec;
  }
  return std::nullopt;
}

// Refuses a decision by someone the policy does not let decide.
// A fraud review (app/fraud/fraud_rules.h) is ended by a supervisor other than the requester.
Status CheckFraudReviewer(const CallContext& ctx, const domain::Request& r) {
  if (!domain::RoleSatisfies(ctx.actor.role, domain::Role::kSupervisor)) {
    return {Code::kPermissionDenied, "role_required",
            "ending a fraud review needs the supervisor role"};
  }
  if (ctx.actor.id == r.actor.id) {
    return {Code::kPermissionDenied, "maker_checker",
            "the requester cannot end their own request's fraud review"};
  }
  return Status::Ok();
}

Status CheckDecider(const CallContext& ctx, const CompiledPolicy& policy,
                    const domain::Request& r) {
  std::optional<domain::CheckSpec> spec = ApprovalSpec(policy, r);
  domain::Role role = spec && spec->role
                          ? *spec->role
                          : policy.For(r.type).approval_role.value_or(domain::Role::kAdmin);
  if (!domain::RoleSatisfies(ctx.actor.role, role)) {
    return {Code::kPermissionDenied, "role_required",
            "deciding this request needs the " + std::string(domain::Name(role)) + " role"};
  }
  bool maker_checker = spec ? spec->maker_checker : true;
  if (maker_checker && ctx.actor.id == r.actor.id) {
    return {Code::kPermissionDenied, "maker_checker",
            "the requester cannot decide their own request"};
  }
  return Status::Ok();
}

Status ValidRequestToken(const std::string& value, const char* param, size_t max) {
  if (value.empty() || value.size() > max) {
    return Status::Invalid(
        param, std::string(param) + " must be 1-" + std::to_string(max) + " characters");
  }
  for (char c : value) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
              c == '@' || c == ':';
    if (!ok) return Status::Invalid(param, std::string(param) + " has a character not allowed");
  }
  return Status::Ok();
}

}  // namespace

Result<RequestOutcome> RequestEngine::Submit(const CallContext& ctx, const SubmitInput& in,
                                             const AnswerFn<RequestOutcome>& answer) const {
  if (in.consent_method)
    SB_RETURN_IF_ERROR(ValidRequestToken(*in.consent_method, "consent.method", 64));
  if (!in.assignee.empty()) SB_RETURN_IF_ERROR(ValidRequestToken(in.assignee, "assignee", 100));
  return RunChange<RequestOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<RequestOutcome> {
        SB_ASSIGN_OR_RETURN(RequestOutcome out, SubmitInTx(tx, deps_, ctx, now, in));
        SB_ASSIGN_OR_RETURN(ChangeOutcome change, ChangeOf(tx, deps_, ctx, out));
        out.account = std::move(change.account);
        out.hold = std::move(change.hold);
        out.service = std::move(change.service);
        return out;
      });
}

Result<RequestOutcome> RequestEngine::Decide(const CallContext& ctx, const std::string& id,
                                             bool approve,
                                             const AnswerFn<RequestOutcome>& answer) const {
  return RunChange<RequestOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<RequestOutcome> {
        SB_ASSIGN_OR_RETURN(domain::Request r, LoadRequest(tx, ctx, id));
        bool fraud_review = AwaitsFraudReview(r);
        if (r.state != RequestState::kAwaitingApproval && !fraud_review) {
          return Status::Conflict("not_awaiting_approval",
                                  "request " + r.id + " is " + std::string(domain::Name(r.state)));
        }
        SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, ctx.tenant_id, now));
        SB_RETURN_IF_ERROR(fraud_review ? CheckFraudReviewer(ctx, r)
                                        : CheckDecider(ctx, *policy, r));
        if (!approve) SB_RETURN_IF_ERROR(RequireReason(tx, ctx));
        r.decisions.push_back({ctx.actor, approve, ctx.reason_code, ctx.comment, now});
        if (!approve) End(r, RequestState::kRejected, now);
        return AdvanceInTx(tx, deps_, ctx, now, std::move(r));
      });
}

Result<RequestOutcome> RequestEngine::Cancel(const CallContext& ctx, const std::string& id,
                                             const AnswerFn<RequestOutcome>& answer) const {
  return RunChange<RequestOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<RequestOutcome> {
        SB_ASSIGN_OR_RETURN(domain::Request r, LoadRequest(tx, ctx, id));
        if (domain::IsTerminal(r.state)) {
          return Status::Conflict("request_finished",
                                  "request " + r.id + " is " + std::string(domain::Name(r.state)));
        }
        End(r, RequestState::kCancelled, now);
        return AdvanceInTx(tx, deps_, ctx, now, std::move(r));
      });
}

Result<RequestOutcome> RequestEngine::Assign(const CallContext& ctx, const std::string& id,
                                             const std::string& assignee,
                                             const AnswerFn<RequestOutcome>& answer) const {
  if (!assignee.empty()) SB_RETURN_IF_ERROR(ValidRequestToken(assignee, "assignee", 100));
  return RunChange<RequestOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<RequestOutcome> {
        SB_ASSIGN_OR_RETURN(domain::Request r, LoadRequest(tx, ctx, id));
        json::object before{{"assignee", r.assignee}};
        r.assignee = assignee;
        r.updated_at = now;
        SB_RETURN_IF_ERROR(tx.UpdateRequest(r));
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(CategoryFor(r.type), "request.assigned", "request", r.id,
                                     r.account_id, r.id, before, {{"assignee", assignee}}));
        return RequestOutcome{r, ChecksFromJson(r.checks_json), {}};
      });
}

Result<RequestOutcome> RequestEngine::Comment(const CallContext& ctx, const std::string& id,
                                              const std::string& text,
                                              const AnswerFn<RequestOutcome>& answer) const {
  if (text.empty() || text.size() > 2000) {
    return Status::Invalid("text", "text must be 1-2000 characters");
  }
  const domain::SentimentScore score = domain::ScoreText(text, "");
  return RunChange<RequestOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<RequestOutcome> {
        SB_ASSIGN_OR_RETURN(domain::Request r, LoadRequest(tx, ctx, id));
        if (r.comments.size() >= 200) {
          return Status::Unprocessable("too_many_comments", "a request keeps at most 200 comments");
        }
        r.comments.push_back({ctx.actor, text, now, score});
        r.updated_at = now;
        ChangeRecorder rec(tx, ctx, now);
        // The text may name the customer: the audit entry keeps its hash and its score only.
        SB_RETURN_IF_ERROR(rec.Audit(CategoryFor(r.type), "request.commented", "request", r.id,
                                     r.account_id, r.id, {},
                                     {{"text_sha256", crypto::Hex(crypto::Sha256(text))},
                                      {"sentiment", SentimentJson(score)}}));
        SB_RETURN_IF_ERROR(RaiseForFrustration(tx, ctx, now, r));
        SB_RETURN_IF_ERROR(tx.UpdateRequest(r));
        return RequestOutcome{r, ChecksFromJson(r.checks_json), {}};
      });
}

Result<RequestOutcome> RequestEngine::AnswerOffer(const CallContext& ctx, const std::string& id,
                                                  bool accept, const std::string& offer_code,
                                                  const AnswerFn<RequestOutcome>& answer) const {
  return RunChange<RequestOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<RequestOutcome> {
        SB_ASSIGN_OR_RETURN(domain::Request r, LoadRequest(tx, ctx, id));
        boost::system::error_code ec;
        json::value v = json::parse(r.result_json, ec);
        json::object result = !ec && v.is_object() ? v.as_object() : json::object();
        if (r.state != RequestState::kAwaitingCustomer || !result.contains("offers_pending")) {
          return Status::Conflict("no_offer_pending", "request " + r.id + " has no offer pending");
        }
        json::object chosen;
        for (const auto& o : result["offers_pending"].as_array()) {
          if (o.as_object().at("code").as_string() == offer_code) chosen = o.as_object();
        }
        if (accept && chosen.empty()) {
          return Status::Unprocessable("unknown_offer", "no pending offer has this code",
                                       "offer_code");
        }
        result.erase("offers_pending");
        result["offer"] = {{"code", accept ? offer_code : ""},
                           {"accepted", accept},
                           {"answered_at", FormatRfc3339(now)}};
        if (accept) result["retained"] = true;
        r.result_json = json::serialize(result);
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSubscription,
                                     accept ? "offer.accepted" : "offer.declined", "request", r.id,
                                     r.account_id, r.id, {}, result["offer"].as_object()));
        if (accept) End(r, RequestState::kCancelled, now);
        return AdvanceInTx(tx, deps_, ctx, now, std::move(r));
      });
}

}  // namespace sb::app
