#pragma once

// Thin administrator subcommands: each calls one use case and prints its result. They
// return the process exit code: 0 on success, 1 when the use case refused (the reason is
// written to `err`).

#include <ostream>
#include <string>
#include <vector>

#include "app/events/events.h"
#include "app/people/staff_users.h"
#include "app/tenants/tenant_admin.h"
#include "domain/enums.h"

namespace sb::cli {

// Prints the migration versions this run applied, one per line ("applied 3"), or that the
// schema was already current.
int PrintMigrations(const std::vector<int>& applied, std::ostream& out);

// Creates a tenant and prints its id.
int RunTenantCreate(const app::AdminUseCases& admin, const std::string& name, std::ostream& out,
                    std::ostream& err);

// Creates a key and prints its secret (shown this once, never stored) on `out`; the key id
// goes to `err` so that `out` carries the secret alone.
int RunApiKeyCreate(const app::AdminUseCases& admin, const std::string& tenant_id,
                    const std::string& name, domain::Role role, std::ostream& out,
                    std::ostream& err);

// Lists a tenant's keys (id, role, prefix, name, created, revoked); never a secret.
int RunApiKeyList(const app::AdminUseCases& admin, const std::string& tenant_id, std::ostream& out,
                  std::ostream& err);

// Revokes a key.
int RunApiKeyRevoke(const app::AdminUseCases& admin, const std::string& tenant_id,
                    const std::string& key_id, std::ostream& out, std::ostream& err);

// Creates (or replaces) the tenant's inbound-events signing secret and prints it
// ("whsec_...", shown this once) on `out`; a note goes to `err`.
int RunEventsSecret(const app::EventUseCases& events, const std::string& tenant_id,
                    std::ostream& out, std::ostream& err);

// Invites a staff user (as the system, from the server's own console) and prints the
// invitation's token (shown this once) on `out`; the user id and how to accept go to `err`.
int RunUserInvite(const app::StaffUsers& users, const std::string& tenant_id,
                  const app::InviteInput& in, std::ostream& out, std::ostream& err);

// Writes "switchboard: <message>" for a refused call and returns 1.
int ReportFailure(const Status& status, std::ostream& err);

}  // namespace sb::cli
