#include "cli/admin_commands.h"

#include <iomanip>

#include "common/time.h"

namespace sb::cli {

int RunUserInvite(const app::StaffUsers& users, const std::string& tenant_id,
                  const app::InviteInput& in, std::ostream& out, std::ostream& err) {
  app::CallContext ctx;
  ctx.tenant_id = tenant_id;
  ctx.actor = {domain::ActorType::kSystem, "cli", domain::Role::kAdmin};
  ctx.channel = domain::Channel::kSystem;
  ctx.correlation_id = "cli:user-invite";
  auto invited = users.Invite(ctx, in);
  if (!invited.ok()) return ReportFailure(invited.status(), err);
  out << invited->token << "\n";
  err << "invited " << invited->user.id << " (" << domain::Name(invited->user.role)
      << "); the invitation is accepted with POST /v1/invitations/accept {\"token\", "
         "\"password\"} until "
      << FormatRfc3339(invited->expires_at) << "\n";
  return 0;
}

int ReportFailure(const Status& status, std::ostream& err) {
  err << "switchboard: " << status.message();
  if (!status.param().empty()) err << " (" << status.param() << ")";
  err << "\n";
  return 1;
}

int PrintMigrations(const std::vector<int>& applied, std::ostream& out) {
  if (applied.empty()) out << "schema is up to date\n";
  for (int version : applied) out << "applied " << version << "\n";
  return 0;
}

int RunTenantCreate(const app::AdminUseCases& admin, const std::string& name, std::ostream& out,
                    std::ostream& err) {
  auto tenant = admin.CreateTenant(name);
  if (!tenant.ok()) return ReportFailure(tenant.status(), err);
  out << tenant->id << "\n";
  return 0;
}

int RunApiKeyCreate(const app::AdminUseCases& admin, const std::string& tenant_id,
                    const std::string& name, domain::Role role, std::ostream& out,
                    std::ostream& err) {
  auto key = admin.CreateApiKey(tenant_id, name, role);
  if (!key.ok()) return ReportFailure(key.status(), err);
  out << key->secret << "\n";
  err << "created " << key->key.id << " (" << domain::Name(role)
      << "); the secret above is shown only once\n";
  return 0;
}

int RunEventsSecret(const app::EventUseCases& events, const std::string& tenant_id,
                    std::ostream& out, std::ostream& err) {
  auto secret = events.CreateSecret(tenant_id);
  if (!secret.ok()) return ReportFailure(secret.status(), err);
  out << *secret << "\n";
  err << "inbound-events secret set for " << tenant_id
      << "; it is shown only once and replaces any earlier one\n";
  return 0;
}

int RunApiKeyList(const app::AdminUseCases& admin, const std::string& tenant_id, std::ostream& out,
                  std::ostream& err) {
  auto keys = admin.ListApiKeys(tenant_id);
  if (!keys.ok()) return ReportFailure(keys.status(), err);
  out << std::left << std::setw(32) << "ID" << std::setw(9) << "ROLE" << std::setw(12) << "PREFIX"
      << std::setw(26) << "CREATED" << std::setw(26) << "REVOKED"
      << "NAME\n";
  for (const auto& k : *keys) {
    std::string revoked = k.revoked_at ? FormatRfc3339(*k.revoked_at) : "-";
    out << std::left << std::setw(32) << k.id << std::setw(9) << domain::Name(k.role)
        << std::setw(12) << k.prefix << std::setw(26) << FormatRfc3339(k.created_at)
        << std::setw(26) << revoked << k.name << "\n";
  }
  return 0;
}

int RunApiKeyRevoke(const app::AdminUseCases& admin, const std::string& tenant_id,
                    const std::string& key_id, std::ostream& out, std::ostream& err) {
  Status s = admin.RevokeApiKey(tenant_id, key_id);
  if (!s.ok()) return ReportFailure(s, err);
  out << "revoked " << key_id << "\n";
  return 0;
}

}  // namespace sb::cli
