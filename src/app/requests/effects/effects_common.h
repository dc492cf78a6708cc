#pragma once

// Shared by the files that implement request effects (effects_*.cc, profile_effects*.cc): strict
// readers of a request's payload, and the effects of the billing-side status types. Not part of the
// app's public surface.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/requests/effects/effects.h"
#include "common/status.h"

namespace sb::app::effects {

// Payload readers. Each error is kInvalidArgument naming "payload.<field>".
// Refuses any field of `payload` not in `allowed` (reason "unknown_field").
Status OnlyFields(const boost::json::object& payload,
                  std::initializer_list<std::string_view> allowed);
// A string field of 1 to `max_len` characters; nullopt when absent.
Result<std::optional<std::string>> OptString(const boost::json::object& payload,
                                             std::string_view field, std::size_t max_len);
// As OptString, but absence is refused (reason "required").
Result<std::string> RequiredString(const boost::json::object& payload, std::string_view field,
                                   std::size_t max_len);
Result<std::optional<bool>> OptBool(const boost::json::object& payload, std::string_view field);
// An integer field (a JSON number without fraction or exponent) within [min, max].
Result<std::optional<std::int64_t>> OptInt(const boost::json::object& payload,
                                           std::string_view field, std::int64_t min,
                                           std::int64_t max);
// A non-empty array of at most `max_items` distinct strings.
Result<std::optional<std::vector<std::string>>> OptStringList(const boost::json::object& payload,
                                                              std::string_view field,
                                                              std::size_t max_items);
// The payload stored with a request (Prepare wrote it; anything else is kInternal).
Result<boost::json::object> StoredPayload(const domain::Request& request);

// The service a request names, as an index into st.services: kInvalidArgument "service_id"
// (reason "required") when none is named, NotFound("service", "service_id") when it is not
// one of the account's.
Result<std::size_t> FindService(const AccountState& st, const std::optional<std::string>& id);
// Refuses a service_id on a request that applies to the whole account (reason
// "not_applicable").
Status NoService(const std::optional<std::string>& id);

// The reason code rows written by an Apply carry: the applying call's, else the request's.
std::string ApplyReason(const ChangeRecorder& rec, const domain::Request& request);

// --- holds (effects_holds.cc) ---

// The holds a request names for lifting (payload "hold_ids", each an active hold of the
// account) and how they end (payload "release": "lifted", or "expired" for the system).
struct NamedLift {
  std::vector<std::string> hold_ids;
  domain::HoldState release = domain::HoldState::kLifted;
  bool named = false;  // hold_ids was given
};
// kInvalidArgument "payload.hold_ids" (reason "required") when `required` and none is named;
// NotFound("hold") for a hold not of the account; kConflict "hold_not_active" for one that
// has ended.
Result<NamedLift> ReadNamedLift(domain::Tx& tx, const AccountState& st,
                                const boost::json::object& payload, const domain::Actor& actor,
                                bool required);
// kPermissionDenied "role_required" when `hold`'s type is protected by the pack
// (domain::HoldPolicy) and ctx's actor lacks the role; the system actor is exempt.
Status CheckMayLift(const CallContext& ctx, const domain::PolicyPack* pack,
                    const domain::Hold& hold);
// CheckMayLift for every hold of `lift` (REQUIRES: read from `st` by ReadNamedLift, or added
// by AddUnnamedLifts).
Status CheckNamedLifts(const CallContext& ctx, const PrepareArgs& args, const AccountState& st,
                       const NamedLift& lift);
// Ends the holds of `lift` for `req` (no Reconcile); returns their ids.
Result<std::vector<std::string>> ReleaseNamed(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                              const domain::Request& req, const NamedLift& lift);

// A reconnection: of one service (the holds blocking it that their owners do not lift
// themselves, or those named) or, without a service, of exactly the holds named.
struct Reconnection {
  std::optional<std::size_t> service;
  NamedLift lift;
};
Result<Reconnection> ReadReconnection(domain::Tx& tx, const AccountState& st,
                                      const boost::json::object& payload,
                                      const std::optional<std::string>& service_id,
                                      const domain::Actor& actor);
// A reconnection of a service that names no holds lifts those blocking the service that their
// owners do not lift themselves: adds them to r.lift.hold_ids (nothing when holds are named).
void AddUnnamedLifts(const AccountState& st, Reconnection& r);
Result<boost::json::object> ApplyReconnection(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                              const domain::Request& req,
                                              const boost::json::object& payload);
// The hold a suspension places, checked against the account as it is at `now`.
Result<PlaceHoldInput> ReadSuspension(const AccountState& st, const boost::json::object& payload,
                                      const std::optional<std::string>& service_id,
                                      const domain::Actor& actor, Timestamp now);
Result<boost::json::object> ApplySuspension(domain::Tx& tx, ChangeRecorder& rec, AccountState& st,
                                            const domain::Request& req,
                                            const boost::json::object& payload);

// termination, plan_change, billing_adjustment (effects_billing.cc); same contracts
// as PrepareStatus / ApplyStatus.
Result<boost::json::object> PrepareBilling(domain::Tx& tx, const Deps& deps, const CallContext& ctx,
                                           const AccountState& state, const PrepareArgs& args);
Result<boost::json::object> ApplyBilling(domain::Tx& tx, const Deps& deps, ChangeRecorder& rec,
                                         AccountState& state, const domain::Request& request,
                                         const domain::RequestPolicy& policy);

}  // namespace sb::app::effects
