// Effects of the request types that place and lift holds: suspension (places one),
// reconnection (lifts those blocking a service, or exactly the holds it names) and the hold
// lifts of status_sync (holds that block no service: billing-only, changes-only).
#include <algorithm>

#include "app/requests/effects/effects_common.h"
#include "domain/checks.h"
#include "domain/holds.h"

namespace sb::app::effects {

namespace json = boost::json;
using domain::HoldType;

namespace {

json::array Ids(const std::vector<std::string>& ids) { return json::array(ids.begin(), ids.end()); }

// Holds a reconnection that names none leaves alone: their owners lift them by name.
bool OwnerLifted(HoldType t) {
  return t == HoldType::kFraudReview || t == HoldType::kTechnicalFault ||
         t == HoldType::kRegulatory || t == HoldType::kLegal;
}

const domain::Hold* ActiveHold(const AccountState& st, const std::string& id) {
  for (const auto& h : st.holds) {
    if (h.id == id) return &h;
  }
  return nullptr;
}

// Why a hold named by a request is not among the account's active holds.
Status MissingHold(domain::Tx& tx, const AccountState& st, const std::string& id) {
  auto found = tx.GetHold(st.account.tenant_id, id);
  if (!found.ok() && found.status().code() != Code::kNotFound) return found.status();
  if (!found.ok() || found->account_id != st.account.id) {
    return Status::NotFound("hold", "payload.hold_ids");
  }
  return Status::Conflict("hold_not_active",
                          "hold " + id + " is already " + std::string(domain::Name(found->state)),
                          "payload.hold_ids");
}

// How the named holds end: "lifted" by anyone, "expired" only by the system's expiry job.
Result<domain::HoldState> ReadRelease(const json::object& p, const domain::Actor& actor) {
  SB_ASSIGN_OR_RETURN(auto release, OptString(p, "release", 16));
  if (!release || *release == "lifted") return domain::HoldState::kLifted;
  if (*release == "expired" && actor.type == domain::ActorType::kSystem) {
    return domain::HoldState::kExpired;
  }
  return Status::Invalid("payload.release", "release must be lifted (expired is the system's)");
}

}  // namespace

Status CheckMayLift(const CallContext& ctx, const domain::PolicyPack* pack,
                    const domain::Hold& hold) {
  if (ctx.actor.type == domain::ActorType::kSystem || !pack) return Status::Ok();
  std::optional<domain::Role> role = domain::ProtectedHoldRole(*pack, hold.type);
  if (!role || domain::RoleSatisfies(ctx.actor.role, *role)) return Status::Ok();
  return Status(Code::kPermissionDenied, "role_required",
                "lifting a " + std::string(domain::Name(hold.type)) + " hold needs the " +
                    std::string(domain::Name(*role)) + " role",
                "payload.hold_ids");
}

Result<NamedLift> ReadNamedLift(domain::Tx& tx, const AccountState& st, const json::object& p,
                                const domain::Actor& actor, bool required) {
  NamedLift out;
  SB_ASSIGN_OR_RETURN(auto ids, OptStringList(p, "hold_ids", 50));
  if (!ids && required) {
    return Status::Invalid("payload.hold_ids", "name the holds to lift in hold_ids", "required");
  }
  SB_ASSIGN_OR_RETURN(out.release, ReadRelease(p, actor));
  if (ids) SB_RETURN_IF_ERROR(domain::CheckAccountOpen(st.account));
  for (const auto& id : ids.value_or(std::vector<std::string>{})) {
    if (!ActiveHold(st, id)) return MissingHold(tx, st, id);
    out.hold_ids.push_back(id);
  }
  out.named = ids.has_value();
  return out;
}

Status CheckNamedLifts(const CallContext& ctx, const PrepareArgs& args, const AccountState& st,
                       const NamedLift& lift) {
  for (const auto& id : lift.hold_ids) {
    SB_RETURN_IF_ERROR(CheckMayLift(ctx, args.pack, *ActiveHold(st, id)));
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ReleaseNamed(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                              const domain::Request& req, const NamedLift& lift) {
  for (const auto& id : lift.hold_ids) {
    SB_RETURN_IF_ERROR(
        ReleaseHoldInTx(tx, rec, st, id, lift.release, ApplyReason(rec, req), req.id).status());
  }
  return lift.hold_ids;
}

// --- reconnection -------------------------------------------------------------------------

// With a service: the service must be suspended and every named hold must block it. Without
// one: the request lifts exactly the holds it names, wherever they apply.
Result<Reconnection> ReadReconnection(domain::Tx& tx, const AccountState& st, const json::object& p,
                                      const std::optional<std::string>& service_id,
                                      const domain::Actor& actor) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {"hold_ids", "release"}));
  Reconnection r;
  SB_ASSIGN_OR_RETURN(r.lift, ReadNamedLift(tx, st, p, actor, /*required=*/!service_id));
  if (!service_id) return r;
  SB_ASSIGN_OR_RETURN(std::size_t i, FindService(st, service_id));
  r.service = i;
  const domain::Service& svc = st.services[i];
  auto now = domain::DeriveServiceStatus(svc, st.holds, st.account.lifecycle);
  if (now == domain::ServiceStatus::kTerminated) {
    return Status::Conflict("service_terminated", "service " + svc.id + " is terminated",
                            "service_id");
  }
  if (now != domain::ServiceStatus::kSuspended) {
    return Status::Conflict("not_suspended", "service " + svc.id + " is not suspended",
                            "service_id");
  }
  for (const auto& id : r.lift.hold_ids) {
    if (!domain::BlocksService(*ActiveHold(st, id), svc)) {
      return Status::Conflict("hold_not_blocking", "hold " + id + " does not block " + svc.id,
                              "payload.hold_ids");
    }
  }
  return r;
}

void AddUnnamedLifts(const AccountState& st, Reconnection& r) {
  if (r.lift.named || !r.service) return;
  for (const auto& h : st.holds) {
    if (domain::BlocksService(h, st.services[*r.service]) && !OwnerLifted(h.type)) {
      r.lift.hold_ids.push_back(h.id);
    }
  }
}

Result<json::object> ApplyReconnection(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                       const domain::Request& req, const json::object& p) {
  SB_ASSIGN_OR_RETURN(Reconnection r, ReadReconnection(tx, st, p, req.service_id, req.actor));
  AddUnnamedLifts(st, r);
  SB_ASSIGN_OR_RETURN(auto ids, ReleaseNamed(tx, rec, st, req, r.lift));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, &req));
  json::object out = StatusSummary(st);
  out["lifted_holds"] = Ids(ids);
  if (r.service) {
    const domain::Service& svc = st.services[*r.service];
    json::array still;
    for (const auto& h : st.holds) {
      if (domain::BlocksService(h, svc)) still.emplace_back(h.id);
    }
    out["service_status"] = domain::Name(svc.status);
    out["still_blocked_by"] = std::move(still);
  }
  return out;
}

// --- suspension ---------------------------------------------------------------------------

namespace {

std::string SourceOf(const domain::Actor& actor) {
  switch (actor.type) {
    case domain::ActorType::kUser:
      return "agent";
    case domain::ActorType::kApiKey:
      return "client_system";
    case domain::ActorType::kCustomer:
      return "customer";
    case domain::ActorType::kSystem:
      return "system";
  }
  return "system";
}

// The hold fields of a suspension's payload (type, flags, source, owner, expiry after `now`).
Result<PlaceHoldInput> ReadHoldFields(const json::object& p, Timestamp now) {
  SB_RETURN_IF_ERROR(OnlyFields(p, {"hold_type", "blocks_service", "blocks_billing",
                                    "blocks_changes", "expires_at", "owner", "source"}));
  PlaceHoldInput in;
  SB_ASSIGN_OR_RETURN(std::string type, RequiredString(p, "hold_type", 64));
  auto parsed = domain::Parse<HoldType>(type);
  if (!parsed) return Status::Invalid("payload.hold_type", "unknown hold type '" + type + "'");
  in.type = *parsed;
  SB_ASSIGN_OR_RETURN(in.blocks_service, OptBool(p, "blocks_service"));
  SB_ASSIGN_OR_RETURN(in.blocks_billing, OptBool(p, "blocks_billing"));
  SB_ASSIGN_OR_RETURN(in.blocks_changes, OptBool(p, "blocks_changes"));
  SB_ASSIGN_OR_RETURN(auto owner, OptString(p, "owner", 128));
  in.owner = owner.value_or("");
  SB_ASSIGN_OR_RETURN(auto source, OptString(p, "source", 64));
  in.source = source.value_or("");
  SB_ASSIGN_OR_RETURN(auto expires, OptString(p, "expires_at", 64));
  if (expires) {
    in.expires_at = ParseRfc3339(*expires);
    if (!in.expires_at || *in.expires_at <= now) {
      return Status::Invalid("payload.expires_at",
                             "expires_at must be an RFC 3339 time in the future");
    }
  }
  domain::HoldFlags d = domain::DefaultFlags(in.type);
  if (!in.blocks_service.value_or(d.blocks_service) &&
      !in.blocks_billing.value_or(d.blocks_billing) &&
      !in.blocks_changes.value_or(d.blocks_changes)) {
    return Status::Invalid("payload.blocks_service",
                           "a hold must block service, billing or changes");
  }
  return in;
}

}  // namespace

Result<PlaceHoldInput> ReadSuspension(const AccountState& st, const json::object& p,
                                      const std::optional<std::string>& service_id,
                                      const domain::Actor& actor, Timestamp now) {
  SB_ASSIGN_OR_RETURN(PlaceHoldInput in, ReadHoldFields(p, now));
  in.account_id = st.account.id;
  in.service_id = service_id;
  if (in.source.empty()) in.source = SourceOf(actor);
  std::optional<domain::Service> service;
  if (service_id) {
    SB_ASSIGN_OR_RETURN(std::size_t i, FindService(st, service_id));
    service = st.services[i];
  }
  // Expiry and flags are checked above with payload names; this adds the account's and
  // the service's own rules.
  SB_RETURN_IF_ERROR(
      domain::ValidateNewHold(NewHold(CallContext{}, now, in), st.account, service, now));
  return in;
}

Result<json::object> ApplySuspension(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                     const domain::Request& req, const json::object& p) {
  SB_ASSIGN_OR_RETURN(PlaceHoldInput in,
                      ReadSuspension(st, p, req.service_id, req.actor, rec.now()));
  domain::Hold h = NewHold(rec.context(), rec.now(), in);
  h.reason_code = ApplyReason(rec, req);
  if (h.comment.empty()) h.comment = req.comment;
  h.placed_by_request_id = req.id;
  SB_RETURN_IF_ERROR(AddHoldInTx(tx, rec, st, h, req.id));
  SB_RETURN_IF_ERROR(Reconcile(tx, rec, st, &req));
  json::object out = StatusSummary(st);
  out["hold_id"] = h.id;
  return out;
}

}  // namespace sb::app::effects

namespace sb::app {

std::vector<domain::Hold> HoldsSeenByChecks(const std::vector<domain::Hold>& holds,
                                            const domain::Request& r) {
  using domain::RequestType;
  if (r.type != RequestType::kReconnection && r.type != RequestType::kStatusSync) return holds;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r.payload_json, ec);
  const boost::json::value* ids =
      !ec && v.is_object() ? v.as_object().if_contains("hold_ids") : nullptr;
  if (!ids || !ids->is_array()) return holds;
  std::vector<domain::Hold> out;
  for (const domain::Hold& h : holds) {
    bool named = std::any_of(
        ids->as_array().begin(), ids->as_array().end(),
        [&](const boost::json::value& id) { return id.is_string() && id.get_string() == h.id; });
    if (!named) out.push_back(h);
  }
  return out;
}

}  // namespace sb::app
