#include "app/accounts/account_data.h"

#include "app/accounts/notification_preferences.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;

namespace {

json::value MillisOrNull(const std::optional<Timestamp>& t) {
  if (!t) return nullptr;
  return *t;
}

json::object PaymentMethodJson(const domain::PaymentMethod& m) {
  return {{"token", m.token},
          {"brand", m.brand},
          {"last4", m.last4},
          {"exp_month", m.exp_month},
          {"exp_year", m.exp_year}};
}

json::object SecurityJson(const domain::SecuritySettings& s) {
  return {{"two_factor", s.two_factor},
          {"two_factor_method", s.two_factor_method},
          {"pin_reset_at", MillisOrNull(s.pin_reset_at)},
          {"password_reset_at", MillisOrNull(s.password_reset_at)}};
}

// Tolerant readers of the sealed profile: a missing or mistyped field reads as its default,
// so profiles sealed before a field existed still open.
std::string StringAt(const json::object& o, std::string_view k) {
  const json::value* f = o.if_contains(k);
  return f && f->is_string() ? std::string(f->as_string()) : std::string();
}

std::optional<std::int64_t> IntAt(const json::object& o, std::string_view k) {
  const json::value* f = o.if_contains(k);
  if (f && f->is_int64()) return f->as_int64();
  if (f && f->is_uint64() && f->as_uint64() <= INT64_MAX) {
    return static_cast<std::int64_t>(f->as_uint64());
  }
  return std::nullopt;
}

const json::object* ObjectAt(const json::object& o, std::string_view k) {
  const json::value* f = o.if_contains(k);
  return f && f->is_object() ? &f->as_object() : nullptr;
}

std::optional<domain::PaymentMethod> PaymentMethodFrom(const json::object& o) {
  const json::object* m = ObjectAt(o, "payment_method");
  if (!m) return std::nullopt;
  domain::PaymentMethod pm;
  pm.token = StringAt(*m, "token");
  pm.brand = StringAt(*m, "brand");
  pm.last4 = StringAt(*m, "last4");
  pm.exp_month = static_cast<int>(IntAt(*m, "exp_month").value_or(0));
  pm.exp_year = static_cast<int>(IntAt(*m, "exp_year").value_or(0));
  return pm;
}

std::vector<domain::AuthorizedUser> AuthorizedUsersFrom(const json::object& o) {
  std::vector<domain::AuthorizedUser> out;
  const json::value* f = o.if_contains("authorized_users");
  if (!f || !f->is_array()) return out;
  for (const json::value& u : f->as_array()) {
    if (!u.is_object()) continue;
    const json::object& uo = u.as_object();
    out.push_back({StringAt(uo, "id"), StringAt(uo, "name"), StringAt(uo, "email"),
                   StringAt(uo, "permission")});
  }
  return out;
}

domain::SecuritySettings SecurityFrom(const json::object& o) {
  domain::SecuritySettings s;
  const json::object* so = ObjectAt(o, "security");
  if (!so) return s;
  const json::value* tf = so->if_contains("two_factor");
  s.two_factor = tf && tf->is_bool() && tf->as_bool();
  s.two_factor_method = StringAt(*so, "two_factor_method");
  s.pin_reset_at = IntAt(*so, "pin_reset_at");
  s.password_reset_at = IntAt(*so, "password_reset_at");
  return s;
}

}  // namespace

std::string ProfileToJson(const domain::Profile& p) {
  json::array users;
  for (const auto& u : p.authorized_users) {
    users.push_back(json::object{
        {"id", u.id}, {"name", u.name}, {"email", u.email}, {"permission", u.permission}});
  }
  json::object o{{"name", p.name},
                 {"email", p.email},
                 {"phone", p.phone},
                 {"address", p.address},
                 {"billing_address", p.billing_address},
                 {"authorized_users", std::move(users)},
                 {"security", SecurityJson(p.security)},
                 {"notification_preferences", PreferencesJson(p.notifications)}};
  if (p.payment_method) o["payment_method"] = PaymentMethodJson(*p.payment_method);
  return json::serialize(o);
}

domain::Profile ProfileFromJson(const std::string& text) {
  domain::Profile p;
  // The parsed value lives only in this call: its nodes come from one block, released at once.
  unsigned char scratch[4096];
  json::monotonic_resource arena(scratch, sizeof scratch);
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, &arena);
  if (ec || !v.is_object()) return p;
  const json::object& o = v.as_object();
  p.name = StringAt(o, "name");
  p.email = StringAt(o, "email");
  p.phone = StringAt(o, "phone");
  p.address = StringAt(o, "address");
  p.billing_address = StringAt(o, "billing_address");
  p.payment_method = PaymentMethodFrom(o);
  p.authorized_users = AuthorizedUsersFrom(o);
  p.security = SecurityFrom(o);
  p.notifications = PreferencesFrom(ObjectAt(o, "notification_preferences"));
  return p;
}

const std::string* ProfileField(const domain::Profile& p, std::string_view field) {
  if (field == "name") return &p.name;
  if (field == "email") return &p.email;
  if (field == "phone") return &p.phone;
  if (field == "address") return &p.address;
  if (field == "billing_address") return &p.billing_address;
  return nullptr;
}

Result<json::object> SealedProfileFields(domain::Tx& tx, const Keyring& keyring,
                                         const std::string& tenant_id,
                                         const std::string& account_id, const domain::Profile& p,
                                         const std::vector<std::string>& fields) {
  json::object o;
  for (const auto& f : fields) {
    std::string plain;
    if (f == "notification_preferences") {
      plain = json::serialize(PreferencesJson(p.notifications));
    } else if (const std::string* v = ProfileField(p, f)) {
      plain = *v;
    } else {
      return Status::Internal("not a text field of the profile: " + f);
    }
    SB_ASSIGN_OR_RETURN(std::string sealed, keyring.SealFor(tx, tenant_id, account_id, plain));
    o[f] = "sealed:" + crypto::Base64(sealed);
  }
  return o;
}

Result<std::string> OpenAccountData(domain::Tx& tx, const Keyring& keyring,
                                    const domain::Account& account, std::string_view sealed) {
  auto plain = keyring.OpenFor(tx, account.tenant_id, account.id, sealed);
  if (!plain.ok() && plain.status().reason() == "erased") {
    return Status::Conflict("personal_data_erased", "personal data of this account was erased");
  }
  return plain;
}

Result<domain::Profile> OpenProfile(domain::Tx& tx, const Keyring& keyring,
                                    const domain::Account& account) {
  SB_ASSIGN_OR_RETURN(std::string plain,
                      OpenAccountData(tx, keyring, account, account.profile_sealed));
  return ProfileFromJson(plain);
}

Result<AccountView> BuildView(domain::Tx& tx, const Keyring& keyring, domain::Account account,
                              std::vector<domain::Service> services,
                              const std::vector<domain::Hold>& holds) {
  AccountView v;
  auto plain = keyring.OpenFor(tx, account.tenant_id, account.id, account.profile_sealed);
  if (plain.ok()) {
    v.profile = ProfileFromJson(*plain);
  } else if (plain.status().reason() == "erased") {
    v.profile_erased = true;
  } else {
    return plain.status();
  }
  v.account = std::move(account);
  v.services = std::move(services);
  for (const auto& h : holds) {
    if (h.state == domain::HoldState::kActive) v.active_holds.push_back(h);
  }
  return v;
}

Result<AccountView> LoadView(domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id,
                             const std::string& account_id) {
  auto acc = tx.GetAccount(tenant_id, account_id);
  if (!acc.ok()) {
    if (acc.status().code() == Code::kNotFound) return Status::NotFound("account");
    return acc.status();
  }
  SB_ASSIGN_OR_RETURN(auto services, tx.ListServices(tenant_id, account_id));
  SB_ASSIGN_OR_RETURN(auto holds, tx.ListHolds(tenant_id, account_id, /*active_only=*/true));
  return BuildView(tx, keyring, std::move(acc).value(), std::move(services), holds);
}

}  // namespace sb::app
