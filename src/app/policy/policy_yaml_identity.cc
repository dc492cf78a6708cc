// The `identity_methods:` section of a policy pack (app/policy/policy_yaml_reader.h,
// ParseIdentityMethods):
//
//   identity_methods:
//     otp_sms: {level: 1}
//     knowledge: {level: 1, alone: false}
//
// A section given replaces the defaults (domain::DefaultIdentityMethods) whole.
#include "app/policy/policy_yaml_reader.h"

namespace sb::app::policy_yaml {

Status ParseIdentityMethods(Reader& r, const YAML::Node& n,
                            std::map<std::string, domain::IdentityMethod>& out) {
  SB_RETURN_IF_ERROR(r.Map(n, "identity_methods", {}));
  out.clear();
  for (const auto& kv : n) {
    std::string name = kv.first.Scalar();
    std::string path = "identity_methods." + name;
    r.Note(kv.first, path);
    SB_RETURN_IF_ERROR(r.Map(kv.second, path, {"level", "alone"}));
    domain::IdentityMethod m;
    SB_RETURN_IF_ERROR(Assign(r.SmallInt(kv.second["level"], path + ".level"), m.level));
    if (kv.second["alone"])
      SB_RETURN_IF_ERROR(Assign(r.Bool(kv.second["alone"], path + ".alone"), m.alone));
    out[name] = m;
  }
  return Status::Ok();
}

}  // namespace sb::app::policy_yaml
