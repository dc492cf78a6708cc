#include "app/fraud/fraud_rules.h"

#include <algorithm>

#include "app/accounts/account_requests.h"
#include "app/core/change.h"
#include "app/policy/policy_cache.h"
#include "app/requests/request_flow.h"
#include "crypto/crypto.h"

namespace sb::app {
namespace {

namespace json = boost::json;
using domain::RequestType;

json::object WindowFigures(const domain::FraudRule& rule) {
  return {{"window_minutes", rule.window_minutes}};
}

// More than max_count reactivations within the window, this one included.
Result<std::optional<FiredRule>> ReactivationVelocity(domain::Tx& tx, const CallContext& ctx,
                                                      Timestamp now, const domain::FraudRule& rule,
                                                      const domain::Request& r) {
  using Out = std::optional<FiredRule>;
  if (!rule.enabled || r.type != RequestType::kReactivation) return Out();
  SB_ASSIGN_OR_RETURN(std::int64_t before,
                      tx.CountRequestsSince(ctx.tenant_id, r.account_id, RequestType::kReactivation,
                                            now - rule.window_minutes * kMillisPerMinute));
  std::int64_t count = before + 1;
  if (count <= rule.max_count) return Out();
  json::object figures = WindowFigures(rule);
  figures["reactivations"] = count;
  figures["max_count"] = rule.max_count;
  return Out(FiredRule{"reactivation_velocity", rule.hold, std::move(figures)});
}

// Whether a completed personal_info_update changed the email or the phone.
bool ChangedContact(const domain::Request& r) {
  if (r.type != RequestType::kPersonalInfoUpdate || r.state != domain::RequestState::kCompleted)
    return false;
  json::value result = json::parse(r.result_json.empty() ? "{}" : r.result_json);
  const json::value* changed =
      result.is_object() ? result.as_object().if_contains("fields_changed") : nullptr;
  if (changed == nullptr || !changed->is_array()) return false;
  return std::any_of(changed->as_array().begin(), changed->as_array().end(), [](const auto& f) {
    return f.is_string() && (f.as_string() == "email" || f.as_string() == "phone");
  });
}

// A billing_info_update within the window after a contact change.
Result<std::optional<FiredRule>> ContactThenPayment(domain::Tx& tx, const CallContext& ctx,
                                                    Timestamp now, const domain::FraudRule& rule,
                                                    const domain::Request& r) {
  using Out = std::optional<FiredRule>;
  if (!rule.enabled || r.type != RequestType::kBillingInfoUpdate) return Out();
  domain::RequestFilter f;
  f.account_id = r.account_id;
  f.type = RequestType::kPersonalInfoUpdate;
  f.limit = 100;
  SB_ASSIGN_OR_RETURN(auto page, tx.ListRequests(ctx.tenant_id, f));
  Timestamp since = now - rule.window_minutes * kMillisPerMinute;
  for (const domain::Request& p : page.items) {
    Timestamp at = p.completed_at.value_or(p.updated_at);
    if (at < since || !ChangedContact(p)) continue;
    json::object figures = WindowFigures(rule);
    figures["contact_change_request_id"] = p.id;
    figures["contact_changed_at"] = FormatRfc3339(at);
    figures["minutes_since"] = (now - at) / kMillisPerMinute;
    return Out(FiredRule{"contact_then_payment_change", rule.hold, std::move(figures)});
  }
  return Out();
}

CallContext SystemContextOf(const CallContext& ctx) {
  CallContext sys;
  sys.tenant_id = ctx.tenant_id;
  sys.actor = {domain::ActorType::kSystem, "system", domain::Role::kSystem};
  sys.channel = domain::Channel::kSystem;
  sys.correlation_id = ctx.correlation_id;
  sys.reason_code = "fraud_suspected";
  sys.dry_run = ctx.dry_run;
  return sys;
}

// Places a fraud_review hold on the account unless one is active; the suspension's id, or ""
// when one was already there.
Result<std::string> PlaceFraudHold(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                   Timestamp now, const std::string& account_id,
                                   const std::string& why) {
  SB_ASSIGN_OR_RETURN(auto holds, tx.ListHolds(ctx.tenant_id, account_id, /*active_only=*/true));
  for (const domain::Hold& h : holds) {
    if (h.type == domain::HoldType::kFraudReview) return std::string();
  }
  PlaceHoldInput in;
  in.account_id = account_id;
  in.type = domain::HoldType::kFraudReview;
  in.source = "system";
  CallContext sys = SystemContextOf(ctx);
  sys.comment = why;
  SB_ASSIGN_OR_RETURN(RequestOutcome placed, SubmitInTx(tx, deps, sys, now, HoldRequest(in)));
  return placed.request.id;
}

}  // namespace

Result<std::vector<FiredRule>> FraudRulesFor(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                             const domain::PolicyPack& pack,
                                             const domain::Request& r) {
  std::vector<FiredRule> fired;
  SB_ASSIGN_OR_RETURN(auto velocity,
                      ReactivationVelocity(tx, ctx, now, pack.fraud.reactivation_velocity, r));
  if (velocity) fired.push_back(std::move(*velocity));
  SB_ASSIGN_OR_RETURN(auto contact,
                      ContactThenPayment(tx, ctx, now, pack.fraud.contact_then_payment_change, r));
  if (contact) fired.push_back(std::move(*contact));
  return fired;
}

void MarkForFraudReview(domain::Request& r, const std::vector<FiredRule>& fired) {
  json::value result = json::parse(r.result_json.empty() ? "{}" : r.result_json);
  if (!result.is_object()) result = json::object();
  json::array rules;
  for (const FiredRule& f : fired) rules.push_back(json::value(f.rule));
  result.as_object()["fraud_review"] = std::move(rules);
  r.result_json = json::serialize(result);
}

std::optional<domain::CheckResult> FraudReviewCheck(const domain::Request& r) {
  if (r.result_json.find("\"fraud_review\"") == std::string::npos) return std::nullopt;
  json::value result = json::parse(r.result_json);
  const json::value* rules = result.as_object().if_contains("fraud_review");
  if (rules == nullptr || !rules->is_array()) return std::nullopt;
  std::string names;
  for (const json::value& v : rules->as_array()) {
    if (v.is_string()) names += (names.empty() ? "" : ", ") + std::string(v.as_string());
  }
  domain::CheckResult c;
  c.kind = domain::CheckKind::kNoFraudHold;
  for (const domain::Decision& d : r.decisions) {
    if (d.approved && domain::RoleSatisfies(d.actor.role, domain::Role::kSupervisor)) {
      c.passed = true;
      c.waits_for = domain::RequestState::kApproved;
      c.detail = "fraud_review (" + names + ") approved by " + d.actor.id;
      return c;
    }
  }
  c.waits_for = domain::RequestState::kVerifying;
  c.detail = "fraud_review (" + names + "): waits for a supervisor's approval";
  return c;
}

bool AwaitsFraudReview(const domain::Request& r) {
  auto check = FraudReviewCheck(r);
  return r.state == domain::RequestState::kVerifying && check && !check->passed;
}

namespace {

// RecordFraudSignals, giving the id of the suspension that placed the hold ("" for none).
Result<std::string> RecordSignals(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                  Timestamp now, const std::string& account_id,
                                  const std::string& request_id,
                                  const std::vector<FiredRule>& fired) {
  std::string hold_request;
  for (const FiredRule& f : fired) {
    if (!f.hold || !hold_request.empty()) continue;
    SB_ASSIGN_OR_RETURN(hold_request,
                        PlaceFraudHold(tx, deps, ctx, now, account_id, "fraud rule " + f.rule));
  }
  ChangeRecorder rec(tx, ctx, now);
  for (const FiredRule& f : fired) {
    domain::FraudSignal s{ctx.tenant_id,
                          crypto::NewId("fsig", now),
                          f.rule,
                          account_id,
                          request_id,
                          f.hold ? hold_request : "",
                          json::serialize(f.figures),
                          now};
    SB_RETURN_IF_ERROR(tx.InsertFraudSignal(s));
    json::object after{{"rule", s.rule}, {"figures", f.figures}};
    if (!s.hold_request_id.empty()) after["hold_request_id"] = s.hold_request_id;
    SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity, "fraud.signal", "fraud_signal",
                                 s.id, account_id, request_id, {}, after));
  }
  return hold_request;
}

}  // namespace

Status RecordFraudSignals(domain::Tx& tx, const Deps& deps, const CallContext& ctx, Timestamp now,
                          const std::string& account_id, const std::string& request_id,
                          const std::vector<FiredRule>& fired) {
  return RecordSignals(tx, deps, ctx, now, account_id, request_id, fired).status();
}

Result<std::string> RecordFraudAlert(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                     Timestamp now, const std::string& account_id,
                                     const boost::json::object& figures) {
  return RecordSignals(tx, deps, ctx, now, account_id, "", {FiredRule{"alert", true, figures}});
}

Status OnFailedCodeCheck(domain::Tx& tx, const Deps& deps, const CallContext& ctx, Timestamp now,
                         const std::string& account_id) {
  auto policy = PolicyInForce(tx, ctx.tenant_id, now);
  if (!policy.ok()) {
    return policy.status().reason() == "no_policy_pack" ? Status::Ok() : policy.status();
  }
  const domain::FraudRule& rule = (*policy)->pack.fraud.failed_codes;
  if (!rule.enabled) return Status::Ok();
  SB_ASSIGN_OR_RETURN(auto checks, tx.ListCodeChecks(ctx.tenant_id, account_id, "",
                                                     now - rule.window_minutes * kMillisPerMinute));
  auto failed = std::count_if(checks.begin(), checks.end(),
                              [](const domain::CodeCheck& c) { return !c.passed; });
  if (failed != rule.max_count) return Status::Ok();
  json::object figures = WindowFigures(rule);
  figures["failed_checks"] = static_cast<std::int64_t>(failed);
  figures["max_count"] = rule.max_count;
  return RecordFraudSignals(tx, deps, ctx, now, account_id, "",
                            {FiredRule{"failed_codes", rule.hold, std::move(figures)}});
}

}  // namespace sb::app
