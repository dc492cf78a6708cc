#include "app/notifications/sealed_notification.h"

#include <boost/json.hpp>

#include "crypto/crypto.h"

namespace sb::app {
namespace {

namespace json = boost::json;

std::string ToJson(const domain::Notification& n) {
  json::object o;
  o["to"] = n.to;
  o["subject"] = n.subject;
  o["text"] = n.text;
  o["html"] = n.html;
  o["transactional"] = n.transactional;
  o["template_id"] = n.template_id;
  o["locale"] = n.locale;
  o["unsubscribe_url"] = n.unsubscribe_url;
  return json::serialize(o);
}

Status NotSealed() {
  return Status::Invalid("payload_json", "the message does not carry a sealed notification",
                         "not_a_notification");
}

std::string StringField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

Result<std::string> SealNotification(domain::Tx& tx, const Keyring& keyring,
                                     std::string_view tenant_id, std::string_view subject_id,
                                     const domain::Notification& n) {
  SB_ASSIGN_OR_RETURN(std::string sealed, keyring.SealFor(tx, tenant_id, subject_id, ToJson(n)));
  json::object o;
  o["sealed"] = crypto::Base64(sealed);
  o["subject"] = subject_id;
  return json::serialize(o);
}

Result<domain::Notification> OpenNotification(domain::Tx& tx, const Keyring& keyring,
                                              std::string_view tenant_id,
                                              std::string_view account_id,
                                              std::string_view payload_json) {
  boost::system::error_code ec;
  json::value outer = json::parse(payload_json, ec);
  if (ec || !outer.is_object()) return NotSealed();
  const json::value* sealed_b64 = outer.get_object().if_contains("sealed");
  if (sealed_b64 == nullptr || !sealed_b64->is_string()) return NotSealed();
  std::optional<std::string> sealed = crypto::FromBase64(sealed_b64->get_string());
  if (!sealed) return NotSealed();
  // A message on an account opens under that account's key only, whatever its payload says;
  // a staff message (no account) under the user its payload names.
  std::string_view subject = account_id;
  if (subject.empty()) {
    const json::value* named = outer.get_object().if_contains("subject");
    if (named == nullptr || !named->is_string() || named->get_string().empty()) return NotSealed();
    subject = named->get_string();
  }
  SB_ASSIGN_OR_RETURN(std::string plain, keyring.OpenFor(tx, tenant_id, subject, *sealed));
  json::value inner = json::parse(plain, ec);
  if (ec || !inner.is_object()) return NotSealed();
  const json::object& o = inner.get_object();
  domain::Notification n;
  n.to = StringField(o, "to");
  n.subject = StringField(o, "subject");
  n.text = StringField(o, "text");
  n.html = StringField(o, "html");
  const json::value* t = o.if_contains("transactional");
  n.transactional = t == nullptr || !t->is_bool() || t->get_bool();
  n.template_id = StringField(o, "template_id");
  n.locale = StringField(o, "locale");
  n.unsubscribe_url = StringField(o, "unsubscribe_url");
  return n;
}

void HideOneTimeCode(std::string_view event_type, domain::Notification& n) {
  if (event_type == "verification_code") n.text.clear();
}

}  // namespace sb::app
