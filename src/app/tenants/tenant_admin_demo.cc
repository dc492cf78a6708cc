// First-start demo data: one tenant, an admin key and a handful of accounts in the states
// an operations team sees every day.
#include "app/accounts/accounts.h"
#include "app/tenants/tenant_admin.h"

namespace sb::app {

namespace {

struct DemoAccount {
  const char* ref;
  domain::Profile profile;
  std::vector<std::string> plans;
  std::int64_t amount_due_minor;
  bool pending;
};

}  // namespace

Result<std::string> AdminUseCases::SeedDemoIfEmpty() const {
  SB_ASSIGN_OR_RETURN(auto tenants, ListTenants());
  if (!tenants.empty()) return std::string();
  SB_ASSIGN_OR_RETURN(auto tenant, CreateTenant("Demo Telecom"));
  SB_ASSIGN_OR_RETURN(auto key, CreateApiKey(tenant.id, "demo admin", domain::Role::kAdmin));

  CallContext ctx;
  ctx.tenant_id = tenant.id;
  ctx.actor = {domain::ActorType::kSystem, "demo-seed", domain::Role::kAdmin};
  ctx.channel = domain::Channel::kSystem;
  ctx.correlation_id = "demo-seed";
  AccountUseCases accounts(deps_);
  const DemoAccount demo[] = {
      {"CUST-1001",
       {"Ada Moreau", "ada.moreau@example.com", "+33612345678", "12 rue des Lilas, Lyon"},
       {"mobile_unlimited", "fiber_500"},
       0,
       false},
      {"CUST-1002",
       {"Bram de Vries", "bram@example.nl", "+31612345678", "Keizersgracht 1, Amsterdam"},
       {"mobile_basic"},
       4599,
       false},
      {"CUST-1003",
       {"Chiara Rossi", "chiara.rossi@example.it", "+393123456789", "Via Roma 5, Torino"},
       {"fiber_500", "tv_plus"},
       0,
       false},
      {"CUST-1004",
       {"Dmitri Volkov", "d.volkov@example.com", "+4915123456789", "Hauptstr. 9, Berlin"},
       {"mobile_basic"},
       0,
       true},
  };
  std::string overdue_account;
  for (const auto& d : demo) {
    CreateAccountInput in;
    in.external_ref = d.ref;
    in.profile = d.profile;
    in.plan_codes = d.plans;
    in.amount_due_minor = d.amount_due_minor;
    in.pending_activation = d.pending;
    in.kyc_level = d.pending ? 0 : 2;
    SB_ASSIGN_OR_RETURN(auto created, accounts.CreateAccount(ctx, in));
    if (d.amount_due_minor > 0) overdue_account = created.account.account.id;
  }
  // The overdue customer is suspended for non-payment, as the billing system would ask.
  ctx.reason_code = "non_payment";
  PlaceHoldInput hold;
  hold.account_id = overdue_account;
  hold.type = domain::HoldType::kNonPayment;
  hold.source = "client_system";
  hold.owner = "collections";
  SB_RETURN_IF_ERROR(accounts.PlaceHold(ctx, hold).status());
  return key.secret;
}

}  // namespace sb::app
