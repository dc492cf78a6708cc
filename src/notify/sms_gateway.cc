#include "notify/sms_gateway.h"

#include <algorithm>
#include <boost/json.hpp>

#include "crypto/crypto.h"

namespace sb::notify {
namespace {

namespace json = boost::json;

// application/x-www-form-urlencoded: unreserved characters as they are, space as '+'.
std::string FormEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Usable(const json::value* v) {
  if (v == nullptr || !v->is_string()) return "";
  std::string s(v->get_string());
  bool ok = !s.empty() && s.size() <= 200 &&
            std::all_of(s.begin(), s.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
  return ok ? s : "";
}

}  // namespace

WebhookPost SmsPost(const app::SmsChannel& gateway, const domain::Notification& n,
                    const std::string& message_id) {
  WebhookPost p;
  p.url = gateway.gateway_url;
  p.keep_answer = true;
  if (gateway.body_shape == "form") {
    p.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    p.body = "To=" + FormEncode(n.to) + "&From=" + FormEncode(gateway.sender_id) +
             "&Body=" + FormEncode(n.text);
    if (!gateway.status_callback_url.empty()) {
      p.body += "&StatusCallback=" + FormEncode(gateway.status_callback_url);
    }
  } else {
    p.headers.emplace_back("Content-Type", "application/json");
    p.body = json::serialize(json::object{
        {"to", n.to}, {"from", gateway.sender_id}, {"text", n.text}, {"reference", message_id}});
  }
  if (gateway.auth == "basic") {
    p.headers.emplace_back("Authorization",
                           "Basic " + crypto::Base64(gateway.username + ":" + gateway.password));
  } else {
    p.headers.emplace_back("Authorization", "Bearer " + gateway.token);
  }
  p.headers.emplace_back("Idempotency-Key", message_id);
  p.headers.emplace_back("User-Agent", "Switchboard-SMS/1");
  return p;
}

std::string ProviderRefOf(const std::string& answer_body) {
  boost::system::error_code ec;
  json::value v = json::parse(answer_body, ec);
  if (ec || !v.is_object()) return "";
  const json::object& o = v.get_object();
  for (const char* key : {"id", "message_id", "sid"}) {
    if (std::string s = Usable(o.if_contains(key)); !s.empty()) return s;
  }
  const json::value* messages = o.if_contains("messages");
  if (messages != nullptr && messages->is_array() && !messages->get_array().empty() &&
      messages->get_array()[0].is_object()) {
    return Usable(messages->get_array()[0].get_object().if_contains("message-id"));
  }
  return "";
}

app::SendOutcome SmsOutcome(int http_status) {
  if (http_status >= 200 && http_status < 300) return app::SendOutcome::kAccepted;
  if (http_status >= 400 && http_status < 500 && http_status != 408 && http_status != 429) {
    return app::SendOutcome::kRefused;
  }
  return app::SendOutcome::kFailed;
}

}  // namespace sb::notify
