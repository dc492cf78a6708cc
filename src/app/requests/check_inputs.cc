#include "app/requests/check_inputs.h"

#include <algorithm>
#include <boost/json.hpp>

namespace sb::app {

namespace json = boost::json;
using domain::RequestState;

namespace {

json::object ActorJson(const domain::Actor& a) {
  json::object o{{"type", domain::Name(a.type)}, {"id", a.id}};
  if (a.role) o["role"] = domain::Name(*a.role);
  return o;
}

json::object InputHoldJson(const domain::Hold& h) {
  json::object o{{"id", h.id},
                 {"type", domain::Name(h.type)},
                 {"blocks_service", h.blocks_service},
                 {"blocks_billing", h.blocks_billing},
                 {"blocks_changes", h.blocks_changes}};
  if (h.service_id) o["service_id"] = *h.service_id;
  return o;
}

json::object InputVerificationJson(const domain::Verification& v) {
  return {{"id", v.id},
          {"kind", domain::Name(v.kind)},
          {"party", v.party},
          {"method", v.method},
          {"level", v.level},
          {"verified_at", v.verified_at},
          {"request_id", v.request_id}};
}

// Reading back: a field of the wrong type throws, and ParseCheckInputs answers that as a
// malformed text (the column is written by CheckInputsJson alone).
const json::object& InputObj(const json::value& v, std::string_view key) {
  return v.as_object().at(key).as_object();
}
std::string InputStr(const json::value& v, std::string_view key) {
  return std::string(v.as_object().at(key).as_string());
}
std::int64_t InputInt(const json::value& v, std::string_view key) {
  return v.as_object().at(key).to_number<std::int64_t>();
}
template <typename E>
E InputEnum(const json::value& v, std::string_view key) {
  std::optional<E> e = domain::Parse<E>(InputStr(v, key));
  if (!e) throw std::invalid_argument("unknown value");
  return *e;
}

domain::Actor InputActor(const json::value& v) {
  domain::Actor a;
  a.type = InputEnum<domain::ActorType>(v, "type");
  a.id = InputStr(v, "id");
  if (v.as_object().contains("role")) a.role = InputEnum<domain::Role>(v, "role");
  return a;
}

domain::Hold ReadHold(const json::value& v) {
  domain::Hold h;
  h.id = InputStr(v, "id");
  h.type = InputEnum<domain::HoldType>(v, "type");
  h.blocks_service = v.at("blocks_service").as_bool();
  h.blocks_billing = v.at("blocks_billing").as_bool();
  h.blocks_changes = v.at("blocks_changes").as_bool();
  if (v.as_object().contains("service_id")) h.service_id = InputStr(v, "service_id");
  return h;
}

domain::Verification ReadVerification(const json::value& v) {
  domain::Verification out;
  out.id = InputStr(v, "id");
  out.kind = InputEnum<domain::VerificationKind>(v, "kind");
  out.party = InputStr(v, "party");
  out.method = InputStr(v, "method");
  out.level = static_cast<int>(InputInt(v, "level"));
  out.verified_at = InputInt(v, "verified_at");
  out.request_id = InputStr(v, "request_id");
  return out;
}

CheckInputs Read(const json::value& v) {
  CheckInputs in;
  in.at = InputInt(v, "at");
  const json::object& a = InputObj(v, "account");
  in.account.amount_due_minor = InputInt(a, "amount_due_minor");
  in.account.currency = InputStr(a, "currency");
  in.account.kyc_level = static_cast<int>(InputInt(a, "kyc_level"));
  in.account.created_at = InputInt(a, "created_at");
  for (const auto& h : v.at("holds").as_array()) in.holds.push_back(ReadHold(h));
  for (const auto& x : v.at("verifications").as_array()) {
    in.verifications.push_back(ReadVerification(x));
  }
  for (const auto& d : v.at("decisions").as_array()) {
    domain::Decision dec;
    dec.approved = d.at("approved").as_bool();
    dec.actor = InputActor(d.at("actor"));
    in.decisions.push_back(std::move(dec));
  }
  in.maker = InputActor(v.at("maker"));
  if (v.as_object().contains("service_id")) in.service_id = InputStr(v, "service_id");
  for (const auto& [days, n] : InputObj(v, "cooling_off")) {
    in.cooling_off_counts[std::stoi(std::string(days))] = n.to_number<std::int64_t>();
  }
  if (const json::value* r = v.as_object().if_contains("fraud_review")) {
    domain::CheckResult review;
    review.kind = InputEnum<domain::CheckKind>(*r, "kind");
    review.passed = r->at("passed").as_bool();
    review.detail = InputStr(*r, "detail");
    review.waits_for = InputEnum<RequestState>(*r, "waits_for");
    in.fraud_review = review;
  }
  in.offer_answered = v.at("offer_answered").as_bool();
  in.verdict = InputEnum<RequestState>(v, "verdict");
  return in;
}

}  // namespace

std::string CheckInputsJson(const CheckInputs& in) {
  json::array holds, verifications, decisions;
  for (const auto& h : in.holds) holds.push_back(InputHoldJson(h));
  for (const auto& v : in.verifications) verifications.push_back(InputVerificationJson(v));
  for (const auto& d : in.decisions) {
    decisions.push_back(json::object{{"approved", d.approved}, {"actor", ActorJson(d.actor)}});
  }
  json::object cooling_off;
  for (const auto& [days, n] : in.cooling_off_counts) cooling_off[std::to_string(days)] = n;
  json::object o{{"at", in.at},
                 {"account",
                  {{"amount_due_minor", in.account.amount_due_minor},
                   {"currency", in.account.currency},
                   {"kyc_level", in.account.kyc_level},
                   {"created_at", in.account.created_at}}},
                 {"holds", std::move(holds)},
                 {"verifications", std::move(verifications)},
                 {"decisions", std::move(decisions)},
                 {"maker", ActorJson(in.maker)},
                 {"cooling_off", std::move(cooling_off)},
                 {"offer_answered", in.offer_answered},
                 {"verdict", domain::Name(in.verdict)}};
  if (in.service_id) o["service_id"] = *in.service_id;
  if (in.fraud_review) {
    o["fraud_review"] = json::object{{"kind", domain::Name(in.fraud_review->kind)},
                                     {"passed", in.fraud_review->passed},
                                     {"detail", in.fraud_review->detail},
                                     {"waits_for", domain::Name(in.fraud_review->waits_for)}};
  }
  return json::serialize(o);
}

Result<CheckInputs> ParseCheckInputs(std::string_view text) {
  const Status malformed =
      Status::Invalid("check_inputs", "the request's check inputs are not readable");
  if (text.empty()) return malformed;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return malformed;
  try {
    return Read(v);
  } catch (const std::exception&) {
    return malformed;
  }
}

std::optional<domain::CheckFacts> ReplayFacts(const CheckInputs& in, const std::string& request_id,
                                              const std::vector<domain::CheckSpec>& specs,
                                              const domain::RequestPolicy& policy,
                                              const domain::PolicyPack& pack) {
  domain::CheckFacts f;
  if (int days = domain::CoolingOffWindowDays(specs); days > 0) {
    auto counted = in.cooling_off_counts.find(days);
    if (counted == in.cooling_off_counts.end()) return std::nullopt;
    f.same_type_recent = counted->second;
  }
  f.now = in.at;
  f.account = &in.account;
  f.active_holds = &in.holds;
  f.service_id = in.service_id;
  f.verifications = &in.verifications;
  f.request_id = request_id;
  f.maker = in.maker;
  f.decisions = &in.decisions;
  f.policy_approval_role = policy.approval_role;
  f.identity_methods = &pack.identity_methods;
  return f;
}

RequestState DecideVerdict(const std::vector<domain::CheckResult>& results,
                           const std::optional<domain::CheckResult>& review,
                           domain::AutoApproval auto_approve, bool decided, bool offer_pending) {
  RequestState verdict = domain::Verdict(results, auto_approve, decided);
  // A fraud review comes before anything asked of the customer (a payment, a proof): nobody is
  // asked to pay or prove anything on a request that may not be theirs.
  if (review && !review->passed && verdict != RequestState::kRejected) {
    verdict = RequestState::kVerifying;
  }
  if (verdict == RequestState::kApproved && offer_pending)
    verdict = RequestState::kAwaitingCustomer;
  return verdict;
}

bool OffersPending(const domain::RequestPolicy& policy, domain::RequestType type,
                   domain::Origin origin, bool offer_answered) {
  return type == domain::RequestType::kTermination && !policy.offers.empty() &&
         origin == domain::Origin::kVoluntary && !offer_answered;
}

std::optional<Replayed> Replay(const CheckInputs& in, const domain::Request& r,
                               const domain::RequestPolicy& policy,
                               const domain::PolicyPack& pack) {
  std::vector<domain::CheckSpec> specs = domain::EffectiveChecks(policy, r.origin, r.channel);
  std::optional<domain::CheckFacts> facts = ReplayFacts(in, r.id, specs, policy, pack);
  if (!facts) return std::nullopt;
  Replayed out;
  out.checks = domain::RunChecks(specs, *facts);
  if (in.fraud_review) out.checks.push_back(*in.fraud_review);
  bool decided = std::any_of(in.decisions.begin(), in.decisions.end(),
                             [](const domain::Decision& d) { return d.approved; });
  bool offer_pending = OffersPending(policy, r.type, r.origin, in.offer_answered);
  out.verdict =
      DecideVerdict(out.checks, in.fraud_review, policy.auto_approve, decided, offer_pending);
  return out;
}

}  // namespace sb::app
