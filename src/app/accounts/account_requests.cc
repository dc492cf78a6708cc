// Building and filing the requests of the direct endpoints and automatic changes (see
// account_requests.h).
#include "app/accounts/account_requests.h"

#include "app/accounts/account_data.h"
#include "app/accounts/account_state.h"
#include "app/requests/request_flow.h"
#include "domain/holds.h"

namespace sb::app {

namespace json = boost::json;
using domain::RequestType;

namespace {

void ApplyOptions(SubmitInput& in, const RequestOptions& opts) {
  if (opts.origin) in.origin = *opts.origin;
  in.origin_chosen = opts.origin.has_value();
  in.consent_method = opts.consent_method;
  in.priority = opts.priority;
}

// "payload.hold_type" -> "hold_type": the direct endpoint's body is the payload.
Status AsBodyField(Status s) {
  constexpr std::string_view kPrefix = "payload.";
  if (s.param().rfind(kPrefix, 0) != 0) return s;
  return Status(s.code(), s.reason(), s.message(), s.param().substr(kPrefix.size()));
}

std::optional<std::string> StringIn(const std::string& json_text, const char* key) {
  boost::system::error_code ec;
  json::value v = json::parse(json_text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::value* f = v.as_object().if_contains(key);
  if (f && f->is_string()) return std::string(f->as_string());
  if (f && f->is_array() && f->as_array().size() == 1 && f->as_array()[0].is_string()) {
    return std::string(f->as_array()[0].as_string());
  }
  return std::nullopt;
}

}  // namespace

SubmitInput HoldRequest(const PlaceHoldInput& in) {
  SubmitInput s;
  s.type = RequestType::kSuspension;
  s.account_id = in.account_id;
  s.service_id = in.service_id;
  ApplyOptions(s, in.request);
  if (!in.request.origin) s.origin = domain::OriginFor(in.type);
  s.payload["hold_type"] = domain::Name(in.type);
  if (in.blocks_service) s.payload["blocks_service"] = *in.blocks_service;
  if (in.blocks_billing) s.payload["blocks_billing"] = *in.blocks_billing;
  if (in.blocks_changes) s.payload["blocks_changes"] = *in.blocks_changes;
  if (!in.owner.empty()) s.payload["owner"] = in.owner;
  if (!in.source.empty()) s.payload["source"] = in.source;
  if (in.expires_at) s.payload["expires_at"] = FormatRfc3339(*in.expires_at);
  return s;
}

SubmitInput LiftRequest(const domain::Hold& hold, std::optional<domain::Origin> origin,
                        bool expired) {
  SubmitInput s;
  s.type = hold.blocks_service ? RequestType::kReconnection : RequestType::kStatusSync;
  s.account_id = hold.account_id;
  s.origin = origin.value_or(domain::OriginFor(hold.type));
  s.payload["hold_ids"] = json::array{json::value(hold.id)};
  if (expired) s.payload["release"] = "expired";
  return s;
}

Result<ChangeOutcome> SubmitChange(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                   Timestamp now, const SubmitInput& in) {
  Result<RequestOutcome> filed = SubmitInTx(tx, deps, ctx, now, in);
  if (!filed.ok()) return AsBodyField(filed.status());
  return ChangeOf(tx, deps, ctx, std::move(*filed));
}

Result<ChangeOutcome> ChangeOf(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                               RequestOutcome filed) {
  ChangeOutcome out;
  out.request = std::move(filed.request);
  out.checks = std::move(filed.checks);
  out.follow_ups = std::move(filed.follow_ups);
  SB_ASSIGN_OR_RETURN(out.account,
                      LoadView(tx, deps.keyring, ctx.tenant_id, out.request.account_id));
  std::optional<std::string> hold_id = StringIn(out.request.result_json, "hold_id");
  if (!hold_id) hold_id = StringIn(out.request.payload_json, "hold_ids");
  if (hold_id) {
    SB_ASSIGN_OR_RETURN(out.hold, tx.GetHold(ctx.tenant_id, *hold_id));
  }
  std::optional<std::string> service_id = StringIn(out.request.result_json, "service_id");
  if (!service_id) service_id = out.request.service_id;
  if (service_id) {
    SB_ASSIGN_OR_RETURN(out.service, tx.GetService(ctx.tenant_id, *service_id));
  }
  return out;
}

Result<domain::Hold> ActiveHoldToLift(domain::Tx& tx, const CallContext& ctx,
                                      const std::string& hold_id) {
  auto found = tx.GetHold(ctx.tenant_id, hold_id);
  if (!found.ok()) {
    return found.status().code() == Code::kNotFound ? Status::NotFound("hold") : found.status();
  }
  if (found->state != domain::HoldState::kActive) {
    return Status::Conflict("hold_not_active", "hold " + found->id + " is already " +
                                                   std::string(domain::Name(found->state)));
  }
  return found;
}

}  // namespace sb::app
