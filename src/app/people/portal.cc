#include "app/people/portal.h"

namespace sb::app {
namespace {

Status InvalidCode() {
  return Status(Code::kUnauthenticated, "invalid_code",
                "The account reference or the code is not right.", "code");
}

}  // namespace

CallContext CustomerContext(const std::string& tenant_id, const std::string& account_id,
                            const std::string& correlation_id) {
  CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kCustomer, account_id, std::nullopt};
  ctx.channel = domain::Channel::kPortal;
  ctx.correlation_id = correlation_id;
  return ctx;
}

Result<std::string> PortalSignIn::FindAccount(const PortalCodeInput& in) const {
  std::string id;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    if (!tx.GetTenant(in.tenant_id).ok()) return Status::NotFound("account");
    domain::AccountFilter filter;
    filter.external_ref = in.account_ref;
    filter.limit = 1;
    SB_ASSIGN_OR_RETURN(domain::Page<domain::Account> page, tx.ListAccounts(in.tenant_id, filter));
    if (page.items.empty()) return Status::NotFound("account");
    id = page.items.front().id;
    return Status::Ok();
  }));
  return id;
}

Status PortalSignIn::SendCode(const PortalCodeInput& in) const {
  if (in.channel != "email" && in.channel != "sms") {
    return Status::Unprocessable("invalid_value", "channel must be email or sms.", "channel");
  }
  Result<std::string> account = FindAccount(in);
  if (!account.ok()) {
    return account.status().code() == Code::kNotFound ? Status::Ok() : account.status();
  }
  CallContext ctx = CustomerContext(in.tenant_id, *account, "portal:sign-in-code");
  Result<SentCode> sent = codes_.Send(ctx, *account, in.channel, CodePurpose::kSignIn);
  // No contact on record, too many codes: the same answer as a code sent.
  if (!sent.ok() && (sent.status().code() == Code::kUnprocessable ||
                     sent.status().code() == Code::kRateLimited)) {
    return Status::Ok();
  }
  return sent.status();
}

Result<OpenedSession> PortalSignIn::SignIn(const PortalCodeInput& in, const std::string& code,
                                           int* retry_after_seconds) const {
  if (in.channel != "email" && in.channel != "sms") {
    return Status::Unprocessable("invalid_value", "channel must be email or sms.", "channel");
  }
  Result<std::string> account = FindAccount(in);
  if (!account.ok()) {
    return account.status().code() == Code::kNotFound ? InvalidCode() : account.status();
  }
  CallContext ctx = CustomerContext(in.tenant_id, *account, "portal:sign-in");
  Result<CheckedCode> checked =
      codes_.Check(ctx, *account, in.channel, CodePurpose::kSignIn, code, retry_after_seconds);
  if (!checked.ok()) {
    if (checked.status().reason() == "invalid_code") return InvalidCode();
    return checked.status();
  }
  return sessions_.OpenCustomer(in.tenant_id, *account);
}

}  // namespace sb::app
