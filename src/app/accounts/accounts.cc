// AccountUseCases: accounts themselves (create, read, profile, lifecycle) and the plan list.
#include "app/accounts/accounts.h"

#include "app/accounts/account_data.h"
#include "app/accounts/account_requests.h"
#include "app/accounts/account_state.h"
#include "app/accounts/plan_history.h"
#include "app/core/change.h"
#include "app/core/keyring.h"
#include "crypto/crypto.h"
#include "domain/contacts.h"
#include "domain/holds.h"
#include "domain/reports.h"

namespace sb::app {

namespace json = boost::json;
using domain::AccountLifecycle;
using domain::AuditCategory;
using domain::RequestType;

namespace {

Status ValidateCreate(const CreateAccountInput& in) {
  if (in.external_ref.empty() || in.external_ref.size() > 64) {
    return Status::Invalid("external_ref", "external_ref must be 1 to 64 characters");
  }
  if (in.currency.size() != 3) {
    return Status::Invalid("currency", "currency must be a 3-letter ISO 4217 code");
  }
  for (char c : in.currency) {
    if (c < 'A' || c > 'Z') {
      return Status::Invalid("currency", "currency must be a 3-letter ISO 4217 code");
    }
  }
  if (in.kyc_level < 0 || in.kyc_level > 3) {
    return Status::Invalid("kyc_level", "kyc_level must be between 0 and 3");
  }
  if (!in.region.empty() && !domain::IsRegionCode(in.region)) {
    return Status::Invalid("region", "region must be 1 to 64 letters, digits, '.', '_' or '-'");
  }
  if (in.amount_due_minor < 0) {
    return Status::Invalid("amount_due_minor", "amount_due_minor cannot be negative");
  }
  if (!in.profile.email.empty()) SB_RETURN_IF_ERROR(domain::CheckEmail(in.profile.email, "email"));
  if (!in.profile.phone.empty()) SB_RETURN_IF_ERROR(domain::CheckPhone(in.profile.phone, "phone"));
  return Status::Ok();
}

}  // namespace

Result<ChangeOutcome> AccountUseCases::CreateAccount(const CallContext& ctx,
                                                     const CreateAccountInput& in,
                                                     const AnswerFn<ChangeOutcome>& answer) const {
  SB_RETURN_IF_ERROR(ValidateCreate(in));
  return RunChange<ChangeOutcome>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
        auto existing = tx.GetAccountByRef(ctx.tenant_id, in.external_ref);
        if (existing.ok()) {
          return Status::Conflict("duplicate_external_ref",
                                  "an account with this external_ref already exists",
                                  "external_ref");
        }
        domain::Account a;
        a.tenant_id = ctx.tenant_id;
        a.id = crypto::NewId("acc", now);
        a.external_ref = in.external_ref;
        a.lifecycle = in.pending_activation ? AccountLifecycle::kPendingActivation
                                            : AccountLifecycle::kActive;
        a.status = domain::DeriveAccountStatus(a.lifecycle, {});
        a.amount_due_minor = in.amount_due_minor;
        a.currency = in.currency;
        a.kyc_level = in.kyc_level;
        a.region = in.region;
        a.created_at = a.updated_at = now;
        domain::Profile profile = in.profile;
        ApplyPreferences(in.notification_preferences, now, profile.notifications);
        SB_ASSIGN_OR_RETURN(a.profile_sealed,
                            deps_.keyring.SealFor(tx, ctx.tenant_id, a.id, ProfileToJson(profile)));
        SB_RETURN_IF_ERROR(tx.InsertAccount(a));
        std::vector<domain::Service> services;
        for (const std::string& code : in.plan_codes) {
          auto plan = tx.GetPlan(ctx.tenant_id, code);
          if (!plan.ok() || !plan->active)
            return Status::Invalid("plans", "unknown plan '" + code + "'");
          domain::Service s;
          s.tenant_id = ctx.tenant_id;
          s.id = crypto::NewId("svc", now);
          s.account_id = a.id;
          s.plan_code = code;
          s.status = domain::DeriveServiceStatus(s, {}, a.lifecycle);
          s.created_at = s.updated_at = now;
          SB_RETURN_IF_ERROR(tx.InsertService(s));
          services.push_back(s);
        }
        ChangeRecorder rec(tx, ctx, now);
        json::array plans(in.plan_codes.begin(), in.plan_codes.end());
        SB_ASSIGN_OR_RETURN(
            auto req,
            rec.CompletedRequest(RequestType::kActivation, domain::Origin::kVoluntary, a.id,
                                 std::nullopt, {{"external_ref", a.external_ref}, {"plans", plans}},
                                 {{"status", domain::Name(a.status)}}));
        SB_RETURN_IF_ERROR(rec.Audit(AuditCategory::kAccountStatus, "account.created", "account",
                                     a.id, a.id, req.id, {},
                                     {{"status", domain::Name(a.status)},
                                      {"lifecycle", domain::Name(a.lifecycle)},
                                      {"external_ref", a.external_ref},
                                      {"currency", a.currency},
                                      {"amount_due_minor", a.amount_due_minor},
                                      {"kyc_level", a.kyc_level},
                                      {"failed_payments", a.failed_payments},
                                      {"profile", "sealed"}}));
        for (const auto& s : services) {
          SB_RETURN_IF_ERROR(
              rec.Audit(AuditCategory::kSubscription, "service.added", "service", s.id, a.id,
                        req.id, {}, {{"plan", s.plan_code}, {"status", domain::Name(s.status)}}));
          SB_RETURN_IF_ERROR(RecordPlan(tx, s, req.id, now));
        }
        SB_ASSIGN_OR_RETURN(auto view, BuildView(tx, deps_.keyring, a, services, {}));
        return ChangeOutcome{std::move(req), std::move(view), std::nullopt, std::nullopt};
      });
}

Result<AccountView> AccountUseCases::GetAccount(const CallContext& ctx,
                                                const std::string& account_id) const {
  std::optional<AccountView> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, LoadView(tx, deps_.keyring, ctx.tenant_id, account_id));
    MaskForReader(*out, ctx.actor);
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<domain::Page<AccountView>> AccountUseCases::ListAccounts(
    const CallContext& ctx, const domain::AccountFilter& filter) const {
  if (filter.limit < 1 || filter.limit > 100) {
    return Status::Invalid("limit", "limit must be between 1 and 100");
  }
  domain::Page<AccountView> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(auto page, tx.ListAccounts(ctx.tenant_id, filter));
    for (auto& a : page.items) {
      SB_ASSIGN_OR_RETURN(auto services, tx.ListServices(ctx.tenant_id, a.id));
      SB_ASSIGN_OR_RETURN(auto holds, tx.ListHolds(ctx.tenant_id, a.id, true));
      SB_ASSIGN_OR_RETURN(auto view, BuildView(tx, deps_.keyring, std::move(a), services, holds));
      MaskForReader(view, ctx.actor);
      out.items.push_back(std::move(view));
    }
    out.has_more = page.has_more;
    out.next_cursor = page.next_cursor;
    return Status::Ok();
  }));
  return out;
}

Result<ChangeOutcome> AccountUseCases::UpdateProfile(const CallContext& ctx,
                                                     const std::string& account_id,
                                                     const ProfilePatch& patch,
                                                     const AnswerFn<ChangeOutcome>& answer) const {
  SubmitInput in;
  in.type = RequestType::kPersonalInfoUpdate;
  in.account_id = account_id;
  auto set = [&](const char* field, const std::optional<std::string>& v) {
    if (v) in.payload[field] = *v;
  };
  set("name", patch.name);
  set("email", patch.email);
  set("phone", patch.phone);
  set("address", patch.address);
  if (patch.notification_preferences) {
    in.payload["notification_preferences"] = *patch.notification_preferences;
  }
  return RunChange<ChangeOutcome>(deps_, ctx, answer,
                                  [&](domain::Tx& tx, Timestamp now) -> Result<ChangeOutcome> {
                                    return SubmitChange(tx, deps_, ctx, now, in);
                                  });
}

}  // namespace sb::app
