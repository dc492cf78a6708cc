#include "app/change.h"

#include <algorithm>

#include "app/audit_log.h"
#include "app/keyring.h"
#include "crypto/crypto.h"
#include "domain/holds.h"

namespace sb::app {

namespace json = boost::json;
using domain::AuditCategory;
using domain::RequestState;

Result<domain::Request> ChangeRecorder::CompletedRequest(
    domain::RequestType type, domain::Origin origin, const std::string& account_id,
    const std::optional<std::string>& service_id, const json::object& payload,
    const json::object& result) {
  domain::Request r;
  r.tenant_id = ctx_.tenant_id;
  r.id = crypto::NewId("req", now_);
  r.account_id = account_id;
  r.service_id = service_id;
  r.type = type;
  r.origin = origin;
  r.channel = ctx_.channel;
  r.state = RequestState::kCompleted;
  r.actor = ctx_.actor;
  r.reason_code = ctx_.reason_code;
  r.comment = ctx_.comment;
  r.correlation_id = ctx_.correlation_id;
  r.idempotency_key = ctx_.idempotency_key;
  SB_ASSIGN_OR_RETURN(r.policy_version, PolicyVersion());
  r.payload_json = json::serialize(payload);
  r.checks_json = "[]";
  r.result_json = json::serialize(result);
  for (RequestState s : {RequestState::kReceived, RequestState::kVerifying, RequestState::kApproved,
                         RequestState::kCompleted}) {
    r.history.push_back({s, now_});
  }
  r.created_at = r.updated_at = now_;
  r.completed_at = now_;
  SB_RETURN_IF_ERROR(tx_.InsertRequest(r));
  return r;
}

Result<std::string> ChangeRecorder::PolicyVersion() {
  if (!policy_version_) {
    auto version = tx_.PolicyVersionInForce(ctx_.tenant_id, now_);
    if (!version.ok() && version.status().code() != Code::kNotFound) return version.status();
    policy_version_ = version.ok() ? *version : std::string();
  }
  return *policy_version_;
}

Status ChangeRecorder::Audit(AuditCategory category, std::string action, std::string subject_type,
                             std::string subject_id, const std::string& account_id,
                             const std::string& request_id, const json::object& before,
                             const json::object& after) {
  domain::AuditEntry e;
  e.tenant_id = ctx_.tenant_id;
  e.id = crypto::NewId("aud", now_);
  e.category = category;
  e.action = std::move(action);
  e.actor = ctx_.actor;
  e.channel = ctx_.channel;
  e.reason_code = ctx_.reason_code;
  e.comment = ctx_.comment;
  e.request_id = request_id;
  e.correlation_id = ctx_.correlation_id;
  e.subject_type = std::move(subject_type);
  e.subject_id = std::move(subject_id);
  e.account_id = account_id;
  e.before_json = json::serialize(before);
  e.after_json = json::serialize(after);
  e.created_at = now_;
  // With a single writer the entry takes its place in the log at once, which spares the
  // sequencer reading it back and rewriting it; elsewhere the sequencer gives it one later.
  if (tx_.WritesAreSerialized()) SB_RETURN_IF_ERROR(SequenceInWrite(tx_, e));
  return tx_.InsertAuditEntry(e);
}

Status RequireReason(domain::Tx& tx, const CallContext& ctx) {
  if (ctx.reason_code.empty()) {
    return Status::Invalid("X-Reason", "this change needs a reason code in the X-Reason header",
                           "reason_required");
  }
  SB_ASSIGN_OR_RETURN(auto codes, tx.ListReasonCodes(ctx.tenant_id));
  for (const auto& c : codes) {
    if (c.code == ctx.reason_code) return Status::Ok();
  }
  return Status::Unprocessable("unknown_reason_code",
                               "'" + ctx.reason_code + "' is not one of this tenant's reason codes",
                               "X-Reason");
}

Result<AccountState> LoadAccountState(domain::Tx& tx, const std::string& tenant_id,
                                      const std::string& account_id) {
  AccountState st;
  auto acc = tx.GetAccount(tenant_id, account_id, /*for_update=*/true);
  if (!acc.ok()) {
    if (acc.status().code() == Code::kNotFound) return Status::NotFound("account");
    return acc.status();
  }
  st.account = std::move(acc).value();
  SB_ASSIGN_OR_RETURN(st.services, tx.ListServices(tenant_id, account_id));
  SB_ASSIGN_OR_RETURN(st.holds, tx.ListHolds(tenant_id, account_id, /*active_only=*/true));
  return st;
}

Status CheckChangesAllowed(const AccountState& state) {
  SB_RETURN_IF_ERROR(domain::CheckAccountOpen(state.account));
  return domain::CheckChangesAllowed(state.holds);
}

namespace {

std::string ServiceAction(domain::ServiceStatus to) {
  switch (to) {
    case domain::ServiceStatus::kSuspended:
      return "service.suspended";
    case domain::ServiceStatus::kActive:
      return "service.reconnected";
    case domain::ServiceStatus::kTerminated:
      return "service.terminated";
    case domain::ServiceStatus::kPending:
      return "service.pending";
  }
  return "service.changed";
}

std::string AccountEvent(domain::AccountStatus to) {
  return "account." + std::string(domain::Name(to));
}

}  // namespace

Status Reconcile(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                 const std::string& request_id) {
  const std::string& acc_id = st.account.id;
  for (domain::Service& s : st.services) {
    domain::ServiceStatus to = domain::DeriveServiceStatus(s, st.holds, st.account.lifecycle);
    if (to == s.status) continue;
    json::object before{{"status", domain::Name(s.status)}};
    json::object after{{"status", domain::Name(to)}};
    s.status = to;
    if (to == domain::ServiceStatus::kTerminated && !s.terminated_at) s.terminated_at = rec.now();
    s.version += 1;
    s.updated_at = rec.now();
    SB_RETURN_IF_ERROR(tx.UpdateService(s));
    SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kSubscription, ServiceAction(to), "service", s.id,
                                 acc_id, request_id, before, after));
  }
  domain::AccountStatus to = domain::DeriveAccountStatus(st.account.lifecycle, st.holds);
  if (to != st.account.status) {
    json::object before{{"status", domain::Name(st.account.status)}};
    json::object after{{"status", domain::Name(to)}};
    st.account.status = to;
    SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kAccountStatus, AccountEvent(to), "account", acc_id,
                                 acc_id, request_id, before, after));
  }
  std::int64_t loaded = st.account.version;
  st.account.version += 1;
  st.account.updated_at = rec.now();
  return tx.UpdateAccount(st.account, loaded);
}

namespace {

json::value TimeOrNull(const std::optional<Timestamp>& t) {
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
          {"pin_reset_at", TimeOrNull(s.pin_reset_at)},
          {"password_reset_at", TimeOrNull(s.password_reset_at)}};
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

json::object HoldJson(const domain::Hold& h) {
  json::object o{{"hold_id", h.id},
                 {"type", domain::Name(h.type)},
                 {"state", domain::Name(h.state)},
                 {"blocks_service", h.blocks_service},
                 {"blocks_billing", h.blocks_billing},
                 {"blocks_changes", h.blocks_changes}};
  if (h.service_id) o["service_id"] = *h.service_id;
  if (h.expires_at) o["expires_at"] = FormatRfc3339(*h.expires_at);
  return o;
}

json::object StatusSummary(const AccountState& st) {
  json::object services;
  for (const auto& s : st.services) services[s.id] = domain::Name(s.status);
  return {{"account_status", domain::Name(st.account.status)}, {"services", services}};
}

AccountState PreviewStatuses(AccountState st) {
  for (auto& s : st.services) {
    s.status = domain::DeriveServiceStatus(s, st.holds, st.account.lifecycle);
  }
  st.account.status = domain::DeriveAccountStatus(st.account.lifecycle, st.holds);
  return st;
}

domain::Hold NewHold(const CallContext& ctx, Timestamp now, const PlaceHoldInput& in) {
  domain::HoldFlags flags = domain::DefaultFlags(in.type);
  domain::Hold h;
  h.tenant_id = ctx.tenant_id;
  h.id = crypto::NewId("hld", now);
  h.account_id = in.account_id;
  h.service_id = in.service_id;
  h.type = in.type;
  h.blocks_service = in.blocks_service.value_or(flags.blocks_service);
  h.blocks_billing = in.blocks_billing.value_or(flags.blocks_billing);
  h.blocks_changes = in.blocks_changes.value_or(flags.blocks_changes);
  h.source = in.source;
  h.owner = in.owner;
  h.reason_code = ctx.reason_code;
  h.comment = ctx.comment;
  h.placed_at = now;
  h.expires_at = in.expires_at;
  return h;
}

Status AddHoldInTx(domain::Tx& tx, ChangeRecorder& rec, AccountState& st, const domain::Hold& hold,
                   const std::string& request_id) {
  SB_RETURN_IF_ERROR(tx.InsertHold(hold));
  st.holds.insert(st.holds.begin(), hold);
  SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kAccountStatus, "hold.placed", "hold", hold.id,
                               hold.account_id, request_id, {}, HoldJson(hold)));
  if (!hold.expires_at) return Status::Ok();
  domain::Job job;
  job.tenant_id = hold.tenant_id;
  job.id = crypto::NewId("job", rec.now());
  job.kind = "hold.expire";
  job.subject_id = hold.id;
  job.payload_json = "{}";
  job.run_at = *hold.expires_at;
  job.created_at = rec.now();
  return tx.InsertJob(job);
}

Result<domain::Hold> ReleaseHoldInTx(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const std::string& hold_id, domain::HoldState final_state,
                                     const std::string& reason_code,
                                     const std::string& request_id) {
  auto it = std::find_if(st.holds.begin(), st.holds.end(), [&](const domain::Hold& h) {
    return h.id == hold_id && h.state == domain::HoldState::kActive;
  });
  if (it == st.holds.end()) {
    return Status::Conflict("hold_not_active", "hold " + hold_id + " is no longer active");
  }
  domain::Hold h = *it;
  st.holds.erase(it);
  json::object before = HoldJson(h);
  h.state = final_state;
  h.released_at = rec.now();
  h.released_reason_code = reason_code;
  h.released_by_request_id = request_id;
  SB_RETURN_IF_ERROR(tx.UpdateHold(h));
  const char* action = final_state == domain::HoldState::kExpired ? "hold.expired" : "hold.lifted";
  SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kAccountStatus, action, "hold", h.id, h.account_id,
                               request_id, before, HoldJson(h)));
  return h;
}

Status SetLifecycle(ChangeRecorder& rec, AccountState& st, domain::AccountLifecycle to,
                    const std::string& request_id) {
  json::object before{{"lifecycle", domain::Name(st.account.lifecycle)}};
  json::object after{{"lifecycle", domain::Name(to)}};
  st.account.lifecycle = to;
  return rec.Audit(AuditCategory::kAccountStatus,
                   "account.lifecycle_" + std::string(domain::Name(to)), "account", st.account.id,
                   st.account.id, request_id, before, after);
}

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
                 {"security", SecurityJson(p.security)}};
  if (p.payment_method) o["payment_method"] = PaymentMethodJson(*p.payment_method);
  return json::serialize(o);
}

domain::Profile ProfileFromJson(const std::string& text) {
  domain::Profile p;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
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
    const std::string* v = ProfileField(p, f);
    if (!v) return Status::Internal("not a text field of the profile: " + f);
    SB_ASSIGN_OR_RETURN(std::string sealed, keyring.SealFor(tx, tenant_id, account_id, *v));
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
