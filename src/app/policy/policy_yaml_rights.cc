// The data-rights parts of a policy pack (app/policy/policy_yaml_reader.h): the `retention:`
// and `data_rights:` sections, and the entries of the data-rights request types a pack
// written before they existed lacks.
//
//   retention:
//     erase_after_closure_days: 0   # 0: never
//   data_rights:
//     export_roles: [supervisor]    # besides admin and auditor
//     erasure_blocked_by_open_requests: true
#include <yaml-cpp/yaml.h>

#include "app/policy/policy_yaml_reader.h"

namespace sb::app::policy_yaml {
namespace {

// What a pack without its own entries gets: the strictest reading of the default pack's
// entries (policies/default.yaml), so that an upgrade leaves no tenant's stored pack unread
// and no erasure easier than the shipped rules make it.
constexpr char kDefaultEntries[] = R"(
data_access:
  checks:
    - {kind: identity_verified, level: 2, max_age_minutes: 1440}
  auto_approve: when_checks_pass
  sla: &sla_month
    low: {target_minutes: 43200, clock: calendar_hours}
    normal: {target_minutes: 43200, clock: calendar_hours}
    high: {target_minutes: 10080, clock: calendar_hours}
    urgent: {target_minutes: 1440, clock: calendar_hours}
  reason_codes: [customer_request, regulatory_order]
data_erasure:
  checks:
    - {kind: identity_verified, level: 2, max_age_minutes: 1440}
    - {kind: payment_cleared}
    - {kind: approval, role: supervisor, maker_checker: true}
  auto_approve: when_checks_pass
  approval_role: supervisor
  sla: *sla_month
  reason_codes: [customer_request, regulatory_order, account_closure]
  overrides:
    origins:
      automated: {skip: [identity_verified, approval]}
)";

}  // namespace

Status ParseRetention(Reader& r, const YAML::Node& n, domain::RetentionPolicy& out) {
  SB_RETURN_IF_ERROR(r.Map(n, "retention", {"erase_after_closure_days"}));
  if (!n["erase_after_closure_days"]) return Status::Ok();
  return Assign(r.SmallInt(n["erase_after_closure_days"], "retention.erase_after_closure_days"),
                out.erase_after_closure_days);
}

Status ParseDataRights(Reader& r, const YAML::Node& n, domain::DataRightsPolicy& out) {
  SB_RETURN_IF_ERROR(r.Map(n, "data_rights", {"export_roles", "erasure_blocked_by_open_requests"}));
  if (n["export_roles"]) {
    const std::string path = "data_rights.export_roles";
    SB_RETURN_IF_ERROR(r.Seq(n["export_roles"], path));
    out.export_roles.clear();
    for (size_t i = 0; i < n["export_roles"].size(); ++i) {
      SB_ASSIGN_OR_RETURN(
          domain::Role role,
          r.Enum<domain::Role>(n["export_roles"][i], path + "[" + std::to_string(i) + "]", "role"));
      out.export_roles.push_back(role);
    }
  }
  if (n["erasure_blocked_by_open_requests"]) {
    SB_RETURN_IF_ERROR(Assign(r.Bool(n["erasure_blocked_by_open_requests"],
                                     "data_rights.erasure_blocked_by_open_requests"),
                              out.erasure_blocked_by_open_requests));
  }
  return Status::Ok();
}

Status AddMissingDataRightsEntries(domain::PolicyPack& pack) {
  const YAML::Node defaults = YAML::Load(kDefaultEntries);
  Reader r;
  for (domain::RequestType type :
       {domain::RequestType::kDataAccess, domain::RequestType::kDataErasure}) {
    if (pack.requests.count(type)) continue;
    std::string name(domain::Name(type));
    SB_RETURN_IF_ERROR(
        Assign(ParseRequest(r, defaults[name], "requests." + name), pack.requests[type]));
  }
  return Status::Ok();
}

}  // namespace sb::app::policy_yaml
