// ChannelSettingsUseCases: reading, checking and storing a tenant's email and SMS settings.
#include "app/notifications/channel_settings.h"

#include <boost/json.hpp>

#include "app/core/change.h"
#include "app/notifications/channel_settings_checks.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;

namespace {

constexpr const char* kEmailPurpose = "notification_channel:email";
constexpr const char* kSmsPurpose = "notification_channel:sms";

// The sealed row is bound to its tenant: copied to another tenant, it does not open.
std::string SealPurposeOf(const char* purpose, const std::string& tenant_id) {
  return std::string(purpose) + ":" + tenant_id;
}

std::string Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::object EmailJson(const EmailChannel& c, bool with_secrets) {
  json::object o{{"smtp_url", c.smtp_url},    {"require_tls", c.require_tls},
                 {"username", c.username},    {"from_address", c.from_address},
                 {"from_name", c.from_name},  {"reply_to", c.reply_to},
                 {"updated_at", c.updated_at}};
  if (with_secrets) o["password"] = c.password;
  return o;
}

EmailChannel EmailFrom(const json::object& o) {
  EmailChannel c;
  c.smtp_url = Field(o, "smtp_url");
  const json::value* tls = o.if_contains("require_tls");
  c.require_tls = tls == nullptr || !tls->is_bool() || tls->get_bool();
  c.username = Field(o, "username");
  c.password = Field(o, "password");
  c.from_address = Field(o, "from_address");
  c.from_name = Field(o, "from_name");
  c.reply_to = Field(o, "reply_to");
  const json::value* at = o.if_contains("updated_at");
  c.updated_at = at != nullptr && at->is_int64() ? at->get_int64() : 0;
  return c;
}

json::object SmsJson(const SmsChannel& c, bool with_secrets) {
  json::object o{{"gateway_url", c.gateway_url}, {"auth", c.auth},
                 {"username", c.username},       {"sender_id", c.sender_id},
                 {"body_shape", c.body_shape},   {"status_callback_url", c.status_callback_url},
                 {"updated_at", c.updated_at}};
  if (with_secrets) {
    o["password"] = c.password;
    o["token"] = c.token;
  }
  return o;
}

SmsChannel SmsFrom(const json::object& o) {
  SmsChannel c;
  c.gateway_url = Field(o, "gateway_url");
  c.auth = Field(o, "auth");
  c.username = Field(o, "username");
  c.password = Field(o, "password");
  c.token = Field(o, "token");
  c.sender_id = Field(o, "sender_id");
  c.body_shape = Field(o, "body_shape");
  c.status_callback_url = Field(o, "status_callback_url");
  const json::value* at = o.if_contains("updated_at");
  c.updated_at = at != nullptr && at->is_int64() ? at->get_int64() : 0;
  return c;
}

// The opened JSON of one channel's settings; nullopt when the tenant set none.
Result<std::optional<json::object>> LoadSealed(domain::Tx& tx, const Keyring& keyring,
                                               const std::string& tenant_id, const char* purpose) {
  auto row = tx.GetTenantSecret(tenant_id, purpose);
  if (!row.ok() && row.status().code() == Code::kNotFound) return std::optional<json::object>();
  SB_RETURN_IF_ERROR(row.status());
  SB_ASSIGN_OR_RETURN(std::string plain,
                      keyring.UnwrapSecret(row->secret_sealed, SealPurposeOf(purpose, tenant_id)));
  boost::system::error_code ec;
  json::value v = json::parse(plain, ec);
  if (ec || !v.is_object()) return Status::Internal("channel settings do not parse");
  return std::optional<json::object>(std::move(v.get_object()));
}

Status StoreSealed(domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id,
                   const char* purpose, const json::object& o, Timestamp now) {
  domain::TenantSecret row{
      tenant_id, purpose, keyring.WrapSecret(json::serialize(o), SealPurposeOf(purpose, tenant_id)),
      now};
  return tx.UpsertTenantSecret(row);
}

template <typename T>
Result<T> GetOne(const Deps& deps, const CallContext& ctx,
                 Result<std::optional<T>> (*load)(domain::Tx&, const Keyring&, const std::string&),
                 T (*blank)(T)) {
  std::optional<T> found;
  SB_RETURN_IF_ERROR(deps.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(found, load(tx, deps.keyring, ctx.tenant_id));
    return Status::Ok();
  }));
  if (!found) return Status::NotFound("notification channel");
  return blank(std::move(*found));
}

EmailChannel BlankEmail(EmailChannel c) {
  c.password.clear();
  return c;
}

SmsChannel BlankSms(SmsChannel c) {
  c.password.clear();
  c.token.clear();
  return c;
}

}  // namespace

ChannelSettingsUseCases::ChannelSettingsUseCases(Deps deps, domain::WebhookTargetRules rules)
    : deps_(deps), rules_(rules) {}

std::string ChannelSettingsUseCases::ReceiptSealPurpose(const std::string& tenant_id) {
  return SealPurposeOf(kReceiptSecretPurpose, tenant_id);
}

Result<std::optional<EmailChannel>> ChannelSettingsUseCases::LoadEmail(
    domain::Tx& tx, const Keyring& keyring, const std::string& tenant_id) {
  SB_ASSIGN_OR_RETURN(auto o, LoadSealed(tx, keyring, tenant_id, kEmailPurpose));
  if (!o) return std::optional<EmailChannel>();
  return std::optional<EmailChannel>(EmailFrom(*o));
}

Result<std::optional<SmsChannel>> ChannelSettingsUseCases::LoadSms(domain::Tx& tx,
                                                                   const Keyring& keyring,
                                                                   const std::string& tenant_id) {
  SB_ASSIGN_OR_RETURN(auto o, LoadSealed(tx, keyring, tenant_id, kSmsPurpose));
  if (!o) return std::optional<SmsChannel>();
  return std::optional<SmsChannel>(SmsFrom(*o));
}

Result<EmailChannel> ChannelSettingsUseCases::GetEmail(const CallContext& ctx) const {
  return GetOne<EmailChannel>(deps_, ctx, &LoadEmail, &BlankEmail);
}

Result<SmsChannel> ChannelSettingsUseCases::GetSms(const CallContext& ctx) const {
  return GetOne<SmsChannel>(deps_, ctx, &LoadSms, &BlankSms);
}

Result<EmailChannel> ChannelSettingsUseCases::PutEmail(const CallContext& ctx, EmailChannel in,
                                                       const AnswerFn<EmailChannel>& answer) const {
  SB_RETURN_IF_ERROR(CheckEmailChannel(in, rules_));
  return RunChange<EmailChannel>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<EmailChannel> {
        SB_ASSIGN_OR_RETURN(auto old, LoadEmail(tx, deps_.keyring, ctx.tenant_id));
        EmailChannel c = in;
        if (!c.username.empty() && c.password.empty()) {
          if (!old || old->username != c.username || old->password.empty()) {
            return Status::Unprocessable("missing_credentials",
                                         "password is required with username.", "password");
          }
          c.password = old->password;
        }
        c.updated_at = now;
        SB_RETURN_IF_ERROR(
            StoreSealed(tx, deps_.keyring, ctx.tenant_id, kEmailPurpose, EmailJson(c, true), now));
        ChangeRecorder rec(tx, ctx, now);
        json::object before = old ? EmailJson(*old, false) : json::object();
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity,
                                     "notification_channel.updated", "notification_channel",
                                     "email", "", "", before, EmailJson(c, false)));
        return BlankEmail(std::move(c));
      });
}

Result<SavedSmsChannel> ChannelSettingsUseCases::PutSms(
    const CallContext& ctx, SmsChannel in, const AnswerFn<SavedSmsChannel>& answer) const {
  SB_RETURN_IF_ERROR(CheckSmsChannel(in, rules_));
  return RunChange<SavedSmsChannel>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<SavedSmsChannel> {
        SB_ASSIGN_OR_RETURN(auto old, LoadSms(tx, deps_.keyring, ctx.tenant_id));
        SmsChannel c = in;
        SB_RETURN_IF_ERROR(KeepStoredCredentials(old ? &*old : nullptr, &c));
        c.updated_at = now;
        SB_RETURN_IF_ERROR(
            StoreSealed(tx, deps_.keyring, ctx.tenant_id, kSmsPurpose, SmsJson(c, true), now));
        SavedSmsChannel out;
        auto secret = tx.GetTenantSecret(ctx.tenant_id, kReceiptSecretPurpose);
        if (!secret.ok() && secret.status().code() != Code::kNotFound) return secret.status();
        if (!secret.ok()) {
          std::string raw = crypto::RandomBytes(32);
          domain::TenantSecret row{ctx.tenant_id, kReceiptSecretPurpose,
                                   deps_.keyring.WrapSecret(raw, ReceiptSealPurpose(ctx.tenant_id)),
                                   now};
          SB_RETURN_IF_ERROR(tx.UpsertTenantSecret(row));
          out.receipt_secret = "whsec_" + crypto::Base64(raw);
        }
        ChangeRecorder rec(tx, ctx, now);
        json::object before = old ? SmsJson(*old, false) : json::object();
        json::object after = SmsJson(c, false);
        after["receipt_secret_created"] = !out.receipt_secret.empty();
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kSecurity,
                                     "notification_channel.updated", "notification_channel", "sms",
                                     "", "", before, after));
        out.channel = BlankSms(std::move(c));
        return out;
      });
}

}  // namespace sb::app
