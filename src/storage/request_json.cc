#include "storage/request_json.h"

#include <boost/json.hpp>

namespace sb::storage {
namespace {

namespace json = boost::json;

json::object ActorJson(const domain::Actor& a) {
  json::object o;
  o["type"] = domain::Name(a.type);
  o["id"] = a.id;
  if (a.role) {
    o["role"] = domain::Name(*a.role);
  } else {
    o["role"] = nullptr;
  }
  return o;
}

std::string StringOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

Timestamp IntOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

domain::Actor ReadActor(const json::object& o) {
  domain::Actor a;
  const json::value* v = o.if_contains("actor");
  if (!v || !v->is_object()) return a;
  const json::object& actor = v->get_object();
  a.type = domain::Parse<domain::ActorType>(StringOf(actor, "type")).value_or(a.type);
  a.id = StringOf(actor, "id");
  if (const json::value* role = actor.if_contains("role"); role && role->is_string()) {
    a.role = domain::Parse<domain::Role>(role->get_string());
  }
  return a;
}

json::object SentimentJson(const domain::SentimentScore& s) {
  return {{"polarity", s.polarity},
          {"frustration", s.frustration},
          {"label", domain::Name(s.label)},
          {"angry", s.angry},
          {"lexicon_version", s.lexicon_version},
          {"matched_terms", s.matched_terms},
          {"language", s.language}};
}

double NumberOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  return 0;
}

domain::SentimentScore ReadSentiment(const json::object& o) {
  domain::SentimentScore s;
  s.polarity = NumberOf(o, "polarity");
  s.frustration = NumberOf(o, "frustration");
  s.label = domain::ParseSentimentLabel(StringOf(o, "label")).value_or(s.label);
  const json::value* angry = o.if_contains("angry");
  s.angry = angry && angry->is_bool() && angry->get_bool();
  s.lexicon_version = StringOf(o, "lexicon_version");
  s.matched_terms = static_cast<int>(IntOf(o, "matched_terms"));
  s.language = StringOf(o, "language");
  return s;
}

// Calls `read` on every object element of the array in `text`; ignores anything else.
template <typename T, typename ReadFn>
std::vector<T> ReadArray(const std::string& text, ReadFn read) {
  std::vector<T> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& e : v.get_array()) {
    if (e.is_object()) out.push_back(read(e.get_object()));
  }
  return out;
}

}  // namespace

std::string EncodeDecisions(const std::vector<domain::Decision>& decisions) {
  json::array arr;
  for (const domain::Decision& d : decisions) {
    arr.push_back(json::object{{"actor", ActorJson(d.actor)},
                               {"approved", d.approved},
                               {"reason_code", d.reason_code},
                               {"comment", d.comment},
                               {"at", d.at}});
  }
  return json::serialize(arr);
}

std::vector<domain::Decision> DecodeDecisions(const std::string& json) {
  return ReadArray<domain::Decision>(json, [](const json::object& o) {
    domain::Decision d;
    d.actor = ReadActor(o);
    const json::value* approved = o.if_contains("approved");
    d.approved = approved && approved->is_bool() && approved->get_bool();
    d.reason_code = StringOf(o, "reason_code");
    d.comment = StringOf(o, "comment");
    d.at = IntOf(o, "at");
    return d;
  });
}

std::string EncodeComments(const std::vector<domain::RequestComment>& comments) {
  json::array arr;
  for (const domain::RequestComment& c : comments) {
    json::object o{{"actor", ActorJson(c.actor)}, {"text", c.text}, {"at", c.at}};
    if (c.sentiment) o["sentiment"] = SentimentJson(*c.sentiment);
    if (c.raised_priority) o["raised_priority"] = true;
    arr.push_back(std::move(o));
  }
  return json::serialize(arr);
}

std::vector<domain::RequestComment> DecodeComments(const std::string& json) {
  return ReadArray<domain::RequestComment>(json, [](const json::object& o) {
    domain::RequestComment c;
    c.actor = ReadActor(o);
    c.text = StringOf(o, "text");
    c.at = IntOf(o, "at");
    if (const json::value* s = o.if_contains("sentiment"); s && s->is_object())
      c.sentiment = ReadSentiment(s->get_object());
    const json::value* raised = o.if_contains("raised_priority");
    c.raised_priority = raised && raised->is_bool() && raised->get_bool();
    return c;
  });
}

}  // namespace sb::storage
