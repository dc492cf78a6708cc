// access_change (who the owner lets act on the account) and security_settings_change (how
// the account's customers prove who they are).
#include <algorithm>

#include "app/core/json_fields.h"
#include "app/requests/effects/profile_effects.h"
#include "crypto/crypto.h"

namespace sb::app::effects {

namespace json = boost::json;
using domain::AuditCategory;

namespace {

constexpr size_t kMaxAuthorizedUsers = 10;

const domain::AuthorizedUser* FindUser(const domain::Profile& p, const std::string& id) {
  for (const auto& u : p.authorized_users) {
    if (u.id == id) return &u;
  }
  return nullptr;
}

class AccessEffect final : public ProfileEffect {
 public:
  Status Read(const json::object& payload, Timestamp) override {
    PayloadReader r(payload, "payload");
    SB_RETURN_IF_ERROR(r.OnlyFields({"action", "user_id", "name", "email", "permission"}));
    SB_ASSIGN_OR_RETURN(auto action, r.OneOf("action", {"add", "remove", "update"}));
    if (!action) return r.Error("action", "action is required", "required");
    action_ = *action;
    SB_ASSIGN_OR_RETURN(user_id_, r.Text("user_id"));
    SB_ASSIGN_OR_RETURN(name_, r.Text("name"));
    SB_ASSIGN_OR_RETURN(email_, r.Email("email"));
    SB_ASSIGN_OR_RETURN(permission_, r.OneOf("permission", {"view", "manage", "full"}));
    return ReadForAction(r);
  }

  Status Check(const AccountState& state, const domain::Profile& profile) const override {
    SB_RETURN_IF_ERROR(domain::CheckAccountOpen(state.account));
    if (action_ == "add") {
      if (profile.authorized_users.size() >= kMaxAuthorizedUsers) {
        return Status::Unprocessable(
            "too_many_users",
            "an account has at most " + std::to_string(kMaxAuthorizedUsers) + " authorized users",
            "payload.action");
      }
    } else if (!FindUser(profile, *user_id_)) {
      return Status::NotFound("authorized_user", "payload.user_id");
    }
    return Status::Ok();
  }

  json::object Summary() const override {
    json::object o{{"action", action_}};
    if (user_id_) o["user_id"] = *user_id_;
    if (permission_) o["permission"] = *permission_;
    json::array fields;
    if (name_) fields.push_back("name");
    if (email_) fields.push_back("email");
    o["fields"] = std::move(fields);
    return o;
  }

  Result<ProfileChange> Apply(const EffectEnv& env, domain::Profile& profile) const override {
    ProfileChange c;
    c.category = AuditCategory::kAccess;
    c.action = "access.changed";
    auto& users = profile.authorized_users;
    std::string id, permission;
    if (action_ == "add") {
      id = crypto::NewId("usr", env.now);
      permission = *permission_;
      users.push_back({id, name_.value_or(""), *email_, permission});
    } else {
      id = *user_id_;
      auto it = std::find_if(users.begin(), users.end(), [&](const auto& u) { return u.id == id; });
      c.before = {{"user_id", id}, {"permission", it->permission}};
      permission = it->permission;
      if (action_ == "remove") {
        users.erase(it);
      } else {
        if (name_) it->name = *name_;
        if (email_) it->email = *email_;
        it->permission = permission = *permission_;
      }
    }
    c.result = {{"action", action_}, {"user_id", id}, {"permission", permission}};
    c.after = c.result;
    return c;
  }

 private:
  // Which fields each action needs, and which it has no use for.
  Status ReadForAction(const PayloadReader& r) const {
    auto unused = [&](std::string_view f) {
      return r.Error(f, std::string(f) + " is not used when action is " + action_, "not_allowed");
    };
    auto required = [&](std::string_view f) {
      return r.Error(f, std::string(f) + " is required when action is " + action_, "required");
    };
    if (action_ == "add") {
      if (user_id_) return unused("user_id");
      if (!email_) return required("email");
      if (!permission_) return required("permission");
      return Status::Ok();
    }
    if (!user_id_ || user_id_->empty()) return required("user_id");
    if (action_ == "remove") {
      if (name_) return unused("name");
      if (email_) return unused("email");
      if (permission_) return unused("permission");
      return Status::Ok();
    }
    if (!permission_) return required("permission");
    return Status::Ok();
  }

  std::string action_;
  std::optional<std::string> user_id_, name_, email_, permission_;
};

// The settings as an audit entry or a result shows them: none of them is a secret.
json::object SettingsJson(const domain::SecuritySettings& s) {
  return {{"two_factor", s.two_factor},
          {"two_factor_method", s.two_factor_method},
          {"pin_reset_at", TimeOrNull(s.pin_reset_at)},
          {"password_reset_at", TimeOrNull(s.password_reset_at)}};
}

class SecurityEffect final : public ProfileEffect {
 public:
  Status Read(const json::object& payload, Timestamp) override {
    PayloadReader r(payload, "payload");
    SB_RETURN_IF_ERROR(
        r.OnlyFields({"two_factor", "two_factor_method", "reset_pin", "reset_password"}));
    SB_ASSIGN_OR_RETURN(two_factor_, r.Bool("two_factor"));
    SB_ASSIGN_OR_RETURN(method_, r.OneOf("two_factor_method", {"sms", "totp"}));
    SB_ASSIGN_OR_RETURN(auto reset_pin, r.Bool("reset_pin"));
    SB_ASSIGN_OR_RETURN(auto reset_password, r.Bool("reset_password"));
    if (reset_pin && !*reset_pin) return r.Error("reset_pin", "reset_pin can only be true");
    if (reset_password && !*reset_password) {
      return r.Error("reset_password", "reset_password can only be true");
    }
    reset_pin_ = reset_pin.has_value();
    reset_password_ = reset_password.has_value();
    if (two_factor_ == true && !method_) {
      return r.Error("two_factor_method", "two_factor_method is required to turn two_factor on",
                     "required");
    }
    if (method_ && two_factor_ != true) {
      return r.Error("two_factor_method", "two_factor_method goes with two_factor: true",
                     "not_allowed");
    }
    if (!two_factor_ && !reset_pin_ && !reset_password_) {
      return Status::Invalid(
          "payload", "give at least one of two_factor, reset_pin, reset_password", "empty_payload");
    }
    return Status::Ok();
  }

  Status Check(const AccountState& state, const domain::Profile&) const override {
    return domain::CheckAccountOpen(state.account);
  }

  json::object Summary() const override {
    json::object o;
    json::array fields;
    if (two_factor_) {
      fields.push_back("two_factor");
      o["two_factor"] = *two_factor_;
    }
    if (method_) o["two_factor_method"] = *method_;
    if (reset_pin_) fields.push_back("reset_pin");
    if (reset_password_) fields.push_back("reset_password");
    o["fields"] = std::move(fields);
    return o;
  }

  // Resets only record when they were asked for: the client's systems carry them out.
  Result<ProfileChange> Apply(const EffectEnv& env, domain::Profile& profile) const override {
    ProfileChange c;
    c.category = AuditCategory::kSecurity;
    c.action = "security.settings_changed";
    domain::SecuritySettings& s = profile.security;
    c.before = SettingsJson(s);
    if (two_factor_) {
      s.two_factor = *two_factor_;
      s.two_factor_method = s.two_factor ? *method_ : "";
    }
    if (reset_pin_) s.pin_reset_at = env.now;
    if (reset_password_) s.password_reset_at = env.now;
    c.after = SettingsJson(s);
    c.result = c.after;
    if (reset_pin_) c.result["pin_reset"] = true;
    if (reset_password_) c.result["password_reset"] = true;
    return c;
  }

 private:
  std::optional<bool> two_factor_;
  std::optional<std::string> method_;
  bool reset_pin_ = false;
  bool reset_password_ = false;
};

}  // namespace

std::unique_ptr<ProfileEffect> NewAccessEffect() { return std::make_unique<AccessEffect>(); }

std::unique_ptr<ProfileEffect> NewSecurityEffect() { return std::make_unique<SecurityEffect>(); }

}  // namespace sb::app::effects
