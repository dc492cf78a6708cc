#pragma once

// Use cases on accounts, services and holds. Each public method runs one transaction
// (DESIGN.md section 3): the change, its request record, its audit entries and its jobs
// commit together or not at all. With ctx.dry_run the same checks run and the same result
// is returned, and nothing is written. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"
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

struct CreateAccountInput {
  std::string external_ref;
  domain::Profile profile;
  std::string currency = "EUR";
  std::int64_t amount_due_minor = 0;
  int kyc_level = 0;
  bool pending_activation = false;      // start as pending_activation instead of active
  std::vector<std::string> plan_codes;  // services to open with the account
};

struct ProfilePatch {
  std::optional<std::string> name, email, phone, address;
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
};

// What a state-changing call did: the request that records it and the objects after it.
struct ChangeOutcome {
  domain::Request request;
  AccountView account;
  std::optional<domain::Hold> hold;        // the hold placed or lifted
  std::optional<domain::Service> service;  // the service added or changed
};

// Lifecycle moves an agent can ask for on an account.
using AccountAction = domain::LifecycleMove;

class AccountUseCases {
 public:
  explicit AccountUseCases(Deps deps) : deps_(deps) {}

  Result<ChangeOutcome> CreateAccount(const CallContext& ctx, const CreateAccountInput& in,
                                      const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  Result<AccountView> GetAccount(const CallContext& ctx, const std::string& account_id) const;
  Result<domain::Page<AccountView>> ListAccounts(const CallContext& ctx,
                                                 const domain::AccountFilter& filter) const;
  // Honors ctx.if_match (412 when stale). Refused on a closed account or while a hold that
  // blocks changes is active.
  Result<ChangeOutcome> UpdateProfile(const CallContext& ctx, const std::string& account_id,
                                      const ProfilePatch& patch,
                                      const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  // Activate (pending -> active), close, mark dormant, reactivate (dormant -> active).
  // Requires ctx.reason_code.
  Result<ChangeOutcome> ChangeLifecycle(const CallContext& ctx, const std::string& account_id,
                                        AccountAction action,
                                        const AnswerFn<ChangeOutcome>& answer = nullptr) const;

  Result<ChangeOutcome> AddService(const CallContext& ctx, const std::string& account_id,
                                   const std::string& plan_code,
                                   const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  Result<std::vector<domain::Service>> ListServices(const CallContext& ctx,
                                                    const std::string& account_id) const;
  Result<ChangeOutcome> ChangePlan(const CallContext& ctx, const std::string& service_id,
                                   const std::string& plan_code,
                                   const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  // Terminates a service for good. Requires ctx.reason_code.
  Result<ChangeOutcome> TerminateService(const CallContext& ctx, const std::string& service_id,
                                         const AnswerFn<ChangeOutcome>& answer = nullptr) const;

  // Places a hold; the service (or every service, for an account-wide hold) is suspended
  // if the hold blocks service. Requires ctx.reason_code.
  Result<ChangeOutcome> PlaceHold(const CallContext& ctx, const PlaceHoldInput& in,
                                  const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  // Lifts an active hold; services come back only when no other hold blocks them.
  // Requires ctx.reason_code. kConflict/"hold_not_active" when it is not active.
  Result<ChangeOutcome> LiftHold(const CallContext& ctx, const std::string& hold_id,
                                 const AnswerFn<ChangeOutcome>& answer = nullptr) const;
  // Hold expiry (from the job runner): lifts the hold as the system, if still active.
  Status ExpireHold(const std::string& tenant_id, const std::string& hold_id) const;
  Result<std::vector<domain::Hold>> ListHolds(const CallContext& ctx, const std::string& account_id,
                                              bool active_only) const;

  Result<std::vector<domain::Plan>> ListPlans(const CallContext& ctx) const;

 private:
  Deps deps_;
};

}  // namespace sb::app
