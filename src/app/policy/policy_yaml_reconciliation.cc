// The pack's `reconciliation:` section (app/policy/policy_yaml_reader.h): for each kind of
// drift, which side is probably right and whether it is repaired at once or queued.
//
//   reconciliation:
//     service_status: {truth: switchboard, repair: repair}
//     account_status: {truth: switchboard, repair: queue}
//     amount_due: {truth: source, repair: queue}
#include <yaml-cpp/yaml.h>

#include "app/policy/policy_yaml_reader.h"

namespace sb::app::policy_yaml {

Status ParseReconciliation(Reader& r, const YAML::Node& n, domain::ReconciliationPolicy& out) {
  SB_RETURN_IF_ERROR(
      r.Map(n, "reconciliation", {"service_status", "account_status", "amount_due"}));
  for (domain::DriftKind kind : domain::kDriftKinds) {
    const std::string name(domain::Name(kind));
    const YAML::Node rule = n[name];
    if (!rule) continue;
    const std::string path = "reconciliation." + name;
    SB_RETURN_IF_ERROR(r.Map(rule, path, {"truth", "repair"}));
    domain::DriftRule& to = out.For(kind);
    if (rule["truth"]) {
      SB_ASSIGN_OR_RETURN(std::string text, r.Str(rule["truth"], path + ".truth"));
      auto truth = domain::ParseDriftTruth(text);
      if (!truth) {
        return r.Fail(rule["truth"], path + ".truth", "expected switchboard or source");
      }
      to.truth = *truth;
    }
    if (rule["repair"]) {
      SB_ASSIGN_OR_RETURN(std::string text, r.Str(rule["repair"], path + ".repair"));
      auto repair = domain::ParseDriftRepair(text);
      if (!repair) return r.Fail(rule["repair"], path + ".repair", "expected repair or queue");
      to.repair = *repair;
    }
    // Switchboard derives statuses from holds and never sets one: a status the source system
    // is right about is changed by a request an agent files (a suspension, a reconnection).
    if (kind != domain::DriftKind::kAmountDue && to.truth == domain::DriftTruth::kSource &&
        to.repair == domain::DriftRepair::kRepair) {
      return r.Fail(rule, path + ".repair",
                    "a status the source system is right about can only be queued for an agent");
    }
  }
  return Status::Ok();
}

}  // namespace sb::app::policy_yaml
