#include "cli/command_line.h"

#include <CLI/CLI.hpp>
#include <map>

#include "cli/completion.h"

namespace sb::cli {
namespace {

// Raw flag storage shared by every subcommand (only one of them parses per run).
struct RawFlags {
  std::string config_file, database_url, data_dir, listen, role;
  bool test_clock = false;
};

void AddCommon(CLI::App& cmd, RawFlags& raw) {
  cmd.add_option("--config", raw.config_file, "YAML configuration file");
  cmd.add_option("--database-url", raw.database_url,
                 "sqlite:PATH or postgresql://... (default sqlite:DATA_DIR/switchboard.db)");
  cmd.add_option("--data-dir", raw.data_dir, "directory for data and keys (default ./data)");
}

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// Declares serve and migrate; `chosen` maps each leaf subcommand to its Command.
void DeclareServer(CLI::App& app, Invocation& inv, RawFlags& raw,
                   std::map<CLI::App*, Command>& chosen) {
  CLI::App* serve = app.add_subcommand("serve", "run the HTTP server and the job runner");
  AddCommon(*serve, raw);
  serve->add_option("--listen", raw.listen, "host:port to listen on (default 127.0.0.1:8080)");
  serve->add_flag("--test-clock", raw.test_clock, "let POST /v1/test/clock move the clock");
  chosen[serve] = Command::kServe;

  CLI::App* migrate = app.add_subcommand("migrate", "apply pending database migrations");
  AddCommon(*migrate, raw);
  chosen[migrate] = Command::kMigrate;
}

void DeclareAdmin(CLI::App& app, Invocation& inv, RawFlags& raw,
                  std::map<CLI::App*, Command>& chosen) {
  CLI::App* tenant = app.add_subcommand("tenant", "manage tenants")->require_subcommand(1);
  CLI::App* tenant_create = tenant->add_subcommand("create", "create a tenant; prints its id");
  AddCommon(*tenant_create, raw);
  tenant_create->add_option("--name", inv.name, "tenant name")->required();
  chosen[tenant_create] = Command::kTenantCreate;

  CLI::App* apikey = app.add_subcommand("apikey", "manage API keys")->require_subcommand(1);
  CLI::App* key_create = apikey->add_subcommand("create", "create a key; prints the secret once");
  AddCommon(*key_create, raw);
  key_create->add_option("--tenant", inv.tenant_id, "tenant id")->required();
  key_create->add_option("--role", raw.role, "admin|supervisor|agent|system|auditor")
      ->required()
      ->check(CLI::IsMember({"admin", "supervisor", "agent", "system", "auditor"}));
  key_create->add_option("--name", inv.name, "key name")->required();
  chosen[key_create] = Command::kApiKeyCreate;

  CLI::App* key_list = apikey->add_subcommand("list", "list a tenant's keys");
  AddCommon(*key_list, raw);
  key_list->add_option("--tenant", inv.tenant_id, "tenant id")->required();
  chosen[key_list] = Command::kApiKeyList;

  CLI::App* key_revoke = apikey->add_subcommand("revoke", "revoke a key");
  AddCommon(*key_revoke, raw);
  key_revoke->add_option("--tenant", inv.tenant_id, "tenant id")->required();
  key_revoke->add_option("--id", inv.key_id, "key id")->required();
  chosen[key_revoke] = Command::kApiKeyRevoke;

  CLI::App* user = app.add_subcommand("user", "manage staff users")->require_subcommand(1);
  CLI::App* invite =
      user->add_subcommand("invite", "invite a staff user; prints the invitation token once");
  AddCommon(*invite, raw);
  invite->add_option("--tenant", inv.tenant_id, "tenant id")->required();
  invite->add_option("--email", inv.email, "the user's email")->required();
  invite->add_option("--name", inv.name, "the user's name")->required();
  invite->add_option("--role", raw.role, "admin|supervisor|agent|auditor")
      ->required()
      ->check(CLI::IsMember({"admin", "supervisor", "agent", "auditor"}));
  chosen[invite] = Command::kUserInvite;

  CLI::App* events = app.add_subcommand("events", "inbound events")->require_subcommand(1);
  CLI::App* secret = events->add_subcommand(
      "secret", "create or replace the tenant's event signing secret; prints it once");
  AddCommon(*secret, raw);
  secret->add_option("--tenant", inv.tenant_id, "tenant id")->required();
  chosen[secret] = Command::kEventsSecret;
}

void DeclareAudit(CLI::App& app, Invocation& inv, RawFlags& raw,
                  std::map<CLI::App*, Command>& chosen) {
  CLI::App* audit =
      app.add_subcommand("audit", "verify and export the audit log")->require_subcommand(1);
  CLI::App* verify =
      audit->add_subcommand("verify", "verify the audit log (exit 1 on any tampering)");
  AddCommon(*verify, raw);
  verify->add_option("--tenant", inv.tenant_id, "tenant id (default: every tenant)");
  verify->add_option("--bundle", inv.bundle_file, "verify an exported bundle offline");
  chosen[verify] = Command::kAuditVerify;

  CLI::App* export_cmd = audit->add_subcommand("export", "write a tenant's evidence bundle");
  AddCommon(*export_cmd, raw);
  export_cmd->add_option("--tenant", inv.tenant_id, "tenant id")->required();
  export_cmd->add_option("--out", inv.out_file, "output file")->required();
  chosen[export_cmd] = Command::kAuditExport;
}

void DeclareBulk(CLI::App& app, Invocation& inv, RawFlags& raw,
                 std::map<CLI::App*, Command>& chosen) {
  CLI::App* bulk =
      app.add_subcommand("bulk", "bulk jobs: one request per row of a file")->require_subcommand(1);
  CLI::App* submit = bulk->add_subcommand(
      "submit", "validate a .csv or .ndjson file and run it as a bulk job; prints the job id");
  AddCommon(*submit, raw);
  submit->add_option("file", inv.file, "the file of rows (.csv, or .ndjson / .jsonl)")->required();
  submit->add_option("--tenant", inv.tenant_id, "tenant id")->required();
  submit->add_flag("--dry-run", inv.dry_run, "validate and say what each row would do");
  submit->add_flag("--wait", inv.wait, "wait until the job ends, with progress on stderr");
  chosen[submit] = Command::kBulkSubmit;
  const std::vector<std::pair<const char*, Command>> on_job = {
      {"status", Command::kBulkStatus},   {"pause", Command::kBulkPause},
      {"resume", Command::kBulkResume},   {"cancel", Command::kBulkCancel},
      {"results", Command::kBulkResults},
  };
  for (const auto& [name, command] : on_job) {
    CLI::App* cmd = bulk->add_subcommand(name, command == Command::kBulkResults
                                                   ? "print every row's outcome as CSV"
                                                   : std::string(name) + " a bulk job");
    AddCommon(*cmd, raw);
    cmd->add_option("job", inv.job_id, "the job id")->required();
    cmd->add_option("--tenant", inv.tenant_id, "tenant id")->required();
    chosen[cmd] = command;
  }
}

}  // namespace

std::string_view Version() { return SB_VERSION; }

ParseOutcome Parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"Switchboard: the system of record for account lifecycle work", "switchboard"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(Version()));
  Invocation inv;
  RawFlags raw;
  std::map<CLI::App*, Command> chosen;
  DeclareServer(app, inv, raw, chosen);
  DeclareAdmin(app, inv, raw, chosen);
  DeclareAudit(app, inv, raw, chosen);
  DeclareBulk(app, inv, raw, chosen);
  CLI::App* completion =
      app.add_subcommand("completion", "print shell completion code (bash)")->require_subcommand(1);
  CLI::App* bash = completion->add_subcommand("bash",
                                              "bash completion: source it, or install it as "
                                              "/usr/share/bash-completion/completions/switchboard");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      app.exit(e, out, err);
      return {std::nullopt, 0};
    }
    err << "switchboard: " << e.what() << "\nRun 'switchboard --help' for usage.\n";
    return {std::nullopt, 2};
  }
  if (bash->parsed()) {
    out << BashCompletion(app);
    return {std::nullopt, 0};
  }
  for (const auto& [cmd, command] : chosen) {
    if (cmd->parsed()) inv.command = command;
  }
  inv.common = {NonEmpty(raw.config_file), NonEmpty(raw.database_url), NonEmpty(raw.data_dir),
                NonEmpty(raw.listen), raw.test_clock};
  if (!raw.role.empty()) inv.role = *domain::Parse<domain::Role>(raw.role);
  return {std::move(inv), 0};
}

ParseOutcome ParseArgs(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<const char*> argv{"switchboard"};
  for (const auto& a : args) argv.push_back(a.c_str());
  return Parse(static_cast<int>(argv.size()), argv.data(), out, err);
}

}  // namespace sb::cli
