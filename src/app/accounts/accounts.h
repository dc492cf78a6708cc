#pragma once

// Use cases on accounts, services and holds. Each public method runs one transaction
// (docs/ARCHITECTURE.md, "The one rule of writing"): the change, its request record, its audit
// entries and its jobs commit together or not at all. With ctx.dry_run the same checks run and the
// same result is returned, and nothing is written. Thread-safe.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/notification_preferences.h"
#include "app/core/context.h"
#include "common/status.h"
#include "domain/checks.h"
#include "domain/holds.h"
#include "domain/model.h"

namespace sb::app {

// An account as the API shows it: record, decrypted profile, services and active holds.
struct AccountView {
  domain::Account account;
  domain::Profile profile;  // empty with profile_erased when the data key was destroyed
  bool profile_erased = false;
  std::vector<domain::Service> services;
  std::vector<domain::Hold> active_holds;
};

// A service with what identifies its account to the client's systems (the service inventory,
// http/handlers/service_inventory.h).
struct ServiceOfAccount {
  domain::Service service;
  std::string external_ref;  // the account's
};

struct CreateAccountInput {
  std::string external_ref;
  domain::Profile profile;  // its email and phone, when given, must pass domain/contacts.h
  PreferencesPatch notification_preferences;  // applied to the defaults
  std::string currency = "EUR";
  std::int64_t amount_due_minor = 0;
  int kyc_level = 0;
  // Where the customer is served (reports): 1 to 64 letters, digits, '.', '_' or '-'; empty for
  // none. Kept for the account's life.
  std::string region;
  bool pending_activation = false;      // start as pending_activation instead of active
  std::vector<std::string> plan_codes;  // services to open with the account
};

struct ProfilePatch {
  std::optional<std::string> name, email, phone, address;
  // Read by the request (ReadPreferencesPatch) like the payload's other fields.
  std::optional<boost::json::object> notification_preferences;
};

// How a direct endpoint files its request beyond the change itself: the origin (default: the
// one the change implies), the customer's consent given with it (recorded as a consent
// verification, as POST /v1/requests does) and the priority.
struct RequestOptions {
  std::optional<domain::Origin> origin;
  std::optional<std::string> consent_method;
  std::string priority = "normal";
};

struct PlaceHoldInput {
  std::string account_id;
  std::optional<std::string> service_id;  // nullopt: account-wide
  domain::HoldType type = domain::HoldType::kNonPayment;
  // Unset flags take the type's defaults (see domain/holds.h).
  std::optional<bool> blocks_service, blocks_billing, blocks_changes;
  std::string source = "agent";
  std::string owner;
  std::optional<Timestamp> expires_at;
  RequestOptions request;  // origin default: the hold type's (domain::OriginFor)
};

// What a state-changing call did: the request that records it (completed, or waiting with
// nothing changed), the account after it and the hold or service it concerns.
struct ChangeOutcome {
  domain::Request request;
  AccountView account;
  std::optional<domain::Hold> hold;         // the hold placed, or the one named for lifting
  std::optional<domain::Service> service;   // the service added or changed
  std::vector<domain::CheckResult> checks;  // the request's latest checks
  std::vector<domain::Request> follow_ups;  // requests booked with it (a fee)
};

// Lifecycle moves an agent can ask for on an account.
using AccountAction = domain::LifecycleMove;

// The direct account endpoints are shortcuts: each files one request through the request
// engine (app/requests/request_flow.h) with the pack's checks, and answers it as it stands:
// completed with the change made, or waiting (awaiting_payment, awaiting_customer,
// awaiting_approval, verifying) with nothing else changed. Payload errors name the field
// without the "payload." prefix. Each honors ctx.if_match against the account's version
// (412, nothing written).
class AccountUseCases {
 public:
  explicit AccountUseCases(Deps deps) : deps_(deps) {}

  // Records a completed activation with the account (the one change that is not a request on
  // an existing account).
  Result<ChangeOutcome> CreateAccount(const CallContext& ctx, const CreateAccountInput& in,
                                      const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  Result<AccountView> GetAccount(const CallContext& ctx, const std::string& account_id) const;
  Result<domain::Page<AccountView>> ListAccounts(const CallContext& ctx,
                                                 const domain::AccountFilter& filter) const;
  // A personal_info_update request.
  Result<ChangeOutcome> UpdateProfile(const CallContext& ctx, const std::string& account_id,
                                      const ProfilePatch& patch,
                                      const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  // activate: an activation request; close: a termination of the account; reactivate: a
  // reactivation; mark dormant: a status_sync (origin automated) marking it dormant. The
  // status-changing types need ctx.reason_code from the type's policy.
  Result<ChangeOutcome> ChangeLifecycle(const CallContext& ctx, const std::string& account_id,
                                        AccountAction action, const RequestOptions& opts = {},
                                        const AnswerFn<ChangeOutcome>& answer = nullptr) const;

  // An activation request with the plan: the service exists once it completes.
  Result<ChangeOutcome> AddService(const CallContext& ctx, const std::string& account_id,
                                   const std::string& plan_code, const RequestOptions& opts = {},
                                   const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  Result<std::vector<domain::Service>> ListServices(const CallContext& ctx,
                                                    const std::string& account_id) const;
  // One service of the tenant; kNotFound "service" for an unknown one or another tenant's.
  Result<ServiceOfAccount> GetService(const CallContext& ctx, const std::string& service_id) const;
  // The services of the account whose id or external_ref is `party` (an id is tried first);
  // kNotFound "account" when neither names one of the tenant's accounts.
  Result<std::vector<ServiceOfAccount>> ServicesOfParty(const CallContext& ctx,
                                                        const std::string& party) const;
  // A plan_change request on the service.
  Result<ChangeOutcome> ChangePlan(const CallContext& ctx, const std::string& service_id,
                                   const std::string& plan_code, const RequestOptions& opts = {},
                                   const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  // A termination request of the service.
  Result<ChangeOutcome> TerminateService(const CallContext& ctx, const std::string& service_id,
                                         const RequestOptions& opts = {},
                                         const AnswerFn<ChangeOutcome>& answer = nullptr) const;

  // A suspension request placing the hold `in` describes.
  Result<ChangeOutcome> PlaceHold(const CallContext& ctx, const PlaceHoldInput& in,
                                  const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  // A request lifting exactly this hold: a reconnection when it blocks service, else a
  // status_sync. A protected hold type (the pack's holds.protected) needs its role: 403
  // "role_required". kConflict "hold_not_active" when it has ended. Once lifted, the
  // account's waiting requests are re-checked in the same transaction.
  Result<ChangeOutcome> LiftHold(const CallContext& ctx, const std::string& hold_id,
                                 const RequestOptions& opts = {},
                                 const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  // Hold expiry (from the job runner): files, as the system, a request expiring the hold, if
  // still active. OK when there is nothing left to do.
  Status ExpireHold(const std::string& tenant_id, const std::string& hold_id) const;
  Result<std::vector<domain::Hold>> ListHolds(const CallContext& ctx, const std::string& account_id,
                                              bool active_only) const;
  // One hold of the tenant; kNotFound "hold" for an unknown one or another tenant's.
  Result<domain::Hold> GetHold(const CallContext& ctx, const std::string& hold_id) const;

  Result<std::vector<domain::Plan>> ListPlans(const CallContext& ctx) const;

 private:
  Deps deps_;
};

}  // namespace sb::app
