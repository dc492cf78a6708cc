// Subject access: building, sealing and downloading the export (see data_export.h).
#include "app/rights/data_export.h"

#include <algorithm>

#include "app/accounts/account_data.h"
#include "app/core/change.h"
#include "app/notifications/sealed_notification.h"
#include "app/policy/policy_cache.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;

namespace {

constexpr int kMaxItems = 10000;
constexpr int kPage = 100;
constexpr std::string_view kSealedPrefix = "sealed:";

// Everything the builders need about the account being exported.
struct Source {
  domain::Tx& tx;
  const Keyring& keyring;
  const domain::Account& account;
  json::array truncated;
};

json::value Time(const std::optional<Timestamp>& t) {
  return t ? json::value(FormatRfc3339(*t)) : json::value(nullptr);
}

json::object ActorOf(const domain::Actor& a) {
  json::object o{{"type", domain::Name(a.type)}, {"id", a.id}};
  if (a.role) o["role"] = domain::Name(*a.role);
  return o;
}

// The plain text of a sealed value: JSON when it parses as an object or array (notification
// preferences, a sealed payload), else the string itself.
json::value AsValue(const std::string& plain) {
  boost::system::error_code ec;
  json::value v = json::parse(plain, ec);
  if (!ec && (v.is_object() || v.is_array())) return v;
  return json::value(plain);
}

// Opens, in place, every "sealed:<base64>" string and every {"sealed": "<base64>"} member of
// `v` sealed for the account (audit before/after, request payloads).
Status OpenSealed(Source& s, json::value& v) {
  if (v.is_string()) {
    std::string_view text = v.as_string();
    if (text.substr(0, kSealedPrefix.size()) != kSealedPrefix) return Status::Ok();
    auto raw = crypto::FromBase64(text.substr(kSealedPrefix.size()));
    if (!raw) return Status::Ok();
    SB_ASSIGN_OR_RETURN(std::string plain, OpenAccountData(s.tx, s.keyring, s.account, *raw));
    v = AsValue(plain);
    return Status::Ok();
  }
  if (v.is_array()) {
    for (json::value& item : v.as_array()) SB_RETURN_IF_ERROR(OpenSealed(s, item));
    return Status::Ok();
  }
  if (!v.is_object()) return Status::Ok();
  json::object& o = v.as_object();
  if (json::value* sealed = o.if_contains("sealed"); sealed && sealed->is_string()) {
    if (auto raw = crypto::FromBase64(sealed->as_string())) {
      SB_ASSIGN_OR_RETURN(std::string plain, OpenAccountData(s.tx, s.keyring, s.account, *raw));
      o.erase("sealed");
      o["opened"] = AsValue(plain);
    }
  }
  for (auto& kv : o) SB_RETURN_IF_ERROR(OpenSealed(s, kv.value()));
  return Status::Ok();
}

json::value Parsed(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(nullptr) : v;
}

// Pages through one of the account's lists with `fetch(cursor)` until it ends or kMaxItems,
// adding each item as `map` renders it.
template <typename T, typename Fetch, typename Map>
Result<json::array> Collect(Source& s, const char* name, Fetch fetch, Map map) {
  json::array out;
  std::string cursor;
  while (true) {
    SB_ASSIGN_OR_RETURN(domain::Page<T> page, fetch(cursor));
    for (const T& item : page.items) {
      if (static_cast<int>(out.size()) == kMaxItems) {
        s.truncated.push_back(json::string(name));
        return out;
      }
      SB_ASSIGN_OR_RETURN(json::value v, map(item));
      out.push_back(std::move(v));
    }
    if (!page.has_more) return out;
    cursor = page.next_cursor;
  }
}

json::object ServiceJson(const domain::Service& v) {
  return {{"id", v.id},
          {"plan_code", v.plan_code},
          {"status", domain::Name(v.status)},
          {"created_at", FormatRfc3339(v.created_at)},
          {"terminated_at", Time(v.terminated_at)}};
}

// Not HoldJson: app/accounts/account_state.h declares one, and a unity batch may see both.
json::object ExportedHoldJson(const domain::Hold& h) {
  return {{"id", h.id},
          {"type", domain::Name(h.type)},
          {"service_id", h.service_id ? json::value(*h.service_id) : json::value(nullptr)},
          {"state", domain::Name(h.state)},
          {"source", h.source},
          {"reason_code", h.reason_code},
          {"comment", h.comment},
          {"placed_at", FormatRfc3339(h.placed_at)},
          {"expires_at", Time(h.expires_at)},
          {"released_at", Time(h.released_at)}};
}

Result<json::value> RequestJson(Source& s, const domain::Request& r) {
  json::value payload = Parsed(r.payload_json);
  SB_RETURN_IF_ERROR(OpenSealed(s, payload));
  json::array comments;
  for (const auto& c : r.comments) {
    comments.push_back(
        {{"actor", ActorOf(c.actor)}, {"text", c.text}, {"at", FormatRfc3339(c.at)}});
  }
  json::object o{{"id", r.id},
                 {"type", domain::Name(r.type)},
                 {"state", domain::Name(r.state)},
                 {"origin", domain::Name(r.origin)},
                 {"channel", domain::Name(r.channel)},
                 {"reason_code", r.reason_code},
                 {"comment", r.comment},
                 {"payload", std::move(payload)},
                 {"result", Parsed(r.result_json)},
                 {"comments", std::move(comments)},
                 {"created_at", FormatRfc3339(r.created_at)},
                 {"completed_at", Time(r.completed_at)}};
  return json::value(std::move(o));
}

json::object VerificationJson(const domain::Verification& v) {
  return {{"id", v.id},       {"kind", domain::Name(v.kind)},
          {"party", v.party}, {"method", v.method},
          {"level", v.level}, {"verified_at", FormatRfc3339(v.verified_at)}};
}

Result<json::value> NotificationJson(Source& s, const domain::OutboxMessage& m) {
  SB_ASSIGN_OR_RETURN(domain::Notification n, OpenNotification(s.tx, s.keyring, s.account.tenant_id,
                                                               s.account.id, m.payload_json));
  HideOneTimeCode(m.event_type, n);
  json::object o{{"id", m.id},
                 {"channel", m.channel},
                 {"notification", m.event_type},
                 {"state", domain::Name(m.state)},
                 {"to", n.to},
                 {"subject", n.subject},
                 {"text", n.text},
                 {"locale", n.locale},
                 {"created_at", FormatRfc3339(m.created_at)},
                 {"delivered_at", Time(m.delivered_at)}};
  return json::value(std::move(o));
}

Result<json::value> AuditJson(Source& s, const domain::AuditEntry& e) {
  json::value before = Parsed(e.before_json);
  json::value after = Parsed(e.after_json);
  SB_RETURN_IF_ERROR(OpenSealed(s, before));
  SB_RETURN_IF_ERROR(OpenSealed(s, after));
  json::object o{{"id", e.id},
                 {"category", domain::Name(e.category)},
                 {"action", e.action},
                 {"actor", ActorOf(e.actor)},
                 {"channel", domain::Name(e.channel)},
                 {"reason_code", e.reason_code},
                 {"request_id", e.request_id},
                 {"subject_type", e.subject_type},
                 {"subject_id", e.subject_id},
                 {"before", std::move(before)},
                 {"after", std::move(after)},
                 {"created_at", FormatRfc3339(e.created_at)}};
  return json::value(std::move(o));
}

// The lists whose store reads are pages (requests, notifications, audit entries).
Status AddPagedLists(Source& s, json::object& doc) {
  const std::string& tenant = s.account.tenant_id;
  const std::string& id = s.account.id;
  SB_ASSIGN_OR_RETURN(doc["requests"],
                      (Collect<domain::Request>(
                          s, "requests",
                          [&](const std::string& after) {
                            domain::RequestFilter f;
                            f.account_id = id;
                            f.starting_after = after;
                            f.limit = kPage;
                            return s.tx.ListRequests(tenant, f);
                          },
                          [&](const domain::Request& r) { return RequestJson(s, r); })));
  json::array notifications;
  for (const char* channel : {"email", "sms"}) {
    SB_ASSIGN_OR_RETURN(
        json::array some,
        (Collect<domain::OutboxMessage>(
            s, "notifications",
            [&](const std::string& after) {
              domain::OutboxFilter f;
              f.account_id = id;
              f.channel = channel;
              f.starting_after = after;
              f.limit = kPage;
              return s.tx.ListOutbox(tenant, f);
            },
            [&](const domain::OutboxMessage& m) { return NotificationJson(s, m); })));
    for (auto& n : some) notifications.push_back(std::move(n));
  }
  doc["notifications"] = std::move(notifications);
  SB_ASSIGN_OR_RETURN(doc["audit_entries"],
                      (Collect<domain::AuditEntry>(
                          s, "audit_entries",
                          [&](const std::string& after) {
                            domain::AuditFilter f;
                            f.account_id = id;
                            f.starting_after = after;
                            f.limit = kPage;
                            return s.tx.ListAuditEntries(tenant, f);
                          },
                          [&](const domain::AuditEntry& e) { return AuditJson(s, e); })));
  return Status::Ok();
}

}  // namespace

Result<json::object> BuildSubjectAccessDocument(domain::Tx& tx, const Keyring& keyring,
                                                const domain::Account& account, Timestamp now) {
  Source s{tx, keyring, account, {}};
  SB_ASSIGN_OR_RETURN(domain::Profile profile, OpenProfile(tx, keyring, account));
  json::object doc{{"object", "subject_access_export"},
                   {"account_id", account.id},
                   {"generated_at", FormatRfc3339(now)}};
  doc["account"] = {{"external_ref", account.external_ref},
                    {"lifecycle", domain::Name(account.lifecycle)},
                    {"status", domain::Name(account.status)},
                    {"amount_due_minor", account.amount_due_minor},
                    {"currency", account.currency},
                    {"kyc_level", account.kyc_level},
                    {"created_at", FormatRfc3339(account.created_at)}};
  doc["profile"] = Parsed(ProfileToJson(profile));
  json::array services, holds, verifications;
  SB_ASSIGN_OR_RETURN(auto svc, tx.ListServices(account.tenant_id, account.id));
  for (const auto& v : svc) services.push_back(ServiceJson(v));
  SB_ASSIGN_OR_RETURN(auto hl, tx.ListHolds(account.tenant_id, account.id, false));
  for (const auto& h : hl) holds.push_back(ExportedHoldJson(h));
  SB_ASSIGN_OR_RETURN(auto ver, tx.ListVerifications(account.tenant_id, account.id));
  for (const auto& v : ver) verifications.push_back(VerificationJson(v));
  doc["services"] = std::move(services);
  doc["holds"] = std::move(holds);
  doc["verifications"] = std::move(verifications);
  SB_RETURN_IF_ERROR(AddPagedLists(s, doc));
  doc["truncated"] = std::move(s.truncated);
  return doc;
}

Result<json::object> WriteDataExport(domain::Tx& tx, const Keyring& keyring,
                                     const domain::Account& account, const std::string& request_id,
                                     Timestamp now) {
  SB_ASSIGN_OR_RETURN(json::object doc, BuildSubjectAccessDocument(tx, keyring, account, now));
  doc["request_id"] = request_id;
  std::string text = json::serialize(doc);
  domain::DataExport e;
  e.tenant_id = account.tenant_id;
  e.request_id = request_id;
  e.account_id = account.id;
  SB_ASSIGN_OR_RETURN(e.sealed, keyring.SealFor(tx, account.tenant_id, account.id, text));
  e.created_at = now;
  SB_RETURN_IF_ERROR(tx.InsertDataExport(e));
  return json::object{{"data_export",
                       {{"bytes", static_cast<std::int64_t>(text.size())},
                        {"sha256", crypto::Hex(crypto::Sha256(text))},
                        {"available", true}}}};
}

namespace {

Status CheckExportReader(const CallContext& ctx, const domain::PolicyPack& pack) {
  auto role = ctx.actor.role;
  if (role == domain::Role::kAdmin || role == domain::Role::kAuditor) return Status::Ok();
  const auto& allowed = pack.data_rights.export_roles;
  if (role && std::find(allowed.begin(), allowed.end(), *role) != allowed.end()) {
    return Status::Ok();
  }
  return {Code::kPermissionDenied, "role_not_allowed",
          "downloading a subject access export needs the admin or auditor role or one the "
          "policy pack's data_rights.export_roles names"};
}

}  // namespace

Result<std::string> DataRights::DownloadExport(const CallContext& ctx,
                                               const std::string& request_id) const {
  return RunChange<std::string>(
      deps_, ctx, nullptr, [&](domain::Tx& tx, Timestamp now) -> Result<std::string> {
        auto r = tx.GetRequest(ctx.tenant_id, request_id);
        if (!r.ok() && r.status().code() == Code::kNotFound) return Status::NotFound("request");
        if (!r.ok()) return r.status();
        if (r->type != domain::RequestType::kDataAccess) return Status::NotFound("request");
        // A customer reads their own account's export, and of others' not even that it
        // exists; staff need a role the pack allows.
        if (ctx.actor.type == domain::ActorType::kCustomer) {
          if (ctx.actor.id != r->account_id) return Status::NotFound("request");
        } else {
          SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, ctx.tenant_id, now));
          SB_RETURN_IF_ERROR(CheckExportReader(ctx, policy->pack));
        }
        if (r->state != domain::RequestState::kCompleted) {
          return Status::Conflict("export_not_ready",
                                  "request " + r->id + " is " +
                                      std::string(domain::Name(r->state)) +
                                      "; its export exists once it is completed");
        }
        auto stored = tx.GetDataExport(ctx.tenant_id, request_id);
        if (!stored.ok() && stored.status().code() == Code::kNotFound) {
          return Status::Conflict("export_not_ready", "request " + r->id + " has no export");
        }
        if (!stored.ok()) return stored.status();
        SB_ASSIGN_OR_RETURN(domain::Account account, tx.GetAccount(ctx.tenant_id, r->account_id));
        SB_ASSIGN_OR_RETURN(std::string text,
                            OpenAccountData(tx, deps_.keyring, account, stored->sealed));
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(rec.Audit(domain::AuditCategory::kCustomerData, "data_export.downloaded",
                                     "request", r->id, r->account_id, r->id, {},
                                     {{"sha256", crypto::Hex(crypto::Sha256(text))}}));
        return text;
      });
}

}  // namespace sb::app
