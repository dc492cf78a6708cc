#include "app/audit/account_as_of.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <tuple>

#include "app/rights/erased_views.h"
#include "common/time.h"
#include "domain/ports/store.h"

namespace sb::app {

namespace json = boost::json;

namespace {

constexpr int kAsOfPage = 100;

const json::object* AfterOf(const domain::AuditEntry& e, json::value& parsed) {
  boost::system::error_code ec;
  parsed = json::parse(e.after_json, ec);
  return !ec && parsed.is_object() ? &parsed.as_object() : nullptr;
}

std::optional<std::string> AsOfString(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> AsOfInt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_int64()) return std::nullopt;
  return v->as_int64();
}

// The log is read newest first, so the first entry that sets a value is the one in force at the
// instant; older ones are passed over. Only the entries that set a shown value are kept.
class Rebuild {
 public:
  explicit Rebuild(AccountAsOf& out) : out_(out) {}

  void Take(const domain::AuditEntry& e) {
    json::value parsed;
    const json::object* after = AfterOf(e, parsed);
    if (after == nullptr) return;
    if (e.subject_type == "account" && e.subject_id == out_.account_id) return Account(e, *after);
    if (e.subject_type == "service") return Service(e, *after);
    if (e.subject_type == "hold") return Hold(e, *after);
  }

  bool SawAccount() const { return saw_account_; }

  // The services oldest first and the active holds newest first; the entries kept, in log order.
  void Finish(std::vector<domain::AuditEntry>& used) {
    for (auto it = service_order_.rbegin(); it != service_order_.rend(); ++it) {
      out_.services.push_back(services_.at(*it));
    }
    std::set<std::string> wanted;
    for (const auto& [field, id] : account_sources_) wanted.insert(id);
    for (const auto& [key, id] : service_sources_) wanted.insert(id);
    for (const std::string& id : hold_order_) {
      const HoldRecord& h = holds_.at(id);
      if (h.state != "active" || !h.placed) continue;
      out_.active_holds.push_back(h.hold);
      wanted.insert(h.placed_entry);
      if (!h.state_entry.empty()) wanted.insert(h.state_entry);
    }
    for (auto& [id, e] : kept_) {
      if (wanted.count(id)) used.push_back(std::move(e));
    }
    std::sort(used.begin(), used.end(), [](const auto& a, const auto& b) {
      return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
    });
  }

 private:
  struct HoldRecord {
    HoldAsOf hold;
    std::string state;
    bool placed = false;
    std::string placed_entry, state_entry;
  };

  void Keep(const domain::AuditEntry& e) { kept_.try_emplace(e.id, e); }

  template <typename T>
  void SetOnce(std::optional<T>& field, const std::optional<T>& value, const char* name,
               const domain::AuditEntry& e) {
    if (field || !value) return;
    field = value;
    account_sources_[name] = e.id;
    Keep(e);
  }

  void Account(const domain::AuditEntry& e, const json::object& after) {
    saw_account_ = true;
    SetOnce(out_.status, AsOfString(after, "status"), "status", e);
    SetOnce(out_.lifecycle, AsOfString(after, "lifecycle"), "lifecycle", e);
    SetOnce(out_.last_payment_at, AsOfString(after, "last_payment_at"), "last_payment_at", e);
    SetOnce(out_.amount_due_minor, AsOfInt(after, "amount_due_minor"), "amount_due_minor", e);
    SetOnce(out_.kyc_level, AsOfInt(after, "kyc_level"), "kyc_level", e);
    SetOnce(out_.failed_payments, AsOfInt(after, "failed_payments"), "failed_payments", e);
    if (e.action != "account.created") return;
    out_.created_at = e.created_at;
    out_.external_ref = AsOfString(after, "external_ref").value_or("");
    out_.currency = AsOfString(after, "currency").value_or("");
    account_sources_["external_ref"] = e.id;
    Keep(e);
  }

  void Service(const domain::AuditEntry& e, const json::object& after) {
    auto [it, fresh] = services_.try_emplace(e.subject_id);
    ServiceAsOf& s = it->second;
    if (fresh) {
      s.id = e.subject_id;
      service_order_.push_back(e.subject_id);
    }
    s.created_at = e.created_at;  // the oldest entry, read last, is the one that added it
    if (auto plan = AsOfString(after, "plan"); plan && s.plan.empty()) {
      s.plan = *plan;
      service_sources_[s.id + "/plan"] = e.id;
      Keep(e);
    }
    if (auto status = AsOfString(after, "status"); status && s.status.empty()) {
      s.status = *status;
      if (s.status == "terminated") s.terminated_at = e.created_at;
      service_sources_[s.id + "/status"] = e.id;
      Keep(e);
    }
  }

  void Hold(const domain::AuditEntry& e, const json::object& after) {
    auto [it, fresh] = holds_.try_emplace(e.subject_id);
    HoldRecord& h = it->second;
    if (fresh) hold_order_.push_back(e.subject_id);
    if (auto state = AsOfString(after, "state"); state && h.state.empty()) {
      h.state = *state;
      h.state_entry = e.id;
      Keep(e);
    }
    if (e.action != "hold.placed") return;
    h.placed = true;
    h.placed_entry = e.id;
    Keep(e);
    HoldAsOf& out = h.hold;
    out.id = e.subject_id;
    out.hold_type = AsOfString(after, "hold_type").value_or("");
    out.state = h.state;
    out.blocks_service = after.contains("blocks_service") && after.at("blocks_service") == true;
    out.blocks_billing = after.contains("blocks_billing") && after.at("blocks_billing") == true;
    out.blocks_changes = after.contains("blocks_changes") && after.at("blocks_changes") == true;
    out.service_id = AsOfString(after, "service_id");
    if (auto expires = AsOfString(after, "expires_at")) out.expires_at = ParseRfc3339(*expires);
    out.reason_code = e.reason_code;
    out.placed_by_request_id = e.request_id;
    out.placed_at = e.created_at;
  }

  AccountAsOf& out_;
  bool saw_account_ = false;
  std::map<std::string, std::string> account_sources_;
  std::map<std::string, ServiceAsOf> services_;
  std::vector<std::string> service_order_;  // newest first, as read
  std::map<std::string, std::string> service_sources_;
  std::map<std::string, HoldRecord> holds_;
  std::vector<std::string> hold_order_;  // newest first, as read
  std::map<std::string, domain::AuditEntry> kept_;
};

}  // namespace

Result<AccountAsOf> AccountHistory::AsOf(const CallContext& ctx, const std::string& account_id,
                                         Timestamp as_of) const {
  if (ctx.actor.role != domain::Role::kAdmin && ctx.actor.role != domain::Role::kAuditor) {
    return Status::PermissionDenied(
        "an account as it stood at a past instant is read from the audit log: admin and auditor "
        "only");
  }
  if (as_of > deps_.clock.Now()) {
    return Status::Invalid("as_of", "'as_of' must not be in the future", "in_future");
  }
  AccountAsOf out;
  out.as_of = as_of;
  out.account_id = account_id;
  std::vector<domain::AuditEntry> used;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    Rebuild rebuild(out);
    domain::AuditFilter filter;
    filter.account_id = account_id;
    filter.created_to = as_of + 1;
    filter.limit = kAsOfPage;
    for (;;) {
      SB_ASSIGN_OR_RETURN(auto page, tx.ListAuditEntries(ctx.tenant_id, filter));
      for (const domain::AuditEntry& e : page.items) rebuild.Take(e);
      if (!page.has_more) break;
      filter.starting_after = page.next_cursor;
    }
    if (!rebuild.SawAccount()) return Status::NotFound("account");
    rebuild.Finish(used);
    auto cp = tx.LatestCheckpoint(ctx.tenant_id);
    if (!cp.ok() && cp.status().code() != Code::kNotFound) return cp.status();
    if (cp.ok()) out.checkpoint = *std::move(cp);
    ErasedAccounts erased(tx, ctx.tenant_id);
    for (domain::AuditEntry& e : used) {
      AccountAsOf::Used u{e, std::nullopt};
      SB_RETURN_IF_ERROR(ShowErased(erased, u.entry));
      if (out.checkpoint && u.entry.leaf_index && *u.entry.leaf_index < out.checkpoint->tree_size) {
        SB_ASSIGN_OR_RETURN(u.proof, InclusionInTx(tx, u.entry, out.checkpoint->tree_size,
                                                   out.checkpoint->root_hash));
      }
      out.entries.push_back(std::move(u));
    }
    return Status::Ok();
  }));
  if (out.checkpoint) {
    SB_ASSIGN_OR_RETURN(domain::ServerKey key, audit_.PublicKey());
    out.public_key = key.public_key;
  }
  return out;
}

}  // namespace sb::app
