// The `requests:` half of the policy pack reader: one request type's policy.

#include <algorithm>
#include <map>

#include "app/policy/policy_yaml_reader.h"

namespace sb::app::policy_yaml {
namespace {

using domain::CheckKind;
using domain::CheckOverride;
using domain::CheckSpec;
using domain::RequestPolicy;
using domain::SlaTarget;

// Parameters each check kind accepts besides `kind`.
Keys AllowedParams(CheckKind kind) {
  switch (kind) {
    case CheckKind::kKycComplete:
      return {"kind", "min_kyc_level"};
    case CheckKind::kIdentityVerified:
      return {"kind", "level", "max_age_minutes", "party"};
    case CheckKind::kCoolingOff:
      return {"kind", "window_days", "max_count"};
    case CheckKind::kApproval:
      return {"kind", "role", "maker_checker"};
    case CheckKind::kDataCurrent:
      return {"kind", "max_age_minutes"};
    default:
      return {"kind"};
  }
}

Result<CheckSpec> ParseCheck(Reader& r, const YAML::Node& n, const std::string& path) {
  if (!n.IsDefined() || !n.IsMap()) return r.Fail(n, path, "expected a map with a kind");
  CheckSpec c;
  SB_RETURN_IF_ERROR(Assign(r.Enum<CheckKind>(n["kind"], path + ".kind", "check kind"), c.kind));
  SB_RETURN_IF_ERROR(r.Map(n, path, AllowedParams(c.kind)));
  auto opt_int = [&](const char* key, std::optional<int>& out) -> Status {
    if (!n[key]) return Status::Ok();
    SB_RETURN_IF_ERROR(Assign(r.SmallInt(n[key], path + "." + key), out));
    return Status::Ok();
  };
  SB_RETURN_IF_ERROR(opt_int("min_kyc_level", c.min_kyc_level));
  SB_RETURN_IF_ERROR(opt_int("level", c.level));
  SB_RETURN_IF_ERROR(opt_int("window_days", c.window_days));
  SB_RETURN_IF_ERROR(opt_int("max_count", c.max_count));
  if (n["max_age_minutes"])
    SB_RETURN_IF_ERROR(
        Assign(r.Int(n["max_age_minutes"], path + ".max_age_minutes"), c.max_age_minutes));
  if (n["party"]) SB_RETURN_IF_ERROR(Assign(r.Str(n["party"], path + ".party"), c.party));
  if (n["role"])
    SB_RETURN_IF_ERROR(Assign(r.Enum<domain::Role>(n["role"], path + ".role", "role"), c.role));
  if (n["maker_checker"])
    SB_RETURN_IF_ERROR(
        Assign(r.Bool(n["maker_checker"], path + ".maker_checker"), c.maker_checker));
  return c;
}

Result<std::vector<CheckSpec>> ParseChecks(Reader& r, const YAML::Node& n,
                                           const std::string& path) {
  SB_RETURN_IF_ERROR(r.Seq(n, path));
  std::vector<CheckSpec> out;
  for (size_t i = 0; i < n.size(); ++i) {
    SB_ASSIGN_OR_RETURN(CheckSpec c, ParseCheck(r, n[i], path + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::map<std::string, SlaTarget>> ParseSla(Reader& r, const YAML::Node& n,
                                                  const std::string& path) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {}));
  std::map<std::string, SlaTarget> out;
  for (const auto& kv : n) {
    std::string priority = kv.first.Scalar();
    std::string ppath = path + "." + priority;
    if (std::find(std::begin(domain::kPriorities), std::end(domain::kPriorities), priority) ==
        std::end(domain::kPriorities))
      return r.Fail(kv.first, ppath, "unknown priority; use low, normal, high or urgent");
    const YAML::Node& t = kv.second;
    SB_RETURN_IF_ERROR(r.Map(t, ppath, {"target_minutes", "clock", "calendar"}));
    SlaTarget target;
    SB_RETURN_IF_ERROR(
        Assign(r.Int(t["target_minutes"], ppath + ".target_minutes"), target.target_minutes));
    if (t["clock"])
      SB_RETURN_IF_ERROR(Assign(r.Enum<domain::SlaClock>(t["clock"], ppath + ".clock", "SLA clock"),
                                target.clock));
    if (t["calendar"])
      SB_RETURN_IF_ERROR(Assign(r.Str(t["calendar"], ppath + ".calendar"), target.calendar));
    out[priority] = target;
  }
  return out;
}

Result<std::vector<domain::Offer>> ParseOffers(Reader& r, const YAML::Node& n,
                                               const std::string& path) {
  SB_RETURN_IF_ERROR(r.Seq(n, path));
  std::vector<domain::Offer> out;
  for (size_t i = 0; i < n.size(); ++i) {
    std::string opath = path + "[" + std::to_string(i) + "]";
    const YAML::Node o = n[i];
    SB_RETURN_IF_ERROR(
        r.Map(o, opath, {"code", "description", "discount_percent", "duration_months"}));
    domain::Offer offer;
    SB_RETURN_IF_ERROR(Assign(r.Str(o["code"], opath + ".code"), offer.code));
    if (o["description"])
      SB_RETURN_IF_ERROR(
          Assign(r.Str(o["description"], opath + ".description"), offer.description));
    SB_RETURN_IF_ERROR(Assign(r.SmallInt(o["discount_percent"], opath + ".discount_percent"),
                              offer.discount_percent));
    SB_RETURN_IF_ERROR(Assign(r.SmallInt(o["duration_months"], opath + ".duration_months"),
                              offer.duration_months));
    out.push_back(std::move(offer));
  }
  return out;
}

Result<CheckOverride> ParseOverride(Reader& r, const YAML::Node& n, const std::string& path) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {"skip", "add"}));
  CheckOverride o;
  if (n["skip"]) {
    SB_RETURN_IF_ERROR(r.Seq(n["skip"], path + ".skip"));
    for (size_t i = 0; i < n["skip"].size(); ++i) {
      SB_ASSIGN_OR_RETURN(
          CheckKind k,
          r.Enum<CheckKind>(n["skip"][i], path + ".skip[" + std::to_string(i) + "]", "check kind"));
      o.skip.push_back(k);
    }
  }
  if (n["add"]) SB_RETURN_IF_ERROR(Assign(ParseChecks(r, n["add"], path + ".add"), o.add));
  return o;
}

// Reads `overrides.origins` or `overrides.channels`: a map from an E name to an override.
template <typename E>
Status ParseOverrideMap(Reader& r, const YAML::Node& n, const std::string& path, const char* what,
                        std::map<E, CheckOverride>& out) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {}));
  for (const auto& kv : n) {
    std::string kpath = path + "." + kv.first.Scalar();
    SB_ASSIGN_OR_RETURN(E key, r.Enum<E>(kv.first, kpath, what));
    SB_RETURN_IF_ERROR(Assign(ParseOverride(r, kv.second, kpath), out[key]));
  }
  return Status::Ok();
}

Status ParseOverrides(Reader& r, const YAML::Node& n, const std::string& path, RequestPolicy& p) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {"origins", "channels"}));
  if (n["origins"])
    SB_RETURN_IF_ERROR(ParseOverrideMap<domain::Origin>(r, n["origins"], path + ".origins",
                                                        "origin", p.origin_overrides));
  if (n["channels"])
    SB_RETURN_IF_ERROR(ParseOverrideMap<domain::Channel>(r, n["channels"], path + ".channels",
                                                         "channel", p.channel_overrides));
  return Status::Ok();
}

Result<domain::ProvisioningPolicy> ParseProvisioning(Reader& r, const YAML::Node& n,
                                                     const std::string& path) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {"required", "timeout_minutes", "on_failure"}));
  domain::ProvisioningPolicy p;
  if (n["required"])
    SB_RETURN_IF_ERROR(Assign(r.Bool(n["required"], path + ".required"), p.required));
  if (n["timeout_minutes"])
    SB_RETURN_IF_ERROR(
        Assign(r.Int(n["timeout_minutes"], path + ".timeout_minutes"), p.timeout_minutes));
  if (n["on_failure"])
    SB_RETURN_IF_ERROR(
        Assign(r.Enum<domain::ProvisioningFailure>(n["on_failure"], path + ".on_failure",
                                                   "provisioning failure rule"),
               p.on_failure));
  return p;
}

Result<domain::EscalationAction> ParseEscalationAction(Reader& r, const YAML::Node& n,
                                                       const std::string& path) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {"raise_priority", "reassign_to", "notify_role"}));
  domain::EscalationAction a;
  if (n["raise_priority"])
    SB_RETURN_IF_ERROR(
        Assign(r.Bool(n["raise_priority"], path + ".raise_priority"), a.raise_priority));
  if (n["reassign_to"])
    SB_RETURN_IF_ERROR(Assign(r.Str(n["reassign_to"], path + ".reassign_to"), a.reassign_to));
  if (n["notify_role"])
    SB_RETURN_IF_ERROR(Assign(r.Enum<domain::Role>(n["notify_role"], path + ".notify_role", "role"),
                              a.notify_role));
  return a;
}

Status ParseEscalation(Reader& r, const YAML::Node& n, const std::string& path, RequestPolicy& p) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {"at_risk", "breached"}));
  if (n["at_risk"])
    SB_RETURN_IF_ERROR(
        Assign(ParseEscalationAction(r, n["at_risk"], path + ".at_risk"), p.escalate_at_risk));
  if (n["breached"])
    SB_RETURN_IF_ERROR(
        Assign(ParseEscalationAction(r, n["breached"], path + ".breached"), p.escalate_breached));
  return Status::Ok();
}

// What the request engine automates for this type: provisioning, escalation, at_risk_percent,
// and which plans a reactivation restores.
Status ParseAutomation(Reader& r, const YAML::Node& n, const std::string& path, RequestPolicy& p) {
  if (n["provisioning"])
    SB_RETURN_IF_ERROR(
        Assign(ParseProvisioning(r, n["provisioning"], path + ".provisioning"), p.provisioning));
  if (n["escalation"])
    SB_RETURN_IF_ERROR(ParseEscalation(r, n["escalation"], path + ".escalation", p));
  if (n["at_risk_percent"])
    SB_RETURN_IF_ERROR(
        Assign(r.SmallInt(n["at_risk_percent"], path + ".at_risk_percent"), p.at_risk_percent));
  if (n["restore_plans"])
    SB_RETURN_IF_ERROR(Assign(
        r.Enum<domain::PlanRestore>(n["restore_plans"], path + ".restore_plans", "plan restore"),
        p.restore_plans));
  return Status::Ok();
}

}  // namespace

Result<RequestPolicy> ParseRequest(Reader& r, const YAML::Node& n, const std::string& path) {
  SB_RETURN_IF_ERROR(r.Map(n, path,
                           {"checks", "auto_approve", "approval_role", "sla", "fee_minor",
                            "currency", "reason_codes", "notifications", "offers", "overrides",
                            "provisioning", "escalation", "at_risk_percent", "restore_plans"}));
  RequestPolicy p;
  if (n["checks"])
    SB_RETURN_IF_ERROR(Assign(ParseChecks(r, n["checks"], path + ".checks"), p.checks));
  if (n["auto_approve"])
    SB_RETURN_IF_ERROR(Assign(r.Enum<domain::AutoApproval>(
                                  n["auto_approve"], path + ".auto_approve", "auto-approval rule"),
                              p.auto_approve));
  if (n["approval_role"])
    SB_RETURN_IF_ERROR(
        Assign(r.Enum<domain::Role>(n["approval_role"], path + ".approval_role", "role"),
               p.approval_role));
  if (n["sla"]) SB_RETURN_IF_ERROR(Assign(ParseSla(r, n["sla"], path + ".sla"), p.sla));
  if (n["fee_minor"])
    SB_RETURN_IF_ERROR(Assign(r.Int(n["fee_minor"], path + ".fee_minor"), p.fee_minor));
  if (n["currency"])
    SB_RETURN_IF_ERROR(Assign(r.Str(n["currency"], path + ".currency"), p.currency));
  if (n["reason_codes"])
    SB_RETURN_IF_ERROR(
        Assign(r.Strings(n["reason_codes"], path + ".reason_codes"), p.reason_codes));
  if (n["notifications"])
    SB_RETURN_IF_ERROR(
        Assign(r.Strings(n["notifications"], path + ".notifications"), p.notifications));
  if (n["offers"])
    SB_RETURN_IF_ERROR(Assign(ParseOffers(r, n["offers"], path + ".offers"), p.offers));
  if (n["overrides"]) SB_RETURN_IF_ERROR(ParseOverrides(r, n["overrides"], path + ".overrides", p));
  SB_RETURN_IF_ERROR(ParseAutomation(r, n, path, p));
  return p;
}

}  // namespace sb::app::policy_yaml
