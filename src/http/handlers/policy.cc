// The tenant's policy pack: the one in force, what it says of each request type (what a
// filing form offers), a dry check of a candidate, what a candidate would change over the recent
// requests, a new version. PUT, validate and simulate take the pack as the raw request body,
// Content-Type application/yaml (or text/yaml): the text is stored verbatim, comments included.

#include "http/handlers/policy.h"

#include <cctype>
#include <optional>

#include "app/policy/policy_packs.h"
#include "common/time.h"
#include "domain/request_types.h"
#include "http/exchange.h"
#include "http/problem.h"

namespace sb::http::handlers::policy {

namespace json = boost::json;

// 415 unless the body is declared as YAML; parameters such as charset are ignored.
std::optional<Response> RequireYaml(Exchange& ex) {
  std::string type = ex.request().Header("Content-Type").value_or("");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "application/yaml" || type == "text/yaml") return std::nullopt;
  return ProblemResponse(415, "unsupported_media_type",
                         "Send the policy pack as YAML text with Content-Type application/yaml.",
                         "Content-Type");
}

json::object PackJson(const domain::StoredPolicyPack& p) {
  return {{"object", "policy_pack"},
          {"version", p.version},
          {"effective_from", FormatRfc3339(p.effective_from)},
          {"created_at", FormatRfc3339(p.created_at)},
          {"created_by", p.created_by},
          {"yaml", p.yaml_text}};
}

// A refusal; past the server's parse slots, with the second to wait before retrying.
Response Refused(const Status& s) {
  Response r = ProblemResponse(s);
  if (s.code() == Code::kRateLimited) r.SetHeader("Retry-After", "1");
  return r;
}

Response GetPack(Exchange& ex) {
  auto p = ex.api().policy_packs.Get(ex.ctx());
  if (!p.ok()) return ProblemResponse(p.status());
  return JsonResponse(200, PackJson(*p));
}

json::object CheckJson(const domain::CheckSpec& c) {
  json::object o{{"kind", domain::Name(c.kind)}};
  if (c.min_kyc_level) o["min_kyc_level"] = *c.min_kyc_level;
  if (c.level) o["level"] = *c.level;
  if (c.max_age_minutes) o["max_age_minutes"] = *c.max_age_minutes;
  if (c.party) o["party"] = *c.party;
  if (c.window_days) o["window_days"] = *c.window_days;
  if (c.max_count) o["max_count"] = *c.max_count;
  if (c.kind == domain::CheckKind::kApproval) {
    if (c.role) o["role"] = domain::Name(*c.role);
    o["maker_checker"] = c.maker_checker;
  }
  return o;
}

json::object TypeJson(domain::RequestType type, const domain::RequestPolicy& p) {
  json::array codes, checks, offers;
  for (const auto& c : p.reason_codes) codes.push_back(json::value(c));
  for (const auto& c : p.checks) checks.push_back(CheckJson(c));
  for (const auto& o : p.offers) {
    offers.push_back({{"code", o.code},
                      {"description", o.description},
                      {"discount_percent", o.discount_percent},
                      {"duration_months", o.duration_months}});
  }
  json::value role = nullptr;
  if (p.approval_role) role = json::value(domain::Name(*p.approval_role));
  return {{"object", "request_type_policy"},
          {"type", domain::Name(type)},
          {"people_only", domain::InfoOf(type).people_only},
          {"reason_codes", std::move(codes)},
          {"checks", std::move(checks)},
          {"auto_approve", domain::Name(p.auto_approve)},
          {"approval_role", role},
          {"fee_minor", p.fee_minor},
          {"currency", p.currency.empty() ? json::value(nullptr) : json::value(p.currency)},
          {"offers", std::move(offers)}};
}

Response ListRequestTypes(Exchange& ex) {
  auto types = ex.api().policy_packs.RequestTypes(ex.ctx());
  if (!types.ok()) return ProblemResponse(types.status());
  json::array data;
  for (const auto& [type, policy] : types->types) data.push_back(TypeJson(type, policy));
  return JsonResponse(200, {{"object", "list"},
                            {"version", types->version},
                            {"data", std::move(data)},
                            {"has_more", false},
                            {"next_cursor", nullptr}});
}

Response ValidatePack(Exchange& ex) {
  if (auto refused = RequireYaml(ex)) return *refused;
  auto pack = ex.api().policy_packs.Validate(ex.ctx(), ex.request().body);
  if (!pack.ok()) return Refused(pack.status());
  return JsonResponse(200, {{"valid", true},
                            {"version", pack->version},
                            {"effective_from", FormatRfc3339(pack->effective_from)}});
}

json::value SlaTargetJson(const std::optional<domain::SlaTarget>& t) {
  if (!t) return nullptr;
  json::object o{{"target_minutes", t->target_minutes}, {"clock", domain::Name(t->clock)}};
  if (t->clock == domain::SlaClock::kBusinessHours && !t->calendar.empty()) {
    o["calendar"] = t->calendar;
  }
  return o;
}

json::object SimulationJson(const app::PolicySimulation& sim) {
  json::array by_type, decisions, sla;
  for (const auto& t : sim.by_type) {
    json::array transitions;
    for (const auto& m : t.transitions) {
      transitions.push_back({{"decided", domain::Name(m.decided)},
                             {"would_be", domain::Name(m.would_be)},
                             {"requests", m.requests}});
    }
    by_type.push_back({{"type", domain::Name(t.type)},
                       {"replayed", t.replayed},
                       {"changed", t.changed},
                       {"transitions", std::move(transitions)}});
  }
  for (const auto& d : sim.decisions) {
    json::array checks;
    for (const auto& c : d.checks) {
      json::object o{{"kind", domain::Name(c.kind)},
                     {"passed_before", c.passed_before ? json::value(*c.passed_before) : nullptr},
                     {"passed_after", c.passed_after ? json::value(*c.passed_after) : nullptr}};
      if (!c.party.empty()) o["party"] = c.party;
      if (!c.detail_after.empty()) o["detail_after"] = c.detail_after;
      checks.push_back(std::move(o));
    }
    decisions.push_back({{"request_id", d.request_id},
                         {"type", domain::Name(d.type)},
                         {"created_at", FormatRfc3339(d.created_at)},
                         {"decided_at", FormatRfc3339(d.decided_at)},
                         {"state", domain::Name(d.state_now)},
                         {"decided", domain::Name(d.decided)},
                         {"would_be", domain::Name(d.would_be)},
                         {"checks", std::move(checks)}});
  }
  for (const auto& m : sim.sla_moves) {
    sla.push_back({{"type", domain::Name(m.type)},
                   {"priority", m.priority},
                   {"before", SlaTargetJson(m.before)},
                   {"after", SlaTargetJson(m.after)},
                   {"requests", m.requests}});
  }
  return {{"object", "policy_simulation"},
          {"candidate_version", sim.candidate_version},
          {"days", sim.days},
          {"from", FormatRfc3339(sim.from)},
          {"to", FormatRfc3339(sim.to)},
          {"requests", sim.requests},
          {"replayed", sim.replayed},
          {"not_replayable", sim.not_replayable},
          {"changed", sim.changed},
          {"by_type", std::move(by_type)},
          {"decisions", std::move(decisions)},
          {"truncated", sim.truncated},
          {"sla_moves", std::move(sla)}};
}

Response SimulatePack(Exchange& ex) {
  std::optional<std::int64_t> days;
  if (Status s = ex.QueryInt("days", 1, app::kSimulationMaxDays, &days); !s.ok()) {
    return ProblemResponse(s);
  }
  if (auto refused = RequireYaml(ex)) return *refused;
  auto sim = ex.api().policy_packs.Simulate(ex.ctx(), ex.request().body,
                                            static_cast<int>(days.value_or(0)));
  if (!sim.ok()) return Refused(sim.status());
  return JsonResponse(200, SimulationJson(*sim));
}

Response RenderReplace(const app::PolicyPackChange& c, bool dry_run) {
  json::object o = PackJson(c.pack);
  o["dry_run"] = dry_run;
  o["in_force"] = c.in_force;
  return JsonResponse(200, o);
}

Response ReplacePack(Exchange& ex) {
  if (auto refused = RequireYaml(ex)) return *refused;
  bool dry_run = ex.ctx().dry_run;
  app::AnswerFn<app::PolicyPackChange> answer = [&](const app::PolicyPackChange& c) {
    return ToStored(RenderReplace(c, dry_run));
  };
  auto r = ex.api().policy_packs.Replace(ex.ctx(), ex.request().body, answer);
  if (!r.ok()) return Refused(r.status());
  return RenderReplace(*r, dry_run);
}

}  // namespace sb::http::handlers::policy
