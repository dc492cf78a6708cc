// The `assistant:` section of a policy pack (app/policy/policy_yaml_reader.h, ParseAssistant;
// docs/ASSISTANT.md):
//
//   assistant:
//     max_unmatched_turns: 2
//     max_code_attempts: 3
//     idle_minutes: 30
//     code_channels: [sms, email]
//     reason_code: customer_request
//     handover: {request_type: status_sync, queue: assistant}
//     intents:
//       reconnect:
//         request_types: [reconnection]
//         en: {keywords: [reconnect], synonyms: ["turn back on"]}
//         fr: {keywords: [retablir], synonyms: ["remettre en service"]}
//       ...
//
// Words are folded (domain::FoldText) as they are read, so "Rétablir" matches "retablir".
#include "app/policy/policy_yaml_reader.h"

namespace sb::app::policy_yaml {
namespace {

Result<std::vector<std::string>> FoldedWords(Reader& r, const YAML::Node& n,
                                             const std::string& path) {
  SB_ASSIGN_OR_RETURN(std::vector<std::string> words, r.Strings(n, path));
  for (std::string& w : words) {
    std::string folded = domain::FoldText(w);
    if (folded.empty()) return r.Fail(n, path, "a word must hold a letter or a digit");
    w = std::move(folded);
  }
  return words;
}

Status ParseIntent(Reader& r, const YAML::Node& n, const std::string& path,
                   domain::IntentPolicy& out) {
  SB_RETURN_IF_ERROR(r.Map(n, path, {"request_types", "en", "fr"}));
  if (n["request_types"]) {
    SB_RETURN_IF_ERROR(r.Seq(n["request_types"], path + ".request_types"));
    for (const YAML::Node& t : n["request_types"]) {
      SB_ASSIGN_OR_RETURN(auto type,
                          r.Enum<domain::RequestType>(t, path + ".request_types", "request type"));
      out.request_types.push_back(type);
    }
  }
  for (std::string_view locale : domain::kAssistantLocales) {
    std::string key(locale);
    if (!n[key]) continue;
    std::string lp = path + "." + key;
    SB_RETURN_IF_ERROR(r.Map(n[key], lp, {"keywords", "synonyms"}));
    domain::IntentWords& w = out.words[key];
    if (n[key]["keywords"])
      SB_RETURN_IF_ERROR(Assign(FoldedWords(r, n[key]["keywords"], lp + ".keywords"), w.keywords));
    if (n[key]["synonyms"])
      SB_RETURN_IF_ERROR(Assign(FoldedWords(r, n[key]["synonyms"], lp + ".synonyms"), w.synonyms));
  }
  return Status::Ok();
}

Status ParseHandover(Reader& r, const YAML::Node& n, domain::AssistantPolicy& out) {
  SB_RETURN_IF_ERROR(r.Map(n, "assistant.handover", {"request_type", "queue"}));
  if (n["request_type"])
    SB_RETURN_IF_ERROR(
        Assign(r.Enum<domain::RequestType>(n["request_type"], "assistant.handover.request_type",
                                           "request type"),
               out.handover_type));
  if (n["queue"])
    SB_RETURN_IF_ERROR(Assign(r.Str(n["queue"], "assistant.handover.queue"), out.handover_queue));
  return Status::Ok();
}

}  // namespace

Status ParseAssistant(Reader& r, const YAML::Node& n, domain::AssistantPolicy& out) {
  SB_RETURN_IF_ERROR(r.Map(n, "assistant",
                           {"max_unmatched_turns", "max_code_attempts", "idle_minutes",
                            "code_channels", "reason_code", "handover", "intents"}));
  out.enabled = true;
  auto small = [&](const char* key, int& v) -> Status {
    if (!n[key]) return Status::Ok();
    return Assign(r.SmallInt(n[key], std::string("assistant.") + key), v);
  };
  SB_RETURN_IF_ERROR(small("max_unmatched_turns", out.max_unmatched_turns));
  SB_RETURN_IF_ERROR(small("max_code_attempts", out.max_code_attempts));
  SB_RETURN_IF_ERROR(small("idle_minutes", out.idle_minutes));
  if (n["code_channels"])
    SB_RETURN_IF_ERROR(
        Assign(r.Strings(n["code_channels"], "assistant.code_channels"), out.code_channels));
  if (n["reason_code"])
    SB_RETURN_IF_ERROR(Assign(r.Str(n["reason_code"], "assistant.reason_code"), out.reason_code));
  if (n["handover"]) SB_RETURN_IF_ERROR(ParseHandover(r, n["handover"], out));
  if (!n["intents"]) return r.Fail(n, "assistant.intents", "is required");
  SB_RETURN_IF_ERROR(r.Map(n["intents"], "assistant.intents", {}));
  for (const auto& kv : n["intents"]) {
    std::string path = "assistant.intents." + kv.first.Scalar();
    SB_ASSIGN_OR_RETURN(domain::Intent intent, r.Enum<domain::Intent>(kv.first, path, "intent"));
    SB_RETURN_IF_ERROR(ParseIntent(r, kv.second, path, out.intents[intent]));
  }
  return Status::Ok();
}

}  // namespace sb::app::policy_yaml
