#pragma once

// Internals of the policy pack reader (app/policy_yaml.h), shared by its source files: a
// strict YAML-to-value reader that remembers the line of every field path it has seen, and
// the parser of one request type's policy. Not for use outside the reader.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/policy.h"

namespace sb::app::policy_yaml {

using Keys = std::vector<std::string_view>;

// Moves a result's value into `out`, or returns its failure.
template <typename T, typename U>
Status Assign(Result<T> result, U& out) {
  if (!result.ok()) return result.status();
  out = std::move(result).value();
  return Status::Ok();
}

// Reads YAML nodes into values while remembering the line of every field path it has
// seen, so that errors found later (by domain::Validate) can still name a line. Every
// failure is an Invalid status whose param is the path and whose message starts with
// "line N: " when the line is known. Not thread-safe; one per document.
class Reader {
 public:
  // A failure at `path` about node `n`.
  Status Fail(const YAML::Node& n, const std::string& path, const std::string& message);

  // Adds the line of the closest known path to a status produced without one.
  Status WithLine(const Status& s) const;

  // Records `n`'s line under `path` and returns it (1-based; 0 if unknown).
  int Note(const YAML::Node& n, const std::string& path);

  // Refuses anything but a map whose keys are all in `allowed` (any key when empty).
  Status Map(const YAML::Node& n, const std::string& path, const Keys& allowed);
  // Refuses anything but a list.
  Status Seq(const YAML::Node& n, const std::string& path);

  // Scalars; a missing node is refused.
  Result<std::string> Str(const YAML::Node& n, const std::string& path);
  Result<std::int64_t> Int(const YAML::Node& n, const std::string& path);
  Result<int> SmallInt(const YAML::Node& n, const std::string& path);
  Result<bool> Bool(const YAML::Node& n, const std::string& path);
  Result<std::vector<std::string>> Strings(const YAML::Node& n, const std::string& path);

  // A value of enum E by its wire name; `what` names the kind of thing in the error.
  template <typename E>
  Result<E> Enum(const YAML::Node& n, const std::string& path, const char* what) {
    SB_ASSIGN_OR_RETURN(std::string text, Str(n, path));
    auto v = domain::Parse<E>(text);
    if (!v) return Fail(n, path, std::string("unknown ") + what + " '" + text + "'");
    return *v;
  }

 private:
  std::map<std::string, int> lines_;
};

// One entry of `requests:` (checks, approval, SLA, fees, texts, offers, overrides,
// provisioning, escalation, at_risk_percent). Refuses unknown keys and wrong types; the
// cross-field rules are left to domain::Validate.
Result<domain::RequestPolicy> ParseRequest(Reader& r, const YAML::Node& n, const std::string& path);

// The pack's `notify:` section into `out` (app/policy/policy_yaml_notify.cc). Refuses unknown
// keys, wrong types and unknown request types; the cross-field rules are domain::Validate's.
Status ParseNotify(Reader& r, const YAML::Node& n, domain::NotifyPolicy& out);

// The pack's `identity_methods:` section into `out`, replacing its defaults
// (app/policy/policy_yaml_identity.cc). Refuses unknown keys and wrong types; names and ranges
// are domain::Validate's.
Status ParseIdentityMethods(Reader& r, const YAML::Node& n,
                            std::map<std::string, domain::IdentityMethod>& out);

// The pack's `fraud:` section into `out` (app/policy/policy_yaml_fraud.cc). Refuses unknown
// keys and wrong types; ranges are domain::Validate's.
Status ParseFraud(Reader& r, const YAML::Node& n, domain::FraudPolicy& out);
// The pack's `retention:` and `data_rights:` sections (app/policy/policy_yaml_rights.cc).
// Refuse unknown keys, wrong types and unknown roles; ranges are domain::Validate's.
Status ParseRetention(Reader& r, const YAML::Node& n, domain::RetentionPolicy& out);
Status ParseDataRights(Reader& r, const YAML::Node& n, domain::DataRightsPolicy& out);
Status ParseReconciliation(Reader& r, const YAML::Node& n, domain::ReconciliationPolicy& out);
// The pack's `assistant:` section (app/policy/policy_yaml_assistant.cc): words folded as they
// are read; unknown keys, intents, locales and request types refused; the rest is
// domain::ValidateAssistant's.
Status ParseAssistant(Reader& r, const YAML::Node& n, domain::AssistantPolicy& out);
// Gives a pack without `requests.data_access` / `requests.data_erasure` (one stored before
// those types existed) the shipped defaults: identity verified at level 2 within a day for
// both; for an erasure also no money due and a supervisor's approval (maker-checker), the
// identity and the approval skipped for the retention scan's automated erasures.
Status AddMissingDataRightsEntries(domain::PolicyPack& pack);

}  // namespace sb::app::policy_yaml
