// personal_info_update and ownership_transfer: the owner's name, email, phone and address, and
// the customer's notification preferences.
#include "app/accounts/notification_preferences.h"
#include "app/requests/effects/profile_effects.h"
#include "domain/holds.h"

namespace sb::app::effects {

namespace json = boost::json;
using domain::AuditCategory;

namespace {

// The owner's contact details as a payload object gives them.
struct ContactFields {
  std::optional<std::string> name, email, phone, address;

  // Reads the four fields, all optional, refusing any other.
  Status Read(const PayloadReader& r) {
    SB_RETURN_IF_ERROR(r.OnlyFields({"name", "email", "phone", "address"}));
    SB_ASSIGN_OR_RETURN(name, r.Text("name"));
    SB_ASSIGN_OR_RETURN(email, r.Email("email"));
    SB_ASSIGN_OR_RETURN(phone, r.Phone("phone"));
    SB_ASSIGN_OR_RETURN(address, r.Text("address"));
    return Status::Ok();
  }

  // The names of the fields given, in a fixed order.
  std::vector<std::string> Given() const {
    std::vector<std::string> out;
    if (name) out.push_back("name");
    if (email) out.push_back("email");
    if (phone) out.push_back("phone");
    if (address) out.push_back("address");
    return out;
  }
};

json::array ToArray(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

class PersonalInfoEffect final : public ProfileEffect {
 public:
  Status Read(const json::object& payload, Timestamp) override {
    PayloadReader r(payload, "payload");
    json::object contact = payload;
    contact.erase("notification_preferences");
    SB_RETURN_IF_ERROR(fields_.Read(PayloadReader(contact, "payload")));
    SB_ASSIGN_OR_RETURN(const json::object* prefs, r.Object("notification_preferences"));
    if (prefs) {
      SB_ASSIGN_OR_RETURN(prefs_, ReadPreferencesPatch(*prefs, r.Path("notification_preferences")));
    }
    if (Given().empty()) {
      return Status::Invalid("payload",
                             "give at least one of name, email, phone, address, "
                             "notification_preferences",
                             "empty_payload");
    }
    return Status::Ok();
  }

  // A data_outdated hold asks for exactly this change, so it does not block it (the hold is
  // lifted when the request completes, see ApplyProfile).
  Status Check(const AccountState& state, const domain::Profile&) const override {
    return CheckChangesAllowed(state,
                               domain::HoldClearedBy(domain::RequestType::kPersonalInfoUpdate));
  }

  json::object Summary() const override { return {{"fields", ToArray(Given())}}; }

  Result<ProfileChange> Apply(const EffectEnv& env, domain::Profile& profile) const override {
    const domain::Profile before = profile;
    std::vector<std::string> changed;
    auto patch = [&](const std::optional<std::string>& v, std::string& field, const char* name) {
      if (v && *v != field) {
        field = *v;
        changed.push_back(name);
      }
    };
    patch(fields_.name, profile.name, "name");
    patch(fields_.email, profile.email, "email");
    patch(fields_.phone, profile.phone, "phone");
    patch(fields_.address, profile.address, "address");
    if (ApplyPreferences(prefs_, env.now, profile.notifications)) {
      changed.push_back("notification_preferences");
    }
    ProfileChange c;
    c.category = AuditCategory::kCustomerData;
    c.action = "customer.data_changed";
    const domain::Account& a = env.account;
    SB_ASSIGN_OR_RETURN(
        c.before, SealedProfileFields(env.tx, env.keyring, a.tenant_id, a.id, before, changed));
    SB_ASSIGN_OR_RETURN(
        c.after, SealedProfileFields(env.tx, env.keyring, a.tenant_id, a.id, profile, changed));
    c.result = {{"fields_changed", ToArray(changed)}};
    return c;
  }

 private:
  std::vector<std::string> Given() const {
    std::vector<std::string> out = fields_.Given();
    if (!prefs_.Empty()) out.push_back("notification_preferences");
    return out;
  }

  ContactFields fields_;
  PreferencesPatch prefs_;
};

class OwnershipEffect final : public ProfileEffect {
 public:
  Status Read(const json::object& payload, Timestamp) override {
    PayloadReader r(payload, "payload");
    SB_RETURN_IF_ERROR(r.OnlyFields({"new_owner"}));
    SB_ASSIGN_OR_RETURN(const json::object* owner, r.Object("new_owner"));
    if (!owner) return r.Error("new_owner", "new_owner is required", "required");
    PayloadReader o(*owner, r.Path("new_owner"));
    SB_RETURN_IF_ERROR(owner_.Read(o));
    if (!owner_.name || owner_.name->empty()) {
      return o.Error("name", "name is required", "required");
    }
    if (!owner_.email) return o.Error("email", "email is required", "required");
    return Status::Ok();
  }

  Status Check(const AccountState& state, const domain::Profile&) const override {
    return CheckChangesAllowed(state);
  }

  json::object Summary() const override {
    return {{"fields", json::array{"new_owner"}}, {"new_owner_fields", ToArray(owner_.Given())}};
  }

  // The new owner starts fresh: nobody the previous owner authorized keeps access, and the
  // previous owner's security settings and notification preferences (their marketing consent
  // above all) do not carry over.
  Result<ProfileChange> Apply(const EffectEnv& env, domain::Profile& profile) const override {
    static const std::vector<std::string> kOwnerFields = {"name", "email", "phone", "address"};
    const domain::Account& a = env.account;
    ProfileChange c;
    c.category = AuditCategory::kCustomerData;
    c.action = "account.owner_changed";
    SB_ASSIGN_OR_RETURN(c.before, SealedProfileFields(env.tx, env.keyring, a.tenant_id, a.id,
                                                      profile, kOwnerFields));
    size_t removed = profile.authorized_users.size();
    profile.name = *owner_.name;
    profile.email = *owner_.email;
    profile.phone = owner_.phone.value_or("");
    profile.address = owner_.address.value_or("");
    profile.authorized_users.clear();
    profile.security = domain::SecuritySettings{};
    profile.notifications = domain::NotificationPreferences{};
    SB_ASSIGN_OR_RETURN(c.after, SealedProfileFields(env.tx, env.keyring, a.tenant_id, a.id,
                                                     profile, kOwnerFields));
    c.before["authorized_users"] = removed;
    c.after["authorized_users"] = 0;
    c.after["security_reset"] = true;
    c.result = {{"owner_changed", true}, {"authorized_users_removed", removed}};
    return c;
  }

 private:
  ContactFields owner_;
};

}  // namespace

std::unique_ptr<ProfileEffect> NewPersonalInfoEffect() {
  return std::make_unique<PersonalInfoEffect>();
}

std::unique_ptr<ProfileEffect> NewOwnershipEffect() { return std::make_unique<OwnershipEffect>(); }

}  // namespace sb::app::effects
