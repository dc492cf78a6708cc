#include "app/policy/policy_simulation.h"

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>
#include <utility>

#include "app/policy/policy_cache.h"
#include "app/requests/check_inputs.h"
#include "app/requests/request_flow.h"

namespace sb::app {

using domain::RequestState;
using domain::RequestType;

namespace {

constexpr int kSimulationPage = 1000;

// `t` with the calendar it counts in spelled out: the pack's default where it names none, none
// for calendar hours (which count every minute), as a request's SLA terms record it.
domain::SlaTarget Resolved(domain::SlaTarget t, const domain::PolicyPack& pack) {
  if (t.clock != domain::SlaClock::kBusinessHours) {
    t.calendar.clear();
  } else if (t.calendar.empty()) {
    t.calendar = pack.calendar_default;
  }
  return t;
}

// The SLA target `r` ran under: the terms fixed when its clock started, else its pack's
// target for its priority. nullopt when neither is known.
std::optional<domain::SlaTarget> TargetRanUnder(
    domain::Tx& tx, const std::string& tenant_id, const domain::Request& r,
    std::map<std::string, std::shared_ptr<const CompiledPolicy>>& packs) {
  if (r.sla_terms) {
    domain::SlaTarget t{r.sla_terms->target_minutes, r.sla_terms->clock, r.sla_terms->calendar};
    if (t.clock != domain::SlaClock::kBusinessHours) t.calendar.clear();
    return t;
  }
  if (r.policy_version.empty()) return std::nullopt;
  auto found = packs.find(r.policy_version);
  if (found == packs.end()) {
    auto pack = PolicyOfVersion(tx, tenant_id, r.policy_version);
    found = packs.emplace(r.policy_version, pack.ok() ? *pack : nullptr).first;
  }
  if (!found->second) return std::nullopt;
  auto policy = found->second->pack.requests.find(r.type);
  if (policy == found->second->pack.requests.end()) return std::nullopt;
  auto target = policy->second.sla.find(r.priority);
  if (target == policy->second.sla.end()) return std::nullopt;
  return Resolved(target->second, found->second->pack);
}

// The checks whose result differs between the decision and the replay, matched by kind and
// party (a check only one side runs differs too).
std::vector<SimulatedCheck> DifferingChecks(const std::vector<domain::CheckResult>& before,
                                            const std::vector<domain::CheckResult>& after) {
  std::map<std::pair<domain::CheckKind, std::string>, SimulatedCheck> by_key;
  std::vector<std::pair<domain::CheckKind, std::string>> order;
  auto slot = [&](const domain::CheckResult& c) -> SimulatedCheck& {
    auto key = std::make_pair(c.kind, c.party);
    auto [it, added] = by_key.try_emplace(key);
    if (added) {
      it->second.kind = c.kind;
      it->second.party = c.party;
      order.push_back(key);
    }
    return it->second;
  };
  for (const auto& c : before) slot(c).passed_before = c.passed;
  for (const auto& c : after) {
    SimulatedCheck& s = slot(c);
    s.passed_after = c.passed;
    s.detail_after = c.detail;
  }
  std::vector<SimulatedCheck> out;
  for (const auto& key : order) {
    const SimulatedCheck& s = by_key.at(key);
    if (s.passed_before != s.passed_after) out.push_back(s);
  }
  return out;
}

}  // namespace

Result<PolicySimulation> SimulatePolicy(domain::Tx& tx, const std::string& tenant_id,
                                        const domain::PolicyPack& candidate, Timestamp now,
                                        int days) {
  PolicySimulation out;
  out.candidate_version = candidate.version;
  out.days = days;
  out.to = now;
  out.from = now - days * kMillisPerDay;

  std::map<RequestType, SimulatedType> types;
  std::map<RequestType, std::map<std::pair<RequestState, RequestState>, std::int64_t>> moves;
  // (type, priority, target ran under, candidate's) -> requests; the targets as a key, equal
  // when the targets are the same (or both absent).
  using TargetKey = std::tuple<bool, std::int64_t, int, std::string>;
  auto key_of = [](const std::optional<domain::SlaTarget>& t) {
    return t ? TargetKey{true, t->target_minutes, static_cast<int>(t->clock), t->calendar}
             : TargetKey{false, 0, 0, ""};
  };
  std::map<std::tuple<RequestType, std::string, TargetKey, TargetKey>, SimulatedSlaMove> sla;
  std::map<std::string, std::shared_ptr<const CompiledPolicy>> packs;

  std::string after_id;
  for (;;) {
    SB_ASSIGN_OR_RETURN(
        std::vector<domain::Request> page,
        tx.ListRequestsForReplay(tenant_id, out.from, out.to, after_id, kSimulationPage));
    for (const domain::Request& r : page) {
      ++out.requests;
      auto policy = candidate.requests.find(r.type);
      if (policy == candidate.requests.end()) {
        ++out.not_replayable;
        continue;
      }
      // The SLA target this request ran under against the candidate's.
      std::optional<domain::SlaTarget> before = TargetRanUnder(tx, tenant_id, r, packs);
      std::optional<domain::SlaTarget> after;
      if (auto t = policy->second.sla.find(r.priority); t != policy->second.sla.end()) {
        after = Resolved(t->second, candidate);
      }
      if (TargetKey from = key_of(before), to = key_of(after); from != to) {
        SimulatedSlaMove& m = sla[{r.type, r.priority, from, to}];
        m.type = r.type;
        m.priority = r.priority;
        m.before = before;
        m.after = after;
        ++m.requests;
      }

      auto in = ParseCheckInputs(r.check_inputs_json);
      std::optional<Replayed> replayed;
      if (in.ok()) replayed = Replay(*in, r, policy->second, candidate);
      if (!replayed) {
        ++out.not_replayable;
        continue;
      }
      ++out.replayed;
      SimulatedType& t = types[r.type];
      t.type = r.type;
      ++t.replayed;
      if (replayed->verdict == in->verdict) continue;
      ++out.changed;
      ++t.changed;
      ++moves[r.type][{in->verdict, replayed->verdict}];
      if (out.decisions.size() >= PolicySimulation::kMaxListed) {
        out.truncated = true;
        continue;
      }
      SimulatedDecision d;
      d.request_id = r.id;
      d.type = r.type;
      d.created_at = r.created_at;
      d.decided_at = in->at;
      d.state_now = r.state;
      d.decided = in->verdict;
      d.would_be = replayed->verdict;
      d.checks = DifferingChecks(ChecksFromJson(r.checks_json), replayed->checks);
      out.decisions.push_back(std::move(d));
    }
    if (static_cast<int>(page.size()) < kSimulationPage) break;
    after_id = page.back().id;
  }

  for (auto& [type, t] : types) {
    for (const auto& [transition, n] : moves[type]) {
      t.transitions.push_back({transition.first, transition.second, n});
    }
    std::stable_sort(t.transitions.begin(), t.transitions.end(),
                     [](const auto& a, const auto& b) { return a.requests > b.requests; });
    out.by_type.push_back(std::move(t));
  }
  for (auto& [key, m] : sla) out.sla_moves.push_back(std::move(m));
  return out;
}

}  // namespace sb::app
