#include "app/notifications/composer.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "app/accounts/account_data.h"
#include "app/core/change.h"
#include "app/notifications/customer_say.h"
#include "app/notifications/delivery_time.h"
#include "app/notifications/sealed_notification.h"
#include "app/notifications/template_choice.h"
#include "app/notifications/templates.h"
#include "app/policy/policy_cache.h"
#include "app/receipts/receipts.h"
#include "app/reports/csat.h"
#include "app/requests/request_flow.h"
#include "crypto/crypto.h"

namespace sb::app {
namespace {

namespace json = boost::json;

std::atomic<const Keyring*> g_keyring{nullptr};
std::mutex g_console_url_mu;
std::string g_console_url;

// Time zones are files read once per process.
Result<std::shared_ptr<const TimeZone>> ZoneNamed(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const TimeZone>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  SB_ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(name));
  auto shared = std::make_shared<const TimeZone>(std::move(zone));
  cache[name] = shared;
  return shared;
}

// The tenant's templates of `key`'s notification and channel in `key`'s locale and in
// `fallback`, those that exist (deleted ones included: ChooseTemplate skips them).
Result<std::vector<domain::NotificationTemplate>> TenantTemplates(domain::Tx& tx,
                                                                  const std::string& tenant_id,
                                                                  const TemplateKey& key,
                                                                  const std::string& fallback) {
  std::vector<domain::NotificationTemplate> out;
  std::vector<std::string> locales{key.locale};
  if (fallback != key.locale) locales.push_back(fallback);
  for (const std::string& locale : locales) {
    auto t = tx.GetNotificationTemplate(tenant_id, key.notification, key.channel, locale);
    if (!t.ok() && t.status().code() == Code::kNotFound) continue;
    SB_RETURN_IF_ERROR(t.status());
    out.push_back(std::move(t).value());
  }
  return out;
}

// The chosen template (template_choice.h), parsed; nullopt when none exists. A tenant's
// template that no longer passes ParseTemplate (it did when stored) gives way to the next
// choice, so that no change ever fails for a template.
Result<std::optional<std::pair<TemplateChoice, ParsedTemplate>>> ParsedChoice(
    domain::Tx& tx, const std::string& tenant_id, const TemplateKey& key,
    const std::string& fallback) {
  using Out = std::optional<std::pair<TemplateChoice, ParsedTemplate>>;
  SB_ASSIGN_OR_RETURN(auto tenant, TenantTemplates(tx, tenant_id, key, fallback));
  while (true) {
    std::optional<TemplateChoice> chosen =
        ChooseTemplate(key, fallback, tenant, DefaultTemplates());
    if (!chosen) return Out();
    Result<ParsedTemplate> parsed = ParseTemplate(chosen->key, chosen->body);
    if (parsed.ok()) return Out(std::make_pair(std::move(*chosen), std::move(parsed).value()));
    if (chosen->id.rfind("tenant:", 0) != 0) return parsed.status();
    std::erase_if(tenant, [&](const domain::NotificationTemplate& t) {
      return t.locale == chosen->key.locale;
    });
  }
}

// What one composition needs besides the channel.
struct Composition {
  domain::Tx& tx;
  const Keyring& keyring;
  const CallContext& ctx;
  Timestamp now;
  const domain::PolicyPack& pack;
  const domain::NotificationRule& rule;
  const std::string& event_type;
  const domain::Request* request;
  const domain::Account& account;
  const domain::NotificationPreferences& prefs;  // the customer's say
  const TimeZone& zone;                          // the customer's
  std::map<std::string, std::string> vars;
  std::string locale;
  std::vector<domain::CustomerMessageStamp> recent;  // the account's newest email and SMS
};

// When the message on `channel` may go: quiet hours, then the rate limit.
Timestamp SendTime(const Composition& c, const std::string& channel) {
  const domain::NotifyPolicy& n = c.pack.notify;
  Timestamp at = c.rule.urgent
                     ? c.now
                     : AfterQuietHours(c.now, c.zone, n.quiet_start_minute, n.quiet_end_minute);
  std::vector<Timestamp> scheduled;
  for (const domain::CustomerMessageStamp& m : c.recent) {
    if (m.channel == channel && m.state != domain::OutboxState::kSuppressed)
      scheduled.push_back(m.next_attempt_at);
  }
  int max = channel == "sms" ? n.sms_per_window : n.email_per_window;
  return WithinRateLimit(at, std::move(scheduled), max, n.rate_window_minutes * 60'000LL);
}

// Writes the message on `channel` to `to`; returns its template id, or empty when none.
Result<std::string> WriteOne(Composition& c, const std::string& channel, const std::string& to) {
  TemplateKey key{c.event_type, channel, c.locale};
  SB_ASSIGN_OR_RETURN(auto chosen,
                      ParsedChoice(c.tx, c.ctx.tenant_id, key, c.pack.notify.default_locale));
  if (!chosen) return std::string();
  key = chosen->first.key;
  RenderedTemplate rendered = RenderTemplate(chosen->second, c.vars);
  domain::Notification n;
  n.to = to;
  n.subject = rendered.subject;
  n.text = rendered.text;
  n.html = rendered.html;
  n.transactional = !c.rule.marketing;
  n.template_id = chosen->first.id;
  n.locale = key.locale;
  domain::OutboxMessage m;
  m.tenant_id = c.ctx.tenant_id;
  m.id = crypto::NewId("msg", c.now);
  m.channel = channel;
  m.event_type = c.event_type;
  m.account_id = c.account.id;
  if (c.request) m.request_id = c.request->id;
  SB_ASSIGN_OR_RETURN(m.payload_json,
                      SealNotification(c.tx, c.keyring, c.ctx.tenant_id, c.account.id, n));
  m.created_at = c.now;
  m.next_attempt_at = c.now;
  if (std::string why = WhyNotSent(c.rule, c.prefs, channel); !why.empty()) {
    // Written all the same, so that the timeline shows it was not sent and why.
    m.state = domain::OutboxState::kSuppressed;
    m.last_error = std::move(why);
  } else {
    m.next_attempt_at = SendTime(c, channel);
  }
  SB_RETURN_IF_ERROR(c.tx.InsertOutbox(m));
  c.recent.push_back({m.id, m.channel, m.event_type, m.request_id, m.state, m.next_attempt_at});
  ChangeRecorder rec(c.tx, c.ctx, c.now);
  json::object after{
      {"notification", c.event_type},
      {"channel", channel},
      {"template_id", n.template_id},
      {"locale", n.locale},
      {"state", domain::Name(m.state)},
      {"next_attempt_at", FormatRfc3339(m.next_attempt_at)},
      {"text_sha256", crypto::Hex(crypto::Sha256(n.subject + "\n" + n.text + "\n" + n.html))}};
  SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kCustomerData, "notification.written",
                               "outbox_message", m.id, c.account.id,
                               c.request ? c.request->id : std::string(), {}, after));
  return n.template_id;
}

// Whether this request's event was already told on `channel` (a suspension writes
// service.suspended once per service).
bool AlreadyTold(const Composition& c, const std::string& channel) {
  if (c.request == nullptr) return false;
  return std::any_of(c.recent.begin(), c.recent.end(), [&](const domain::CustomerMessageStamp& m) {
    return m.channel == channel && m.event_type == c.event_type && m.request_id == c.request->id;
  });
}

// The account's newest customer messages the rate limit and "already told" weigh.
constexpr int kRecentMessages = 100;

// Writes the rule's message on each of its channels the customer has a contact on, then on the
// fallback channels an urgent notice needs (FallbackChannels); `channels` and `template_id`
// collect what was written.
Status TellOnChannels(Composition& c, const domain::Profile& profile, json::array& channels,
                      std::string& template_id) {
  bool reached = false;
  auto tell = [&](const std::string& channel) -> Status {
    const std::string& to = channel == "sms" ? profile.phone : profile.email;
    if (to.empty() || AlreadyTold(c, channel)) return Status::Ok();
    SB_ASSIGN_OR_RETURN(std::string id, WriteOne(c, channel, to));
    if (id.empty()) return Status::Ok();
    reached = reached || WhyNotSent(c.rule, c.prefs, channel).empty();
    channels.push_back(json::value(channel));
    if (template_id.empty()) template_id = id;
    return Status::Ok();
  };
  for (const std::string& channel : c.rule.channels) SB_RETURN_IF_ERROR(tell(channel));
  std::vector<std::string> reachable;
  if (!profile.email.empty()) reachable.push_back("email");
  if (!profile.phone.empty()) reachable.push_back("sms");
  for (const std::string& channel : FallbackChannels(c.rule, c.prefs, reached, reachable)) {
    SB_RETURN_IF_ERROR(tell(channel));
  }
  return Status::Ok();
}

// The customer's time zone, or the pack's when theirs can no longer be loaded (then `profile`
// forgets it, so that the messages name the zone they are written in).
Result<std::shared_ptr<const TimeZone>> CustomerZone(const domain::NotifyPolicy& notify,
                                                     domain::Profile& profile) {
  auto zone = ZoneNamed(CustomerTimeZone(notify, profile.notifications));
  if (zone.ok()) return zone;
  profile.notifications.time_zone.clear();
  return ZoneNamed(notify.default_time_zone);
}

}  // namespace

void InstallNotificationKeyring(const Keyring* keyring) { g_keyring.store(keyring); }

bool NotificationKeyringInstalled() { return g_keyring.load() != nullptr; }

void InstallConsoleUrl(const std::string& url) {
  std::lock_guard<std::mutex> lock(g_console_url_mu);
  g_console_url = url;
}

bool NotifiesOf(const domain::PolicyPack& pack, const std::string& event_type,
                const domain::Request* request) {
  if (!pack.notify.enabled) return false;
  auto it = pack.notify.customer.find(event_type);
  if (it == pack.notify.customer.end()) return false;
  const auto& types = it->second.request_types;
  if (types.empty()) return true;
  return request != nullptr && std::find(types.begin(), types.end(), request->type) != types.end();
}

Status NotifyOfEvent(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                     const std::string& event_type, const domain::Request* request,
                     const std::string& account_id, const json::object& data) {
  const Keyring* keyring = g_keyring.load();
  if (keyring == nullptr || account_id.empty() || ctx.dry_run) return Status::Ok();
  auto policy = PolicyInForce(tx, ctx.tenant_id, now);
  if (!policy.ok()) {
    return policy.status().reason() == "no_policy_pack" ? Status::Ok() : policy.status();
  }
  const domain::PolicyPack& pack = (*policy)->pack;
  if (!NotifiesOf(pack, event_type, request)) return Status::Ok();
  SB_ASSIGN_OR_RETURN(domain::Account account, tx.GetAccount(ctx.tenant_id, account_id));
  auto profile = OpenProfile(tx, *keyring, account);
  if (!profile.ok()) {
    // Erased personal data: there is no one left to tell.
    return profile.status().reason() == "personal_data_erased" ? Status::Ok() : profile.status();
  }
  SB_ASSIGN_OR_RETURN(auto zone, CustomerZone(pack.notify, *profile));
  const std::string locale = CustomerLocale(pack.notify, profile->notifications);
  Composition c{tx,         *keyring,
                ctx,        now,
                pack,       pack.notify.customer.at(event_type),
                event_type, request,
                account,    profile->notifications,
                *zone,      {},
                locale,     {}};
  c.vars = TemplateVariables(pack, account, *profile, request, data, locale, *zone);
  if (event_type == "request.completed" && request != nullptr && !profile->email.empty()) {
    SB_ASSIGN_OR_RETURN(c.vars["csat_link"],
                        NewCsatLink(tx, *request, now, pack.notify.portal_url));
  }
  if (request != nullptr) {
    c.vars["receipt_link"] = ReceiptLink(*keyring, pack.notify.portal_url, *request);
  }
  SB_ASSIGN_OR_RETURN(c.recent,
                      tx.ListCustomerMessageStamps(ctx.tenant_id, account_id, kRecentMessages));
  json::array channels;
  std::string template_id;
  SB_RETURN_IF_ERROR(TellOnChannels(c, *profile, channels, template_id));
  if (channels.empty()) return Status::Ok();
  json::object told{{"notification", event_type},
                    {"channels", channels},
                    {"template_id", template_id},
                    {"locale", locale}};
  return Emit(tx, ctx, now, "customer.notification", request, account_id, told);
}

namespace {

// The one way a direct message is written: rendered in `locale` (else `fallback`), sealed
// under `subject_id`'s data key, pending now on `account_id` (empty for staff).
Result<std::string> WriteSealedMessage(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                       const std::string& subject_id, const std::string& account_id,
                                       const std::string& locale, const std::string& fallback,
                                       const DirectMessage& m) {
  const Keyring* keyring = g_keyring.load();
  if (keyring == nullptr) return Status::Unavailable("notifications are not set up");
  SB_ASSIGN_OR_RETURN(
      auto chosen, ParsedChoice(tx, ctx.tenant_id, {m.notification, m.channel, locale}, fallback));
  if (!chosen) return Status::NotFound("template", "notification");
  RenderedTemplate rendered = RenderTemplate(chosen->second, m.vars);
  domain::Notification n;
  n.to = m.to;
  n.subject = rendered.subject;
  n.text = rendered.text;
  n.html = rendered.html;
  n.transactional = true;
  n.template_id = chosen->first.id;
  n.locale = chosen->first.key.locale;
  domain::OutboxMessage out;
  out.tenant_id = ctx.tenant_id;
  out.id = crypto::NewId("msg", now);
  out.channel = m.channel;
  out.event_type = m.notification;
  out.account_id = account_id;
  SB_ASSIGN_OR_RETURN(out.payload_json,
                      SealNotification(tx, *keyring, ctx.tenant_id, subject_id, n));
  out.created_at = now;
  out.next_attempt_at = now;
  SB_RETURN_IF_ERROR(tx.InsertOutbox(out));
  return out.id;
}

}  // namespace

Result<std::string> WriteDirectMessage(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                       const domain::Account& account,
                                       const domain::Profile& profile, const DirectMessage& m) {
  domain::NotifyPolicy defaults;
  std::string fallback = defaults.default_locale;
  std::string locale = CustomerLocale(defaults, profile.notifications);
  auto policy = PolicyInForce(tx, ctx.tenant_id, now);
  if (policy.ok()) {
    fallback = (*policy)->pack.notify.default_locale;
    locale = CustomerLocale((*policy)->pack.notify, profile.notifications);
  } else if (policy.status().reason() != "no_policy_pack") {
    return policy.status();
  }
  return WriteSealedMessage(tx, ctx, now, account.id, account.id, locale, fallback, m);
}

Result<std::string> WriteStaffMessage(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                      const std::string& user_id, const DirectMessage& m) {
  std::string locale = domain::NotifyPolicy{}.default_locale;
  auto policy = PolicyInForce(tx, ctx.tenant_id, now);
  if (policy.ok()) {
    locale = (*policy)->pack.notify.default_locale;
  } else if (policy.status().reason() != "no_policy_pack") {
    return policy.status();
  }
  return WriteSealedMessage(tx, ctx, now, user_id, "", locale, locale, m);
}

namespace {

// Escalation messages each staff user got since `since`, by user id (the sealed subject their
// payload names), from the newest kScanLimit staff escalation messages of the tenant.
Result<std::map<std::string, int>> RecentEscalationMessages(domain::Tx& tx,
                                                            const std::string& tenant_id,
                                                            Timestamp since) {
  constexpr int kScanLimit = 1000;
  std::map<std::string, int> out;
  domain::OutboxFilter f;
  f.account_id = "";
  f.event_type = "request.escalated";
  f.channel = "email";
  f.limit = 100;
  for (int scanned = 0; scanned < kScanLimit;) {
    SB_ASSIGN_OR_RETURN(auto page, tx.ListOutbox(tenant_id, f));
    for (const domain::OutboxMessage& m : page.items) {
      ++scanned;
      if (m.created_at < since) return out;
      boost::system::error_code ec;
      json::value payload = json::parse(m.payload_json, ec);
      if (ec || !payload.is_object()) continue;
      const json::value* subject = payload.as_object().if_contains("subject");
      if (subject != nullptr && subject->is_string()) ++out[std::string(subject->as_string())];
    }
    if (!page.has_more || page.items.empty()) break;
    f.starting_after = page.items.back().id;
  }
  return out;
}

}  // namespace

Result<StaffNotice> NotifyStaffOfEscalation(domain::Tx& tx, const CallContext& ctx, Timestamp now,
                                            domain::Role role, const domain::Request& request,
                                            const std::string& sla_status) {
  StaffNotice out;
  if (g_keyring.load() == nullptr) return out;
  auto policy = PolicyInForce(tx, ctx.tenant_id, now);
  if (!policy.ok()) {
    if (policy.status().reason() == "no_policy_pack") return out;
    return policy.status();
  }
  const domain::NotifyPolicy& notify = (*policy)->pack.notify;
  if (!notify.enabled) return out;
  SB_ASSIGN_OR_RETURN(auto users, tx.ListUsers(ctx.tenant_id));
  std::vector<domain::StaffUser> told;
  for (domain::StaffUser& u : users) {
    if (u.role == role && u.status == domain::UserStatus::kActive) told.push_back(std::move(u));
  }
  if (told.empty()) return out;
  SB_ASSIGN_OR_RETURN(auto account, tx.GetAccount(ctx.tenant_id, request.account_id));
  SB_ASSIGN_OR_RETURN(auto zone, ZoneNamed(notify.default_time_zone));
  const std::string& locale = notify.default_locale;
  std::map<std::string, std::string> vars =
      TemplateVariables((*policy)->pack, account, domain::Profile{}, &request, {}, locale, *zone);
  vars.erase("customer_name");
  vars.erase("portal_link");
  const bool fr = locale == "fr";
  vars["sla_status"] =
      sla_status == "breached" ? (fr ? "dépassé" : "breached") : (fr ? "à risque" : "at risk");
  {
    std::lock_guard<std::mutex> lock(g_console_url_mu);
    if (!g_console_url.empty()) vars["console_link"] = g_console_url + "/#/accounts/" + account.id;
  }
  SB_ASSIGN_OR_RETURN(
      auto recent,
      RecentEscalationMessages(tx, ctx.tenant_id, now - notify.rate_window_minutes * 60'000LL));
  for (const domain::StaffUser& u : told) {
    if (recent[u.id] >= notify.email_per_window) {
      ++out.over_limit;
      continue;
    }
    vars["user_name"] = u.name;
    SB_RETURN_IF_ERROR(
        WriteStaffMessage(tx, ctx, now, u.id, {"request.escalated", "email", u.email, vars})
            .status());
    ++out.written;
  }
  return out;
}

}  // namespace sb::app
