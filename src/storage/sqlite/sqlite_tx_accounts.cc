// Accounts, services and holds.

#include "storage/sqlite/sqlite_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::sqlite {
namespace {

using domain::Account;
using domain::Hold;
using domain::Service;

// accounts
#define SB_ACCOUNT_COLS                                                                      \
  "tenant_id, id, external_ref, profile_sealed, lifecycle, status, amount_due_minor, "       \
  "currency, last_payment_at, kyc_level, failed_payments, version, created_at, updated_at, " \
  "region"
// region (?15) is written only here: an account keeps the region it was created with.
constexpr const char* kInsertAccount =
    "INSERT INTO accounts (" SB_ACCOUNT_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kGetAccount =
    "SELECT " SB_ACCOUNT_COLS " FROM accounts WHERE tenant_id = ? AND id = ?";
constexpr const char* kGetAccountByRef =
    "SELECT " SB_ACCOUNT_COLS " FROM accounts WHERE tenant_id = ? AND external_ref = ?";
// The keys are bound as one JSON array (storage/string_list_json.h).
constexpr const char* kGetAccountsById =
    "SELECT " SB_ACCOUNT_COLS
    " FROM accounts WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))";
constexpr const char* kGetAccountsByRef =
    "SELECT " SB_ACCOUNT_COLS
    " FROM accounts WHERE tenant_id = ? AND external_ref IN (SELECT value FROM json_each(?))";
// The Update statements bind the same parameters as the Inserts' bodies (numbered, in
// column order) but leave out of SET the indexed columns a row never changes after it is
// created (its account, type, external_ref, created_at): SQLite rewrites every index entry
// of a column named in SET, even to the same value, and those rewrites were a large share
// of what each commit wrote.
constexpr const char* kUpdateAccount =
    "UPDATE accounts SET profile_sealed = ?2, lifecycle = ?3, status = ?4, "
    "amount_due_minor = ?5, currency = ?6, last_payment_at = ?7, kyc_level = ?8, "
    "failed_payments = ?9, version = ?10, updated_at = ?12 "
    "WHERE tenant_id = ?13 AND id = ?14 AND version = ?15";
constexpr const char* kAccountExists = "SELECT 1 FROM accounts WHERE tenant_id = ? AND id = ?";
constexpr const char* kListInactiveAccounts =
    "SELECT " SB_ACCOUNT_COLS
    " FROM accounts WHERE tenant_id = ? AND lifecycle = ? AND updated_at < ? "
    "ORDER BY updated_at, id LIMIT ?";
// Closed, untouched since `before`, and not erased yet (the retention scan).
constexpr const char* kListClosedAccountsToErase =
    "SELECT " SB_ACCOUNT_COLS
    " FROM accounts WHERE tenant_id = ?1 AND lifecycle = ?2 AND updated_at < ?3 "
    "AND NOT EXISTS (SELECT 1 FROM subject_keys k WHERE k.tenant_id = ?1 "
    "AND k.subject_id = accounts.id AND k.destroyed_at IS NOT NULL) "
    "ORDER BY updated_at, id LIMIT ?4";
const ListQuery& AccountList() {
  static const ListQuery q(
      "SELECT " SB_ACCOUNT_COLS " FROM accounts WHERE tenant_id = ?",
      {" AND status = ?", " AND external_ref = ?", " AND id < ?", " AND region = ?"});
  return q;
}

Account ReadAccount(const Stmt& s) {
  Account a;
  a.tenant_id = s.ColText(0);
  a.id = s.ColText(1);
  a.external_ref = s.ColText(2);
  a.profile_sealed = s.ColBlob(3);
  a.lifecycle = ParseOr(s.ColText(4), domain::AccountLifecycle::kActive);
  a.status = ParseOr(s.ColText(5), domain::AccountStatus::kActive);
  a.amount_due_minor = s.ColInt(6);
  a.currency = s.ColText(7);
  a.last_payment_at = s.ColOptInt(8);
  a.kyc_level = static_cast<int>(s.ColInt(9));
  a.failed_payments = static_cast<int>(s.ColInt(10));
  a.version = s.ColInt(11);
  a.created_at = s.ColInt(12);
  a.updated_at = s.ColInt(13);
  a.region = s.ColOptText(14).value_or("");
  return a;
}

// Binds every account column but the key, in kUpdateAccount order.
void BindAccountBody(Stmt& s, const Account& a) {
  s.Text(a.external_ref).Blob(a.profile_sealed).Text(domain::Name(a.lifecycle));
  s.Text(domain::Name(a.status)).Int(a.amount_due_minor).Text(a.currency);
  s.OptInt(a.last_payment_at).Int(a.kyc_level).Int(a.failed_payments).Int(a.version);
  s.Int(a.created_at).Int(a.updated_at);
}

// services
#define SB_SERVICE_COLS \
  "tenant_id, id, account_id, plan_code, status, version, created_at, updated_at, terminated_at"
constexpr const char* kInsertService =
    "INSERT INTO services (" SB_SERVICE_COLS ") VALUES (?,?,?,?,?,?,?,?,?)";
constexpr const char* kGetService =
    "SELECT " SB_SERVICE_COLS " FROM services WHERE tenant_id = ? AND id = ?";
constexpr const char* kUpdateService =
    "UPDATE services SET plan_code = ?2, status = ?3, version = ?4, updated_at = ?6, "
    "terminated_at = ?7 WHERE tenant_id = ?8 AND id = ?9";
constexpr const char* kListServices =
    "SELECT " SB_SERVICE_COLS
    " FROM services WHERE tenant_id = ? AND account_id = ? ORDER BY id DESC";
constexpr const char* kListServicesOf =
    "SELECT " SB_SERVICE_COLS
    " FROM services WHERE tenant_id = ? AND account_id IN (SELECT value FROM json_each(?))";

Service ReadService(const Stmt& s) {
  Service v;
  v.tenant_id = s.ColText(0);
  v.id = s.ColText(1);
  v.account_id = s.ColText(2);
  v.plan_code = s.ColText(3);
  v.status = ParseOr(s.ColText(4), domain::ServiceStatus::kActive);
  v.version = s.ColInt(5);
  v.created_at = s.ColInt(6);
  v.updated_at = s.ColInt(7);
  v.terminated_at = s.ColOptInt(8);
  return v;
}

// holds
#define SB_HOLD_COLS                                                                    \
  "tenant_id, id, account_id, service_id, type, blocks_service, blocks_billing, "       \
  "blocks_changes, source, owner, reason_code, comment, state, placed_at, expires_at, " \
  "released_at, released_reason_code, placed_by_request_id, released_by_request_id"
constexpr const char* kInsertHold =
    "INSERT INTO holds (" SB_HOLD_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr const char* kGetHold =
    "SELECT " SB_HOLD_COLS " FROM holds WHERE tenant_id = ? AND id = ?";
constexpr const char* kUpdateHold =
    "UPDATE holds SET service_id = ?2, type = ?3, blocks_service = ?4, blocks_billing = ?5, "
    "blocks_changes = ?6, source = ?7, owner = ?8, reason_code = ?9, comment = ?10, "
    "state = ?11, placed_at = ?12, expires_at = ?13, released_at = ?14, "
    "released_reason_code = ?15, placed_by_request_id = ?16, released_by_request_id = ?17 "
    "WHERE tenant_id = ?18 AND id = ?19";
constexpr const char* kListHolds =
    "SELECT " SB_HOLD_COLS " FROM holds WHERE tenant_id = ? AND account_id = ? ORDER BY id DESC";
constexpr const char* kListActiveHolds =
    "SELECT " SB_HOLD_COLS
    " FROM holds WHERE tenant_id = ? AND account_id = ? AND state = 'active' ORDER BY id DESC";

Hold ReadHold(const Stmt& s) {
  Hold h;
  h.tenant_id = s.ColText(0);
  h.id = s.ColText(1);
  h.account_id = s.ColText(2);
  h.service_id = s.ColOptText(3);
  h.type = ParseOr(s.ColText(4), domain::HoldType::kNonPayment);
  h.blocks_service = s.ColInt(5) != 0;
  h.blocks_billing = s.ColInt(6) != 0;
  h.blocks_changes = s.ColInt(7) != 0;
  h.source = s.ColText(8);
  h.owner = s.ColText(9);
  h.reason_code = s.ColText(10);
  h.comment = s.ColText(11);
  h.state = ParseOr(s.ColText(12), domain::HoldState::kActive);
  h.placed_at = s.ColInt(13);
  h.expires_at = s.ColOptInt(14);
  h.released_at = s.ColOptInt(15);
  h.released_reason_code = s.ColText(16);
  h.placed_by_request_id = s.ColText(17);
  h.released_by_request_id = s.ColText(18);
  return h;
}

// Binds every hold column but the key, in kUpdateHold order.
void BindHoldBody(Stmt& s, const Hold& h) {
  s.Text(h.account_id).OptText(h.service_id).Text(domain::Name(h.type));
  s.Int(h.blocks_service).Int(h.blocks_billing).Int(h.blocks_changes);
  s.Text(h.source).Text(h.owner).Text(h.reason_code).Text(h.comment);
  s.Text(domain::Name(h.state)).Int(h.placed_at).OptInt(h.expires_at).OptInt(h.released_at);
  s.Text(h.released_reason_code).Text(h.placed_by_request_id).Text(h.released_by_request_id);
}

}  // namespace

Status SqliteTx::InsertAccount(const Account& a) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertAccount);
  s.Text(a.tenant_id).Text(a.id);
  BindAccountBody(s, a);
  s.OptText(a.region.empty() ? std::nullopt : std::optional<std::string>(a.region));
  return s.Run();
}

Result<Account> SqliteTx::GetAccount(std::string_view tenant_id, std::string_view id,
                                     bool /*for_update: the single writer serializes*/) {
  Stmt s(conn_, kGetAccount);
  s.Text(tenant_id).Text(id);
  return OneRow<Account>(s, "account", ReadAccount);
}

Result<Account> SqliteTx::GetAccountByRef(std::string_view tenant_id,
                                          std::string_view external_ref) {
  Stmt s(conn_, kGetAccountByRef);
  s.Text(tenant_id).Text(external_ref);
  return OneRow<Account>(s, "account", ReadAccount);
}

Result<std::vector<Account>> SqliteTx::GetAccounts(std::string_view tenant_id,
                                                   const std::vector<std::string>& keys,
                                                   bool by_ref) {
  Stmt s(conn_, by_ref ? kGetAccountsByRef : kGetAccountsById);
  s.Text(tenant_id).Text(EncodeStringList(keys));
  return CollectRows<Account>(s, ReadAccount);
}

Status SqliteTx::UpdateAccount(const Account& a, std::int64_t expected_version) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpdateAccount);
  BindAccountBody(s, a);
  SB_RETURN_IF_ERROR(s.Text(a.tenant_id).Text(a.id).Int(expected_version).Run());
  if (s.Changes() > 0) return Status::Ok();
  Stmt exists(conn_, kAccountExists);
  SB_ASSIGN_OR_RETURN(bool found, exists.Text(a.tenant_id).Text(a.id).Next());
  if (!found) return Status::NotFound("account");
  return Status::PreconditionFailed("account version is not " + std::to_string(expected_version));
}

Result<domain::Page<Account>> SqliteTx::ListAccounts(std::string_view tenant_id,
                                                     const domain::AccountFilter& f) {
  unsigned mask = (f.status ? 1u : 0u) | (f.external_ref ? 2u : 0u) |
                  (f.starting_after.empty() ? 0u : 4u) | (f.region ? 8u : 0u);
  int limit = PageLimit(f.limit);
  Stmt s(conn_, AccountList().Sql(mask));
  s.Text(tenant_id);
  if (f.status) s.Text(domain::Name(*f.status));
  if (f.external_ref) s.Text(*f.external_ref);
  if (!f.starting_after.empty()) s.Text(f.starting_after);
  if (f.region) s.Text(*f.region);
  s.Int(limit + 1);
  SB_ASSIGN_OR_RETURN(auto rows, CollectRows<Account>(s, ReadAccount));
  return MakePage(std::move(rows), limit);
}

Result<std::vector<Account>> SqliteTx::ListInactiveAccounts(std::string_view tenant_id,
                                                            Timestamp before, int limit) {
  if (limit < 1) return std::vector<Account>();
  Stmt s(conn_, kListInactiveAccounts);
  s.Text(tenant_id).Text(domain::Name(domain::AccountLifecycle::kActive)).Int(before).Int(limit);
  return CollectRows<Account>(s, ReadAccount);
}

Result<std::vector<Account>> SqliteTx::ListClosedAccountsToErase(std::string_view tenant_id,
                                                                 Timestamp before, int limit) {
  if (limit < 1) return std::vector<Account>();
  Stmt s(conn_, kListClosedAccountsToErase);
  s.Text(tenant_id).Text(domain::Name(domain::AccountLifecycle::kClosed)).Int(before).Int(limit);
  return CollectRows<Account>(s, ReadAccount);
}

Status SqliteTx::InsertService(const Service& v) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertService);
  s.Text(v.tenant_id).Text(v.id).Text(v.account_id).Text(v.plan_code);
  s.Text(domain::Name(v.status)).Int(v.version).Int(v.created_at).Int(v.updated_at);
  return s.OptInt(v.terminated_at).Run();
}

Result<Service> SqliteTx::GetService(std::string_view tenant_id, std::string_view id) {
  Stmt s(conn_, kGetService);
  s.Text(tenant_id).Text(id);
  return OneRow<Service>(s, "service", ReadService);
}

Status SqliteTx::UpdateService(const Service& v) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpdateService);
  s.Text(v.account_id).Text(v.plan_code).Text(domain::Name(v.status)).Int(v.version);
  s.Int(v.created_at).Int(v.updated_at).OptInt(v.terminated_at);
  SB_RETURN_IF_ERROR(s.Text(v.tenant_id).Text(v.id).Run());
  return RequireChanged(s, "service");
}

Result<std::vector<Service>> SqliteTx::ListServicesOf(std::string_view tenant_id,
                                                      const std::vector<std::string>& account_ids) {
  Stmt s(conn_, kListServicesOf);
  s.Text(tenant_id).Text(EncodeStringList(account_ids));
  return CollectRows<Service>(s, ReadService);
}

Result<std::vector<Service>> SqliteTx::ListServices(std::string_view tenant_id,
                                                    std::string_view account_id) {
  Stmt s(conn_, kListServices);
  s.Text(tenant_id).Text(account_id);
  return CollectRows<Service>(s, ReadService);
}

Status SqliteTx::InsertHold(const Hold& h) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kInsertHold);
  s.Text(h.tenant_id).Text(h.id);
  BindHoldBody(s, h);
  return s.Run();
}

Result<Hold> SqliteTx::GetHold(std::string_view tenant_id, std::string_view id) {
  Stmt s(conn_, kGetHold);
  s.Text(tenant_id).Text(id);
  return OneRow<Hold>(s, "hold", ReadHold);
}

Status SqliteTx::UpdateHold(const Hold& h) {
  SB_RETURN_IF_ERROR(CheckWritable());
  Stmt s(conn_, kUpdateHold);
  BindHoldBody(s, h);
  SB_RETURN_IF_ERROR(s.Text(h.tenant_id).Text(h.id).Run());
  return RequireChanged(s, "hold");
}

Result<std::vector<Hold>> SqliteTx::ListHolds(std::string_view tenant_id,
                                              std::string_view account_id, bool active_only) {
  Stmt s(conn_, active_only ? kListActiveHolds : kListHolds);
  s.Text(tenant_id).Text(account_id);
  return CollectRows<Hold>(s, ReadHold);
}

}  // namespace sb::storage::sqlite
