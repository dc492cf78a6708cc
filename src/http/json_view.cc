#include "http/json_view.h"

#include "app/requests/comment_sentiment.h"
#include "crypto/crypto.h"
#include "domain/sla.h"

namespace sb::http {
namespace {

namespace json = boost::json;

std::string Str(std::string_view s) { return std::string(s); }

// Stored JSON text as a value; text that does not parse is shown as a string.
json::value Embedded(const std::string& text) {
  if (text.empty()) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return json::value(text);
  return v;
}

json::object ActorJson(const domain::Actor& a) {
  json::object o;
  o["type"] = Str(domain::Name(a.type));
  o["id"] = a.id;
  if (a.role) {
    o["role"] = Str(domain::Name(*a.role));
  } else {
    o["role"] = nullptr;
  }
  return o;
}

json::array StringList(const std::vector<std::string>& items) {
  json::array a;
  for (const std::string& s : items) a.emplace_back(s);
  return a;
}

json::value OptString(const std::optional<std::string>& s, json::storage_ptr sp = {}) {
  if (!s) return json::value(nullptr, std::move(sp));
  return json::value(*s, std::move(sp));
}

json::value TimeOrNullIn(const std::optional<Timestamp>& ts, json::storage_ptr sp) {
  if (!ts) return json::value(nullptr, std::move(sp));
  return json::value(FormatRfc3339(*ts), std::move(sp));
}

// What may be shown of a stored card: never the processor's token.
json::value PaymentMethodJson(const std::optional<domain::PaymentMethod>& m, json::storage_ptr sp) {
  if (!m) return json::value(nullptr, std::move(sp));
  return json::object({{"brand", m->brand},
                       {"last4", m->last4},
                       {"exp_month", m->exp_month},
                       {"exp_year", m->exp_year}},
                      std::move(sp));
}

json::array AuthorizedUsersJson(const std::vector<domain::AuthorizedUser>& users,
                                json::storage_ptr sp) {
  json::array out(sp);
  for (const auto& u : users) {
    out.push_back(json::object(
        {{"id", u.id}, {"name", u.name}, {"email", u.email}, {"permission", u.permission}}, sp));
  }
  return out;
}

json::object SecurityJson(const domain::SecuritySettings& s, const json::storage_ptr& sp) {
  json::object o(sp);
  o["two_factor"] = s.two_factor;
  if (s.two_factor) {
    o["two_factor_method"] = s.two_factor_method;
  } else {
    o["two_factor_method"] = nullptr;
  }
  o["pin_reset_at"] = TimeOrNullIn(s.pin_reset_at, sp);
  o["password_reset_at"] = TimeOrNullIn(s.password_reset_at, sp);
  return o;
}

// Empty locale and time zone: the pack's defaults apply.
json::object PreferencesJson(const domain::NotificationPreferences& p,
                             const json::storage_ptr& sp) {
  json::object o(sp);
  o["locale"] = p.locale;
  o["time_zone"] = p.time_zone;
  o["opt_out"] = json::array(p.opt_out.begin(), p.opt_out.end(), sp);
  o["marketing_consent"] = p.marketing_consent;
  o["marketing_consent_at"] = TimeOrNullIn(p.marketing_consent_at, sp);
  return o;
}

}  // namespace

json::value TimeOrNull(const std::optional<Timestamp>& ts) {
  if (!ts) return nullptr;
  return json::value(FormatRfc3339(*ts));
}

json::object ToJson(const app::AccountView& v, json::storage_ptr sp) {
  const domain::Account& a = v.account;
  json::object o(sp);
  o.reserve(28);  // its members below, without growing
  o["id"] = a.id;
  o["object"] = "account";
  o["external_ref"] = a.external_ref;
  o["status"] = Str(domain::Name(a.status));
  o["lifecycle"] = Str(domain::Name(a.lifecycle));
  o["name"] = v.profile.name;
  o["email"] = v.profile.email;
  o["phone"] = v.profile.phone;
  o["address"] = v.profile.address;
  o["billing_address"] = v.profile.billing_address;
  o["payment_method"] = PaymentMethodJson(v.profile.payment_method, sp);
  o["authorized_users"] = AuthorizedUsersJson(v.profile.authorized_users, sp);
  o["security"] = SecurityJson(v.profile.security, sp);
  o["notification_preferences"] = PreferencesJson(v.profile.notifications, sp);
  o["profile_erased"] = v.profile_erased;
  o["currency"] = a.currency;
  o["amount_due_minor"] = a.amount_due_minor;
  o["last_payment_at"] = TimeOrNullIn(a.last_payment_at, sp);
  o["kyc_level"] = a.kyc_level;
  if (a.region.empty()) {
    o["region"] = nullptr;
  } else {
    o["region"] = a.region;
  }
  o["failed_payments"] = a.failed_payments;
  o["version"] = a.version;
  o["created_at"] = FormatRfc3339(a.created_at);
  o["updated_at"] = FormatRfc3339(a.updated_at);
  json::array services(sp), holds(sp);
  for (const auto& s : v.services) services.push_back(ToJson(s, sp));
  for (const auto& h : v.active_holds) holds.push_back(ToJson(h, sp));
  o["services"] = std::move(services);
  o["active_holds"] = std::move(holds);
  return o;
}

json::object ToJson(const domain::Service& s, json::storage_ptr sp) {
  json::object o(sp);
  o.reserve(10);  // its members below, without growing
  o["id"] = s.id;
  o["object"] = "service";
  o["account_id"] = s.account_id;
  o["plan"] = s.plan_code;
  o["status"] = Str(domain::Name(s.status));
  o["version"] = s.version;
  o["created_at"] = FormatRfc3339(s.created_at);
  o["updated_at"] = FormatRfc3339(s.updated_at);
  o["terminated_at"] = TimeOrNullIn(s.terminated_at, sp);
  return o;
}

json::object ToJson(const domain::Hold& h, json::storage_ptr sp) {
  json::object o(sp);
  o.reserve(20);  // its members below, without growing
  o["id"] = h.id;
  o["object"] = "hold";
  o["account_id"] = h.account_id;
  o["service_id"] = OptString(h.service_id, sp);
  o["hold_type"] = Str(domain::Name(h.type));
  o["state"] = Str(domain::Name(h.state));
  o["blocks_service"] = h.blocks_service;
  o["blocks_billing"] = h.blocks_billing;
  o["blocks_changes"] = h.blocks_changes;
  o["source"] = h.source;
  o["owner"] = h.owner;
  o["reason_code"] = h.reason_code;
  o["comment"] = h.comment;
  o["placed_at"] = FormatRfc3339(h.placed_at);
  o["expires_at"] = TimeOrNullIn(h.expires_at, sp);
  o["released_at"] = TimeOrNullIn(h.released_at, sp);
  o["released_reason_code"] = h.released_reason_code;
  o["placed_by_request_id"] = h.placed_by_request_id;
  o["released_by_request_id"] = h.released_by_request_id;
  return o;
}

namespace {

// While the clock is paused there is no due time: it depends on when the clock runs again.
json::value SlaTime(const domain::Request& r, const std::optional<Timestamp>& t) {
  return r.sla_paused_at ? json::value(nullptr) : TimeOrNull(t);
}

// The SLA part of a request: the times, and the rule the clock runs under (kept from when
// it started, see domain::SlaTerms).
json::object SlaJson(const domain::Request& r) {
  json::object sla{{"status", Str(domain::Name(r.sla_status))},
                   {"due_at", SlaTime(r, r.due_at)},
                   {"at_risk_at", SlaTime(r, r.at_risk_at)},
                   {"paused", r.sla_paused_at.has_value()},
                   {"paused_since", TimeOrNull(r.sla_paused_at)},
                   {"clock", nullptr},
                   {"target_minutes", nullptr},
                   {"calendar", nullptr}};
  if (r.sla_terms) {
    sla["clock"] = Str(domain::Name(r.sla_terms->clock));
    sla["target_minutes"] = r.sla_terms->target_minutes;
    if (!r.sla_terms->calendar.empty()) sla["calendar"] = r.sla_terms->calendar;
  }
  return sla;
}

}  // namespace

json::object ToJson(const domain::Request& r) {
  json::object o;
  o["id"] = r.id;
  o["object"] = "request";
  o["account_id"] = r.account_id;
  o["service_id"] = OptString(r.service_id);
  o["type"] = Str(domain::Name(r.type));
  o["origin"] = Str(domain::Name(r.origin));
  o["channel"] = Str(domain::Name(r.channel));
  o["state"] = Str(domain::Name(r.state));
  o["priority"] = r.priority;
  o["actor"] = ActorJson(r.actor);
  o["reason_code"] = r.reason_code;
  o["comment"] = r.comment;
  o["correlation_id"] = r.correlation_id;
  o["policy_version"] = r.policy_version;
  o["payload"] = Embedded(r.payload_json);
  o["checks"] = Embedded(r.checks_json);
  o["result"] = Embedded(r.result_json);
  json::array history;
  for (const auto& h : r.history) {
    history.push_back(
        json::object{{"state", Str(domain::Name(h.state))}, {"at", FormatRfc3339(h.at)}});
  }
  o["history"] = std::move(history);
  o["created_at"] = FormatRfc3339(r.created_at);
  o["updated_at"] = FormatRfc3339(r.updated_at);
  o["completed_at"] = TimeOrNull(r.completed_at);
  o["due_at"] = SlaTime(r, r.due_at);
  o["sla"] = SlaJson(r);
  o["assignee"] = r.assignee.empty() ? json::value(nullptr) : json::value(r.assignee);
  json::array decisions, comments;
  for (const auto& d : r.decisions) {
    decisions.push_back(json::object{{"actor", ActorJson(d.actor)},
                                     {"decision", d.approved ? "approved" : "rejected"},
                                     {"reason_code", d.reason_code},
                                     {"comment", d.comment},
                                     {"at", FormatRfc3339(d.at)}});
  }
  for (const auto& c : r.comments) {
    json::object comment{{"actor", ActorJson(c.actor)},
                         {"text", c.text},
                         {"at", FormatRfc3339(c.at)},
                         {"sentiment", nullptr},
                         {"raised_priority", c.raised_priority}};
    if (c.sentiment) comment["sentiment"] = app::SentimentJson(*c.sentiment);
    comments.push_back(std::move(comment));
  }
  o["decisions"] = std::move(decisions);
  o["comments"] = std::move(comments);
  o["sentiment"] = app::SentimentSummaryJson(r);
  return o;
}

json::object WithoutSentiment(json::object o) {
  o["sentiment"] = nullptr;
  if (json::value* comments = o.if_contains("comments"); comments && comments->is_array()) {
    for (json::value& c : comments->get_array()) c.as_object()["sentiment"] = nullptr;
  }
  return o;
}

json::object ToJson(const domain::Request& r, Timestamp now) {
  json::object o = ToJson(r);
  json::object& sla = o["sla"].as_object();
  sla["status"] = Str(domain::Name(domain::SlaStatusAt(r, now)));
  sla["time_left_seconds"] = nullptr;
  sla["working_time_left_seconds"] = nullptr;
  if (r.due_at && !domain::IsTerminal(r.state)) {
    if (!r.sla_paused_at) {
      sla["time_left_seconds"] = (*r.due_at - now) / kMillisPerSecond;
    } else if (r.sla_left_ms) {
      // Counted in the request's own clock when it paused; it stays until the clock runs.
      sla["working_time_left_seconds"] = *r.sla_left_ms / kMillisPerSecond;
    }
  }
  return o;
}

json::object ToJson(const domain::Verification& v) {
  return {{"id", v.id},
          {"object", "verification"},
          {"account_id", v.account_id},
          {"kind", Str(domain::Name(v.kind))},
          {"party", v.party},
          {"method", v.method},
          {"level", v.level},
          {"verified_at", FormatRfc3339(v.verified_at)},
          {"request_id", v.request_id.empty() ? json::value(nullptr) : json::value(v.request_id)},
          {"actor", ActorJson(v.actor)},
          {"created_at", FormatRfc3339(v.created_at)}};
}

json::object ToJson(const domain::OutboxMessage& m) {
  return {{"id", m.id},
          {"object", "outbox_message"},
          {"channel", m.channel},
          {"event_type", m.event_type},
          {"account_id", m.account_id},
          {"request_id", m.request_id},
          {"state", Str(domain::Name(m.state))},
          {"attempts", m.attempts},
          {"next_attempt_at", m.state == domain::OutboxState::kPending
                                  ? json::value(FormatRfc3339(m.next_attempt_at))
                                  : json::value(nullptr)},
          {"last_error", m.last_error},
          {"delivered_to", StringList(m.delivered_to)},
          {"payload", Embedded(m.payload_json)},
          {"created_at", FormatRfc3339(m.created_at)},
          {"delivered_at", TimeOrNull(m.delivered_at)}};
}

json::object ToJson(const domain::WebhookEndpoint& e) {
  return {{"id", e.id},
          {"object", "webhook_endpoint"},
          {"url", e.url},
          {"event_types", StringList(e.event_types)},
          {"description", e.description},
          {"format", domain::Name(e.format)},
          {"status", e.disabled_at ? "disabled" : "enabled"},
          {"created_at", FormatRfc3339(e.created_at)},
          {"disabled_at", TimeOrNull(e.disabled_at)}};
}

json::object ToJson(const domain::AuditEntry& e) {
  json::object o;
  o["id"] = e.id;
  o["object"] = "audit_entry";
  o["category"] = Str(domain::Name(e.category));
  o["action"] = e.action;
  o["actor"] = ActorJson(e.actor);
  o["channel"] = Str(domain::Name(e.channel));
  o["reason_code"] = e.reason_code;
  o["comment"] = e.comment;
  o["request_id"] = e.request_id;
  o["correlation_id"] = e.correlation_id;
  o["subject_type"] = e.subject_type;
  o["subject_id"] = e.subject_id;
  o["account_id"] = e.account_id;
  o["before"] = Embedded(e.before_json);
  o["after"] = Embedded(e.after_json);
  o["created_at"] = FormatRfc3339(e.created_at);
  if (e.leaf_index) {
    o["leaf_index"] = *e.leaf_index;
    o["leaf_hash"] = crypto::Base64(e.leaf_hash);
  } else {
    o["leaf_index"] = nullptr;
    o["leaf_hash"] = nullptr;
  }
  return o;
}

json::object ToJson(const domain::Plan& p) {
  return json::object{{"object", "plan"},       {"code", p.code},
                      {"name", p.name},         {"price_minor", p.price_minor},
                      {"currency", p.currency}, {"active", p.active}};
}

json::object ToJson(const app::TimelineItem& item) {
  json::object o;
  o["at"] = FormatRfc3339(item.at);
  if (item.request) {
    o["kind"] = "request";
    o["id"] = item.request->id;
    o["request"] = ToJson(*item.request);
  } else if (item.audit) {
    o["kind"] = "audit_entry";
    o["id"] = item.audit->id;
    o["audit_entry"] = ToJson(*item.audit);
  }
  if (item.notification) {
    // Never the payload: it is sealed, and the timeline is no place for its text.
    const domain::OutboxMessage& m = *item.notification;
    json::object n{{"message_id", m.id},     {"notification", m.event_type},
                   {"channel", m.channel},   {"state", domain::Name(m.state)},
                   {"attempts", m.attempts}, {"next_attempt_at", FormatRfc3339(m.next_attempt_at)}};
    if (!m.last_error.empty()) n["last_error"] = m.last_error;
    o["notification"] = std::move(n);
  }
  return o;
}

json::object ToJson(const domain::Checkpoint& c) {
  return json::object{{"object", "checkpoint"},
                      {"tree_size", c.tree_size},
                      {"root_hash", crypto::Base64(c.root_hash)},
                      {"created_at", FormatRfc3339(c.created_at)},
                      {"key_id", c.key_id},
                      {"signature", crypto::Base64(c.signature)}};
}

json::object ToJson(const app::InclusionProof& p) {
  json::array path;
  for (const auto& h : p.audit_path) path.push_back(json::value(crypto::Base64(h)));
  return json::object{{"object", "inclusion_proof"},
                      {"entry_id", p.entry_id},
                      {"leaf_index", p.leaf_index},
                      {"tree_size", p.tree_size},
                      {"leaf_hash", crypto::Base64(p.leaf_hash)},
                      {"audit_path", std::move(path)},
                      {"root_hash", crypto::Base64(p.root_hash)}};
}

json::object ToJson(const app::ConsistencyProof& p) {
  json::array path;
  for (const auto& h : p.path) path.push_back(json::value(crypto::Base64(h)));
  return json::object{{"object", "consistency_proof"},
                      {"first", p.first},
                      {"second", p.second},
                      {"first_root", crypto::Base64(p.first_root)},
                      {"second_root", crypto::Base64(p.second_root)},
                      {"path", std::move(path)}};
}

json::object ToJson(const app::ChangeOutcome& o, bool dry_run) {
  json::object out;
  out["object"] = "change";
  out["dry_run"] = dry_run;
  out["request"] = ToJson(o.request);
  out["account"] = ToJson(o.account);
  if (o.hold) out["hold"] = ToJson(*o.hold);
  if (o.service) out["service"] = ToJson(*o.service);
  return out;
}

json::object ListJson(json::array data, bool has_more, const std::string& next_cursor) {
  json::object o;
  o["object"] = "list";
  o["data"] = std::move(data);
  o["has_more"] = has_more;
  o["next_cursor"] = has_more ? json::value(next_cursor) : json::value(nullptr);
  return o;
}

}  // namespace sb::http
