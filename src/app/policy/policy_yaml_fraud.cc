// The `fraud:` section of a policy pack (app/policy/policy_yaml_reader.h, ParseFraud):
//
//   fraud:
//     reactivation_velocity: {max_count: 2, window_minutes: 43200, hold: false}
//     contact_then_payment_change: {window_minutes: 1440, hold: true}
//     failed_codes: {max_count: 10, window_minutes: 60, hold: true}
//
// A rule named is enabled unless it says `enabled: false`; a rule left out never fires.
#include "app/policy/policy_yaml_reader.h"

namespace sb::app::policy_yaml {
namespace {

Status ParseRule(Reader& r, const YAML::Node& n, const std::string& path, domain::FraudRule& out) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {"enabled", "max_count", "window_minutes", "hold"}));
  out.enabled = true;
  if (n["enabled"])
    SB_RETURN_IF_ERROR(Assign(r.Bool(n["enabled"], path + ".enabled"), out.enabled));
  if (n["max_count"])
    SB_RETURN_IF_ERROR(Assign(r.SmallInt(n["max_count"], path + ".max_count"), out.max_count));
  SB_RETURN_IF_ERROR(
      Assign(r.SmallInt(n["window_minutes"], path + ".window_minutes"), out.window_minutes));
  if (n["hold"]) SB_RETURN_IF_ERROR(Assign(r.Bool(n["hold"], path + ".hold"), out.hold));
  return Status::Ok();
}

}  // namespace

Status ParseFraud(Reader& r, const YAML::Node& n, domain::FraudPolicy& out) {
  SB_RETURN_IF_ERROR(
      r.Map(n, "fraud", {"reactivation_velocity", "contact_then_payment_change", "failed_codes"}));
  if (n["reactivation_velocity"])
    SB_RETURN_IF_ERROR(ParseRule(r, n["reactivation_velocity"], "fraud.reactivation_velocity",
                                 out.reactivation_velocity));
  if (n["contact_then_payment_change"])
    SB_RETURN_IF_ERROR(ParseRule(r, n["contact_then_payment_change"],
                                 "fraud.contact_then_payment_change",
                                 out.contact_then_payment_change));
  if (n["failed_codes"])
    SB_RETURN_IF_ERROR(ParseRule(r, n["failed_codes"], "fraud.failed_codes", out.failed_codes));
  return Status::Ok();
}

}  // namespace sb::app::policy_yaml
