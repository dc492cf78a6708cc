#include "app/notifications/channel_settings_checks.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "app/webhooks/webhook_target_check.h"
#include "domain/contacts.h"

namespace sb::app {
namespace {

Status Bad(const char* param, std::string message, const char* reason = "invalid") {
  return Status::Unprocessable(reason, std::move(message), param);
}

// The target check's refusal, moved to `param` and to 422 like every other refusal here.
Status CheckTarget(const std::string& url, const domain::WebhookTargetRules& rules,
                   const char* param) {
  Status s = CheckWebhookTarget(url, rules);
  if (s.ok()) return s;
  return Bad(param, std::string(param) + ": " + s.message(), s.reason().c_str());
}

bool HasLineBreak(const std::string& s) { return s.find_first_of("\r\n") != std::string::npos; }

}  // namespace

bool IsEmailAddress(const std::string& a) { return domain::IsEmailAddress(a); }

Status CheckEmailChannel(const EmailChannel& c, const domain::WebhookTargetRules& rules) {
  std::string rest;
  if (c.smtp_url.rfind("smtp://", 0) == 0) {
    rest = c.smtp_url.substr(7);
  } else if (c.smtp_url.rfind("smtps://", 0) == 0) {
    rest = c.smtp_url.substr(8);
  } else {
    return Bad("smtp_url", "smtp_url must be smtp://host[:port] or smtps://host[:port].",
               "invalid_url");
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty() || rest.find_first_of("/@?#") != std::string::npos) {
    return Bad("smtp_url", "smtp_url must name only a host and a port.", "invalid_url");
  }
  // The host is held to the rule of webhook targets: a tenant must not reach this network.
  SB_RETURN_IF_ERROR(CheckTarget("https://" + rest + "/", rules, "smtp_url"));
  if (!IsEmailAddress(c.from_address)) {
    return Bad("from_address", "from_address must be an email address.", "invalid_email");
  }
  if (!c.reply_to.empty() && !IsEmailAddress(c.reply_to)) {
    return Bad("reply_to", "reply_to must be an email address.", "invalid_email");
  }
  if (c.from_name.size() > 100 || HasLineBreak(c.from_name)) {
    return Bad("from_name", "from_name must be one line of at most 100 bytes.");
  }
  if (HasLineBreak(c.username) || c.username.size() > 256 || c.password.size() > 1024) {
    return Bad("username", "username and password must be single lines.");
  }
  return Status::Ok();
}

Status CheckSmsChannel(const SmsChannel& c, const domain::WebhookTargetRules& rules) {
  SB_RETURN_IF_ERROR(CheckTarget(c.gateway_url, rules, "gateway_url"));
  if (c.auth != "basic" && c.auth != "bearer") {
    return Bad("auth", "auth must be \"basic\" or \"bearer\".");
  }
  if (c.auth == "basic" && c.username.empty()) {
    return Bad("username", "username is required with basic auth.", "missing_credentials");
  }
  const std::string& s = c.sender_id;
  bool e164 =
      s.size() >= 3 && s.size() <= 16 && s[0] == '+' && s[1] != '0' &&
      std::all_of(s.begin() + 1, s.end(), [](unsigned char ch) { return std::isdigit(ch); });
  bool alpha = !s.empty() && s.size() <= 11 &&
               std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isalnum(ch); });
  if (!e164 && !alpha) {
    return Bad("sender_id", "sender_id must be an E.164 number or 1-11 letters and digits.");
  }
  if (c.body_shape != "json" && c.body_shape != "form") {
    return Bad("body_shape", "body_shape must be \"json\" or \"form\".");
  }
  if (!c.status_callback_url.empty()) {
    SB_RETURN_IF_ERROR(CheckTarget(c.status_callback_url, rules, "status_callback_url"));
  }
  return Status::Ok();
}

Status KeepStoredCredentials(const SmsChannel* old, SmsChannel* in) {
  bool same = old != nullptr && old->auth == in->auth && old->username == in->username;
  if (in->auth == "basic") {
    in->token.clear();
    if (in->password.empty() && same) in->password = old->password;
    if (in->password.empty()) {
      return Bad("password", "password is required with basic auth.", "missing_credentials");
    }
  } else {
    in->username.clear();
    in->password.clear();
    if (in->token.empty() && same) in->token = old->token;
    if (in->token.empty()) {
      return Bad("token", "token is required with bearer auth.", "missing_credentials");
    }
  }
  return Status::Ok();
}

}  // namespace sb::app
