#include "app/policy_yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <limits>
#include <map>

namespace sb::app {
namespace {

using domain::Calendar;
using domain::CheckKind;
using domain::CheckOverride;
using domain::CheckSpec;
using domain::PolicyPack;
using domain::RequestPolicy;
using domain::SlaTarget;
using Keys = std::vector<std::string_view>;

// Moves a result's value into `out`, or returns its failure.
template <typename T, typename U>
Status Assign(Result<T> result, U& out) {
  if (!result.ok()) return result.status();
  out = std::move(result).value();
  return Status::Ok();
}

constexpr std::string_view kWeekdays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                          "friday", "saturday", "sunday"};

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

// Reads YAML nodes into values while remembering the line of every field path it has
// seen, so that errors found later (by domain::Validate) can still name a line.
class Reader {
 public:
  Status Fail(const YAML::Node& n, const std::string& path, const std::string& message) {
    return Status::Invalid(path, LinePrefix(Note(n, path)) + path + ": " + message);
  }

  // Adds the line of the closest known path to a status produced without one.
  Status WithLine(const Status& s) const {
    std::string p = s.param();
    while (!p.empty()) {
      auto it = lines_.find(p);
      if (it != lines_.end())
        return Status::Invalid(s.param(), LinePrefix(it->second) + s.message());
      size_t cut = p.find_last_of(".[");
      p = cut == std::string::npos ? "" : p.substr(0, cut);
    }
    return s;
  }

  // Records `n`'s line under `path` and returns it (1-based; 0 if unknown).
  int Note(const YAML::Node& n, const std::string& path) {
    int line = n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
    if (line > 0) lines_.emplace(path, line);
    if (line == 0) {
      auto it = lines_.find(Parent(path));
      if (it != lines_.end()) line = it->second;
    }
    return line;
  }

  // REQUIRES nothing of `n`: refuses anything but a map whose keys are all in `allowed`.
  Status Map(const YAML::Node& n, const std::string& path, const Keys& allowed) {
    if (!n.IsDefined()) return Fail(n, path, "missing");
    if (!n.IsMap()) return Fail(n, path, "expected a map");
    for (const auto& kv : n) {
      std::string key = kv.first.Scalar();
      std::string kpath = path.empty() ? key : path + "." + key;
      Note(kv.first, kpath);
      if (allowed.size() && std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        return Fail(kv.first, kpath, "unknown key '" + key + "'");
    }
    return Status::Ok();
  }

  Status Seq(const YAML::Node& n, const std::string& path) {
    if (!n.IsDefined()) return Fail(n, path, "missing");
    if (!n.IsSequence()) return Fail(n, path, "expected a list");
    Note(n, path);
    return Status::Ok();
  }

  Result<std::string> Str(const YAML::Node& n, const std::string& path) {
    if (!n.IsDefined()) return Fail(n, path, "missing");
    if (!n.IsScalar()) return Fail(n, path, "expected a string");
    Note(n, path);
    return n.Scalar();
  }

  Result<std::int64_t> Int(const YAML::Node& n, const std::string& path) {
    std::int64_t v = 0;
    if (!n.IsDefined()) return Fail(n, path, "missing");
    if (!n.IsScalar() || !YAML::convert<std::int64_t>::decode(n, v))
      return Fail(n, path, "expected an integer");
    Note(n, path);
    return v;
  }

  Result<int> SmallInt(const YAML::Node& n, const std::string& path) {
    SB_ASSIGN_OR_RETURN(std::int64_t v, Int(n, path));
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
      return Fail(n, path, "integer out of range");
    return static_cast<int>(v);
  }

  Result<bool> Bool(const YAML::Node& n, const std::string& path) {
    bool v = false;
    if (!n.IsDefined()) return Fail(n, path, "missing");
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v))
      return Fail(n, path, "expected true or false");
    Note(n, path);
    return v;
  }

  // A value of enum E by its wire name; `what` names the kind of thing in the error.
  template <typename E>
  Result<E> Enum(const YAML::Node& n, const std::string& path, const char* what) {
    SB_ASSIGN_OR_RETURN(std::string text, Str(n, path));
    auto v = domain::Parse<E>(text);
    if (!v) return Fail(n, path, std::string("unknown ") + what + " '" + text + "'");
    return *v;
  }

  Result<std::vector<std::string>> Strings(const YAML::Node& n, const std::string& path) {
    SB_RETURN_IF_ERROR(Seq(n, path));
    std::vector<std::string> out;
    for (size_t i = 0; i < n.size(); ++i) {
      SB_ASSIGN_OR_RETURN(std::string s, Str(n[i], path + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(s));
    }
    return out;
  }

 private:
  static std::string LinePrefix(int line) {
    return line > 0 ? "line " + std::to_string(line) + ": " : "";
  }
  static std::string Parent(const std::string& path) {
    size_t cut = path.find_last_of(".[");
    return cut == std::string::npos ? "" : path.substr(0, cut);
  }

  std::map<std::string, int> lines_;
};

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

Result<RequestPolicy> ParseRequest(Reader& r, const YAML::Node& n, const std::string& path) {
  SB_RETURN_IF_ERROR(r.Map(n, path,
                           {"checks", "auto_approve", "approval_role", "sla", "fee_minor",
                            "currency", "reason_codes", "notifications", "offers", "overrides"}));
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
  return p;
}

Status ParseTop(Reader& r, const YAML::Node& root, PolicyPack& pack) {
  SB_RETURN_IF_ERROR(
      r.Map(root, "", {"version", "effective_from", "calendar_default", "calendars", "requests"}));
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
  if (!root["requests"]) return Status::Ok();
  SB_RETURN_IF_ERROR(r.Map(root["requests"], "requests", {}));
  for (const auto& kv : root["requests"]) {
    std::string path = "requests." + kv.first.Scalar();
    SB_ASSIGN_OR_RETURN(domain::RequestType type,
                        r.Enum<domain::RequestType>(kv.first, path, "request type"));
    SB_RETURN_IF_ERROR(Assign(ParseRequest(r, kv.second, path), pack.requests[type]));
  }
  return Status::Ok();
}

}  // namespace

Result<PolicyPack> ParsePolicyPack(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return Status::Invalid(
        "policy", "line " + std::to_string(e.mark.line + 1) + ": malformed YAML: " + e.msg);
  }
  Reader r;
  r.Note(root, "");
  PolicyPack pack;
  try {
    SB_RETURN_IF_ERROR(ParseTop(r, root, pack));
  } catch (const YAML::Exception& e) {
    // Shapes the checks above did not foresee (e.g. a complex key) are still input errors.
    return Status::Invalid("policy", "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  Status valid = domain::Validate(pack);
  if (!valid.ok()) return r.WithLine(valid);
  return pack;
}

}  // namespace sb::app
