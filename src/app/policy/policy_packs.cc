#include "app/policy/policy_packs.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "app/core/change.h"
#include "app/policy/policy_cache.h"
#include "app/policy/policy_yaml.h"

namespace sb::app {
namespace {

namespace json = boost::json;

// The 1-based line of requests.<type>.<list>[index] in `yaml_text`, 0 if unknown.
// Only called on text ParsePolicyPack accepted, so the shape is known to be right.
int ListItemLine(std::string_view yaml_text, std::string_view type, const char* list,
                 size_t index) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    YAML::Node n = root["requests"][std::string(type)][list][index];
    return n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
  } catch (const YAML::Exception&) {
    return 0;
  }
}

Status UnknownReasonCodes(domain::Tx& tx, const std::string& tenant_id,
                          const domain::PolicyPack& pack, std::string_view yaml_text) {
  SB_ASSIGN_OR_RETURN(auto codes, tx.ListReasonCodes(tenant_id));
  std::set<std::string> known;
  for (const auto& c : codes) known.insert(c.code);
  for (const auto& [type, policy] : pack.requests) {
    for (size_t i = 0; i < policy.reason_codes.size(); ++i) {
      const std::string& code = policy.reason_codes[i];
      if (known.count(code)) continue;
      std::string path = "requests." + std::string(domain::Name(type)) + ".reason_codes[" +
                         std::to_string(i) + "]";
      int line = ListItemLine(yaml_text, domain::Name(type), "reason_codes", i);
      std::string where = line > 0 ? "line " + std::to_string(line) + ": " : "";
      return Status::Unprocessable(
          "unknown_reason_code",
          where + path + ": '" + code + "' is not one of this tenant's reason codes", path);
    }
  }
  return Status::Ok();
}

// Whether `name` is one of the events every status change sends itself (see
// domain::kStatusFactEvents).
bool IsStatusFactEvent(std::string_view name) {
  for (std::string_view fact : domain::kStatusFactEvents) {
    if (name == fact) return true;
  }
  return false;
}

// Status changes are announced by Reconcile whatever caused them (docs/DESIGN-NOTES.md, "One
// write"): a pack listing one would announce it twice.
Status StatusFactNotifications(const domain::PolicyPack& pack, std::string_view yaml_text) {
  for (const auto& [type, policy] : pack.requests) {
    for (size_t i = 0; i < policy.notifications.size(); ++i) {
      const std::string& name = policy.notifications[i];
      if (!IsStatusFactEvent(name)) continue;
      std::string path = "requests." + std::string(domain::Name(type)) + ".notifications[" +
                         std::to_string(i) + "]";
      int line = ListItemLine(yaml_text, domain::Name(type), "notifications", i);
      std::string where = line > 0 ? "line " + std::to_string(line) + ": " : "";
      return Status::Invalid(path,
                             where + path + ": " + name +
                                 " is sent by every status change on its own; list request.* "
                                 "and other events here",
                             "status_event_not_allowed");
    }
  }
  return Status::Ok();
}

json::object PackJson(const domain::StoredPolicyPack& p) {
  return {{"version", p.version}, {"effective_from", FormatRfc3339(p.effective_from)}};
}

}  // namespace

Result<domain::PolicyPack> CheckPolicyPack(domain::Tx& tx, const std::string& tenant_id,
                                           std::string_view yaml_text) {
  SB_ASSIGN_OR_RETURN(domain::PolicyPack pack, ParsePolicyPack(yaml_text));
  SB_RETURN_IF_ERROR(StatusFactNotifications(pack, yaml_text));
  SB_RETURN_IF_ERROR(UnknownReasonCodes(tx, tenant_id, pack, yaml_text));
  return pack;
}

Result<domain::StoredPolicyPack> PolicyPackUseCases::Get(const CallContext& ctx) const {
  std::optional<domain::StoredPolicyPack> out;
  Timestamp now = deps_.clock.Now();
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, tx.PolicyPackInForce(ctx.tenant_id, now));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<std::vector<domain::RequestType>> PolicyPackUseCases::TypesAccepting(
    const CallContext& ctx, const std::vector<domain::RequestType>& candidates,
    const std::string& reason_code) const {
  std::vector<domain::RequestType> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, ctx.tenant_id, deps_.clock.Now()));
    for (domain::RequestType type : candidates) {
      auto it = policy->pack.requests.find(type);
      if (it == policy->pack.requests.end()) continue;
      const std::vector<std::string>& codes = it->second.reason_codes;
      if (std::find(codes.begin(), codes.end(), reason_code) != codes.end()) out.push_back(type);
    }
    return Status::Ok();
  }));
  return out;
}

Result<PackRequestTypes> PolicyPackUseCases::RequestTypes(const CallContext& ctx) const {
  PackRequestTypes out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, ctx.tenant_id, deps_.clock.Now()));
    out.version = policy->pack.version;
    for (const auto& [type, rp] : policy->pack.requests) out.types.emplace_back(type, rp);
    return Status::Ok();
  }));
  return out;
}

Result<domain::PolicyPack> PolicyPackUseCases::Validate(const CallContext& ctx,
                                                        std::string_view yaml_text) const {
  std::optional<domain::PolicyPack> out;
  SB_RETURN_IF_ERROR(gate_.Run(yaml_text.size(), [&] {
    return deps_.store.Read([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(out, CheckPolicyPack(tx, ctx.tenant_id, yaml_text));
      return Status::Ok();
    });
  }));
  return std::move(*out);
}

Result<PolicySimulation> PolicyPackUseCases::Simulate(const CallContext& ctx,
                                                      std::string_view yaml_text, int days) const {
  if (days == 0) days = kSimulationDefaultDays;
  if (days < 1 || days > kSimulationMaxDays) {
    return Status::Invalid(
        "days", "days is a whole number from 1 to " + std::to_string(kSimulationMaxDays));
  }
  std::optional<PolicySimulation> out;
  SB_RETURN_IF_ERROR(gate_.Run(yaml_text.size(), [&] {
    return deps_.store.Read([&](domain::Tx& tx) -> Status {
      SB_ASSIGN_OR_RETURN(domain::PolicyPack candidate,
                          CheckPolicyPack(tx, ctx.tenant_id, yaml_text));
      SB_ASSIGN_OR_RETURN(out,
                          SimulatePolicy(tx, ctx.tenant_id, candidate, deps_.clock.Now(), days));
      return Status::Ok();
    });
  }));
  return std::move(*out);
}

Result<PolicyPackChange> PolicyPackUseCases::Replace(
    const CallContext& ctx, std::string_view yaml_text,
    const AnswerFn<PolicyPackChange>& answer) const {
  return gate_.Run(yaml_text.size(), [&] { return Store(ctx, yaml_text, answer); });
}

Result<PolicyPackChange> PolicyPackUseCases::Store(const CallContext& ctx,
                                                   std::string_view yaml_text,
                                                   const AnswerFn<PolicyPackChange>& answer) const {
  return RunChange<PolicyPackChange>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<PolicyPackChange> {
        SB_ASSIGN_OR_RETURN(domain::PolicyPack pack, CheckPolicyPack(tx, ctx.tenant_id, yaml_text));
        auto before = tx.PolicyPackInForce(ctx.tenant_id, now);
        if (!before.ok() && before.status().code() != Code::kNotFound) return before.status();
        PolicyPackChange c;
        c.pack = {ctx.tenant_id,          pack.version, pack.effective_from,
                  std::string(yaml_text), now,          ctx.actor.id};
        Status s = tx.InsertPolicyPack(c.pack);
        if (s.code() == Code::kConflict) {
          return Status::Conflict("version_exists",
                                  "This tenant already has policy pack version '" + pack.version +
                                      "'; bump the version.",
                                  "version");
        }
        SB_RETURN_IF_ERROR(s);
        // Not in force when dated in the future, or before the pack now in force.
        SB_ASSIGN_OR_RETURN(auto current, tx.PolicyPackInForce(ctx.tenant_id, now));
        c.in_force = current.version == c.pack.version;
        // Policy packs decide which checks guard every change and who must approve it: they
        // are the tenant's control settings, which the audit log files under "security" (the
        // other categories are about accounts, plans, payments or API access).
        ChangeRecorder rec(tx, ctx, now);
        json::object after = PackJson(c.pack);
        after["in_force"] = c.in_force;
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity, "policy_pack.stored",
                                     "policy_pack", c.pack.version, "", "",
                                     before.ok() ? PackJson(*before) : json::object{}, after));
        return c;
      });
}

}  // namespace sb::app
