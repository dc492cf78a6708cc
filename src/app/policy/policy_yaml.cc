#include "app/policy/policy_yaml.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <map>

#include "app/policy/policy_yaml_bounds.h"
#include "app/policy/policy_yaml_reader.h"

namespace sb::app {
namespace policy_yaml {
namespace {

using domain::Calendar;
using domain::PolicyPack;

constexpr std::string_view kWeekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                          "friday", "saturday", "sunday"};

// "09:00-18:00" to minutes since midnight; "closed" to an empty day.
Result<domain::WorkingHours> ParseHours(Reader& r, const YAML::Node& n, const std::string& path) {
  SB_ASSIGN_OR_RETURN(std::string text, r.Str(n, path));
  if (text == "closed") return domain::WorkingHours{};
  auto digits = [&](size_t at) { return text[at] >= '0' && text[at] <= '9'; };
  bool shape = text.size() == 11 && text[2] == ':' && text[5] == '-' && text[8] == ':';
  for (size_t at : {0, 1, 3, 4, 6, 7, 9, 10}) shape = shape && digits(at);
  if (!shape) return r.Fail(n, path, "expected HH:MM-HH:MM or closed, got '" + text + "'");
  auto minutes = [&](size_t at) {
    return std::stoi(text.substr(at, 2)) * 60 + std::stoi(text.substr(at + 3, 2));
  };
  int open = minutes(0), close = minutes(6);
  if (std::stoi(text.substr(3, 2)) > 59 || std::stoi(text.substr(9, 2)) > 59 || open >= close ||
      close > 24 * 60)
    return r.Fail(n, path, "opening must precede closing within one day: '" + text + "'");
  return domain::WorkingHours{open, close};
}

Result<Calendar> ParseCalendar(Reader& r, const YAML::Node& n, const std::string& path) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {"time_zone", "hours", "holidays"}));
  Calendar cal;
  cal.week.resize(7);
  SB_RETURN_IF_ERROR(Assign(r.Str(n["time_zone"], path + ".time_zone"), cal.time_zone));
  if (n["hours"]) {
    std::string hpath = path + ".hours";
    SB_RETURN_IF_ERROR(
        r.Map(n["hours"], hpath,
              {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}));
    for (size_t d = 0; d < 7; ++d) {
      const YAML::Node day = n["hours"][std::string(kWeekdays[d])];
      if (!day) continue;
      SB_RETURN_IF_ERROR(
          Assign(ParseHours(r, day, hpath + "." + std::string(kWeekdays[d])), cal.week[d]));
    }
  }
  if (n["holidays"])
    SB_RETURN_IF_ERROR(Assign(r.Strings(n["holidays"], path + ".holidays"), cal.holidays));
  return cal;
}

// `triggers:` {payment_failed_threshold, dormancy: {inactive_days, offer}}.
Status ParseTriggers(Reader& r, const YAML::Node& n, domain::TriggerPolicy& t) {
  SB_RETURN_IF_ERROR(r.Map(n, "triggers", {"payment_failed_threshold", "dormancy"}));
  if (n["payment_failed_threshold"])
    SB_RETURN_IF_ERROR(
        Assign(r.SmallInt(n["payment_failed_threshold"], "triggers.payment_failed_threshold"),
               t.payment_failed_threshold));
  if (!n["dormancy"]) return Status::Ok();
  const YAML::Node d = n["dormancy"];
  SB_RETURN_IF_ERROR(r.Map(d, "triggers.dormancy", {"inactive_days", "offer"}));
  if (d["inactive_days"])
    SB_RETURN_IF_ERROR(Assign(r.SmallInt(d["inactive_days"], "triggers.dormancy.inactive_days"),
                              t.dormancy_inactive_days));
  if (d["offer"])
    SB_RETURN_IF_ERROR(Assign(r.Str(d["offer"], "triggers.dormancy.offer"), t.dormancy_offer));
  return Status::Ok();
}

// `holds:` {protected: {<hold type>: <role>, ...}}. A `protected` map replaces the default
// one whole, so an empty map protects nothing.
Status ParseHolds(Reader& r, const YAML::Node& n, domain::HoldPolicy& h) {
  SB_RETURN_IF_ERROR(r.Map(n, "holds", {"protected"}));
  if (!n["protected"]) return Status::Ok();
  const YAML::Node p = n["protected"];
  SB_RETURN_IF_ERROR(r.Map(p, "holds.protected", {}));
  h.protected_holds.clear();
  for (const auto& kv : p) {
    std::string path = "holds.protected." + kv.first.Scalar();
    SB_ASSIGN_OR_RETURN(domain::HoldType type,
                        r.Enum<domain::HoldType>(kv.first, path, "hold type"));
    SB_ASSIGN_OR_RETURN(domain::Role role, r.Enum<domain::Role>(kv.second, path, "role"));
    h.protected_holds[type] = role;
  }
  return Status::Ok();
}

// The pack's `sentiment:` section (domain::SentimentPolicy):
//   sentiment:
//     raise_priority_when_angry: true
//     frustration_threshold: 0.6
Status ParseSentiment(Reader& r, const YAML::Node& n, domain::SentimentPolicy& out) {
  SB_RETURN_IF_ERROR(r.Map(n, "sentiment", {"raise_priority_when_angry", "frustration_threshold"}));
  if (n["raise_priority_when_angry"]) {
    SB_RETURN_IF_ERROR(
        Assign(r.Bool(n["raise_priority_when_angry"], "sentiment.raise_priority_when_angry"),
               out.raise_priority_when_angry));
  }
  if (!n["frustration_threshold"]) return Status::Ok();
  const std::string path = "sentiment.frustration_threshold";
  SB_ASSIGN_OR_RETURN(std::string text, r.Str(n["frustration_threshold"], path));
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return r.Fail(n["frustration_threshold"], path, "expected a number between 0 and 1");
  out.frustration_threshold = value;
  return Status::Ok();
}

Status ParseTop(Reader& r, const YAML::Node& root, PolicyPack& pack) {
  SB_RETURN_IF_ERROR(
      r.Map(root, "",
            {"version", "effective_from", "calendar_default", "calendars", "requests", "triggers",
             "holds", "notify", "identity_methods", "fraud", "retention", "data_rights",
             "reconciliation", "assistant", "sentiment"}));
  if (root["version"]) SB_RETURN_IF_ERROR(Assign(r.Str(root["version"], "version"), pack.version));
  if (root["effective_from"]) {
    SB_ASSIGN_OR_RETURN(std::string text, r.Str(root["effective_from"], "effective_from"));
    auto ts = ParseRfc3339(text);
    if (!ts) return r.Fail(root["effective_from"], "effective_from", "expected an RFC 3339 time");
    pack.effective_from = *ts;
  }
  if (root["calendar_default"])
    SB_RETURN_IF_ERROR(
        Assign(r.Str(root["calendar_default"], "calendar_default"), pack.calendar_default));
  if (root["calendars"]) {
    SB_RETURN_IF_ERROR(r.Map(root["calendars"], "calendars", {}));
    for (const auto& kv : root["calendars"]) {
      std::string name = kv.first.Scalar();
      SB_RETURN_IF_ERROR(
          Assign(ParseCalendar(r, kv.second, "calendars." + name), pack.calendars[name]));
    }
  }
  if (root["triggers"]) SB_RETURN_IF_ERROR(ParseTriggers(r, root["triggers"], pack.triggers));
  if (root["holds"]) SB_RETURN_IF_ERROR(ParseHolds(r, root["holds"], pack.holds));
  if (root["notify"]) SB_RETURN_IF_ERROR(ParseNotify(r, root["notify"], pack.notify));
  if (root["identity_methods"])
    SB_RETURN_IF_ERROR(ParseIdentityMethods(r, root["identity_methods"], pack.identity_methods));
  if (root["fraud"]) SB_RETURN_IF_ERROR(ParseFraud(r, root["fraud"], pack.fraud));
  if (root["retention"]) SB_RETURN_IF_ERROR(ParseRetention(r, root["retention"], pack.retention));
  if (root["data_rights"])
    SB_RETURN_IF_ERROR(ParseDataRights(r, root["data_rights"], pack.data_rights));
  if (root["reconciliation"]) {
    SB_RETURN_IF_ERROR(ParseReconciliation(r, root["reconciliation"], pack.reconciliation));
  }
  if (root["assistant"]) SB_RETURN_IF_ERROR(ParseAssistant(r, root["assistant"], pack.assistant));
  if (root["sentiment"]) SB_RETURN_IF_ERROR(ParseSentiment(r, root["sentiment"], pack.sentiment));
  if (!root["requests"]) return Status::Ok();
  SB_RETURN_IF_ERROR(r.Map(root["requests"], "requests", {}));
  for (const auto& kv : root["requests"]) {
    std::string path = "requests." + kv.first.Scalar();
    SB_ASSIGN_OR_RETURN(domain::RequestType type,
                        r.Enum<domain::RequestType>(kv.first, path, "request type"));
    SB_RETURN_IF_ERROR(Assign(ParseRequest(r, kv.second, path), pack.requests[type]));
  }
  return AddMissingDataRightsEntries(pack);
}

}  // namespace
}  // namespace policy_yaml

Result<domain::PolicyPack> ParsePolicyPack(std::string_view yaml_text) {
  // The node tree below costs memory in proportion to the nodes: bound them first.
  SB_RETURN_IF_ERROR(CheckPackShape(yaml_text));
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return Status::Invalid(
        "policy", "line " + std::to_string(e.mark.line + 1) + ": malformed YAML: " + e.msg);
  }
  policy_yaml::Reader r;
  r.Note(root, "");
  domain::PolicyPack pack;
  try {
    SB_RETURN_IF_ERROR(policy_yaml::ParseTop(r, root, pack));
  } catch (const YAML::Exception& e) {
    // Shapes the checks above did not foresee (e.g. a complex key) are still input errors.
    return Status::Invalid("policy", "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  Status valid = domain::Validate(pack);
  if (!valid.ok()) return r.WithLine(valid);
  return pack;
}

}  // namespace sb::app
