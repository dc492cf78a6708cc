// Accounts, services and holds.
#include <algorithm>

#include "storage/postgres/pg_tx.h"
#include "storage/string_list_json.h"

namespace sb::storage::postgres {
namespace {

using domain::Account;
using domain::Hold;
using domain::Page;
using domain::Service;

#define SB_ACCOUNT_COLS                                                                      \
  "tenant_id, id, external_ref, profile_sealed, lifecycle, status, amount_due_minor, "       \
  "currency, last_payment_at, kyc_level, failed_payments, version, created_at, updated_at, " \
  "region"
// region ($15) is written only here: an account keeps the region it was created with.
const Stmt kInsertAccount{"account_insert",
                          "INSERT INTO accounts (" SB_ACCOUNT_COLS
                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                          "$14, $15) ON CONFLICT DO NOTHING"};
const Stmt kGetAccount{"account_get",
                       "SELECT " SB_ACCOUNT_COLS " FROM accounts WHERE tenant_id = $1 AND id = $2"};
const Stmt kGetAccountForUpdate{"account_get_for_update",
                                "SELECT " SB_ACCOUNT_COLS
                                " FROM accounts WHERE tenant_id = $1 AND id = $2 FOR UPDATE"};
const Stmt kGetAccountByRef{"account_by_ref",
                            "SELECT " SB_ACCOUNT_COLS
                            " FROM accounts WHERE tenant_id = $1 AND external_ref = $2"};
// The keys are bound as one JSON array (storage/string_list_json.h).
const Stmt kGetAccountsById{"accounts_by_id", "SELECT " SB_ACCOUNT_COLS
                                              " FROM accounts WHERE tenant_id = $1 AND id IN "
                                              "(SELECT json_array_elements_text($2::json))"};
const Stmt kGetAccountsByRef{"accounts_by_ref",
                             "SELECT " SB_ACCOUNT_COLS
                             " FROM accounts WHERE tenant_id = $1 AND external_ref IN "
                             "(SELECT json_array_elements_text($2::json))"};
const Stmt kUpdateAccount{
    "account_update",
    "UPDATE accounts SET external_ref = $3, profile_sealed = $4, lifecycle = $5, status = $6, "
    "amount_due_minor = $7, currency = $8, last_payment_at = $9, kyc_level = $10, "
    "failed_payments = $11, version = $12, created_at = $13, updated_at = $14 "
    "WHERE tenant_id = $1 AND id = $2 AND version = $15"};
const Stmt kAccountExists{"account_exists",
                          "SELECT 1 FROM accounts WHERE tenant_id = $1 AND id = $2"};
const Stmt kListAccounts{"account_list",
                         "SELECT " SB_ACCOUNT_COLS
                         " FROM accounts WHERE tenant_id = $1 "
                         "AND ($2::text IS NULL OR status = $2) "
                         "AND ($3::text IS NULL OR external_ref = $3) "
                         "AND ($4::text = '' OR id < $4) "
                         "AND ($6::text IS NULL OR region = $6) ORDER BY id DESC LIMIT $5"};
const Stmt kListInactiveAccounts{"account_list_inactive",
                                 "SELECT " SB_ACCOUNT_COLS
                                 " FROM accounts WHERE tenant_id = $1 AND lifecycle = $2 "
                                 "AND updated_at < $3 ORDER BY updated_at, id LIMIT $4"};
// Closed, untouched since `before`, and not erased yet (the retention scan).
const Stmt kListClosedAccountsToErase{
    "account_list_closed_to_erase",
    "SELECT " SB_ACCOUNT_COLS
    " FROM accounts WHERE tenant_id = $1 AND lifecycle = $2 AND updated_at < $3 "
    "AND NOT EXISTS (SELECT 1 FROM subject_keys k WHERE k.tenant_id = $1 "
    "AND k.subject_id = accounts.id AND k.destroyed_at IS NOT NULL) "
    "ORDER BY updated_at, id LIMIT $4"};

#define SB_SERVICE_COLS \
  "tenant_id, id, account_id, plan_code, status, version, created_at, updated_at, terminated_at"
const Stmt kInsertService{"service_insert",
                          "INSERT INTO services (" SB_SERVICE_COLS
                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING"};
const Stmt kGetService{"service_get",
                       "SELECT " SB_SERVICE_COLS " FROM services WHERE tenant_id = $1 AND id = $2"};
const Stmt kUpdateService{"service_update",
                          "UPDATE services SET account_id = $3, plan_code = $4, status = $5, "
                          "version = $6, created_at = $7, updated_at = $8, terminated_at = $9 "
                          "WHERE tenant_id = $1 AND id = $2"};
const Stmt kListServices{
    "service_list", "SELECT " SB_SERVICE_COLS
                    " FROM services WHERE tenant_id = $1 AND account_id = $2 ORDER BY id DESC"};
const Stmt kListServicesOf{"service_list_of",
                           "SELECT " SB_SERVICE_COLS
                           " FROM services WHERE tenant_id = $1 AND account_id IN "
                           "(SELECT json_array_elements_text($2::json))"};

#define SB_HOLD_COLS                                                                    \
  "tenant_id, id, account_id, service_id, type, blocks_service, blocks_billing, "       \
  "blocks_changes, source, owner, reason_code, comment, state, placed_at, expires_at, " \
  "released_at, released_reason_code, placed_by_request_id, released_by_request_id"
const Stmt kInsertHold{"hold_insert",
                       "INSERT INTO holds (" SB_HOLD_COLS
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
                       "$15, $16, $17, $18, $19) ON CONFLICT DO NOTHING"};
const Stmt kGetHold{"hold_get",
                    "SELECT " SB_HOLD_COLS " FROM holds WHERE tenant_id = $1 AND id = $2"};
const Stmt kUpdateHold{
    "hold_update",
    "UPDATE holds SET account_id = $3, service_id = $4, type = $5, blocks_service = $6, "
    "blocks_billing = $7, blocks_changes = $8, source = $9, owner = $10, reason_code = $11, "
    "comment = $12, state = $13, placed_at = $14, expires_at = $15, released_at = $16, "
    "released_reason_code = $17, placed_by_request_id = $18, released_by_request_id = $19 "
    "WHERE tenant_id = $1 AND id = $2"};
const Stmt kListHolds{"hold_list", "SELECT " SB_HOLD_COLS
                                   " FROM holds WHERE tenant_id = $1 AND account_id = $2 "
                                   "ORDER BY id DESC"};
// A separate statement so the planner can use the partial index on active holds.
const Stmt kListActiveHolds{"hold_list_active",
                            "SELECT " SB_HOLD_COLS
                            " FROM holds WHERE tenant_id = $1 AND account_id = $2 "
                            "AND state = 'active' ORDER BY id DESC"};

Account ReadAccount(RowReader& r) {
  Account a;
  a.tenant_id = r.Str();
  a.id = r.Str();
  a.external_ref = r.Str();
  a.profile_sealed = r.Str();
  a.lifecycle = EnumOr<domain::AccountLifecycle>(r.Str());
  a.status = EnumOr<domain::AccountStatus>(r.Str());
  a.amount_due_minor = r.Int();
  a.currency = r.Str();
  a.last_payment_at = r.OptInt();
  a.kyc_level = r.Int32();
  a.failed_payments = r.Int32();
  a.version = r.Int();
  a.created_at = r.Int();
  a.updated_at = r.Int();
  a.region = r.OptStr().value_or("");
  return a;
}

// Binds every account column in SB_ACCOUNT_COLS order.
Params AccountParams(const Account& a) {
  Params p;
  p.Text(a.tenant_id).Text(a.id).Text(a.external_ref).Bytes(a.profile_sealed);
  p.Text(domain::Name(a.lifecycle)).Text(domain::Name(a.status)).Int(a.amount_due_minor);
  p.Text(a.currency).OptInt(a.last_payment_at).Int(a.kyc_level).Int(a.failed_payments);
  p.Int(a.version);
  p.Int(a.created_at).Int(a.updated_at);
  return p;
}

Service ReadService(RowReader& r) {
  Service s;
  s.tenant_id = r.Str();
  s.id = r.Str();
  s.account_id = r.Str();
  s.plan_code = r.Str();
  s.status = EnumOr<domain::ServiceStatus>(r.Str());
  s.version = r.Int();
  s.created_at = r.Int();
  s.updated_at = r.Int();
  s.terminated_at = r.OptInt();
  return s;
}

Params ServiceParams(const Service& s) {
  Params p;
  p.Text(s.tenant_id).Text(s.id).Text(s.account_id).Text(s.plan_code);
  p.Text(domain::Name(s.status)).Int(s.version).Int(s.created_at).Int(s.updated_at);
  p.OptInt(s.terminated_at);
  return p;
}

Hold ReadHold(RowReader& r) {
  Hold h;
  h.tenant_id = r.Str();
  h.id = r.Str();
  h.account_id = r.Str();
  h.service_id = r.OptStr();
  h.type = EnumOr<domain::HoldType>(r.Str());
  h.blocks_service = r.Bool();
  h.blocks_billing = r.Bool();
  h.blocks_changes = r.Bool();
  h.source = r.Str();
  h.owner = r.Str();
  h.reason_code = r.Str();
  h.comment = r.Str();
  h.state = EnumOr<domain::HoldState>(r.Str());
  h.placed_at = r.Int();
  h.expires_at = r.OptInt();
  h.released_at = r.OptInt();
  h.released_reason_code = r.Str();
  h.placed_by_request_id = r.Str();
  h.released_by_request_id = r.Str();
  return h;
}

Params HoldParams(const Hold& h) {
  Params p;
  p.Text(h.tenant_id).Text(h.id).Text(h.account_id).OptText(h.service_id);
  p.Text(domain::Name(h.type)).Bool(h.blocks_service).Bool(h.blocks_billing);
  p.Bool(h.blocks_changes).Text(h.source).Text(h.owner).Text(h.reason_code).Text(h.comment);
  p.Text(domain::Name(h.state)).Int(h.placed_at).OptInt(h.expires_at).OptInt(h.released_at);
  p.Text(h.released_reason_code).Text(h.placed_by_request_id).Text(h.released_by_request_id);
  return p;
}

}  // namespace

Status PgTx::InsertAccount(const Account& a) {
  Params p = AccountParams(a);
  p.OptText(a.region.empty() ? std::nullopt : std::optional<std::string>(a.region));
  KeepingRows keeping(*this);
  SB_RETURN_IF_ERROR(Insert(kInsertAccount, p));
  std::string key = RowKey(a.tenant_id, a.id);
  rows_.accounts[key] = a;
  rows_.locked_accounts.insert(std::move(key));
  return Status::Ok();
}

Result<Account> PgTx::GetAccount(std::string_view tenant_id, std::string_view id, bool for_update) {
  // A READ ONLY transaction refuses FOR UPDATE; there is nothing to lock for there anyway.
  const bool lock = for_update && writable_;
  std::string key = RowKey(tenant_id, id);
  auto kept = rows_.accounts.find(key);
  if (kept != rows_.accounts.end() && (!lock || rows_.locked_accounts.contains(key))) {
    return kept->second;
  }
  SB_ASSIGN_OR_RETURN(Account a, One(lock ? kGetAccountForUpdate : kGetAccount,
                                     Params().Text(tenant_id).Text(id), "account", &ReadAccount));
  rows_.accounts[key] = a;
  if (lock) rows_.locked_accounts.insert(std::move(key));
  return a;
}

Result<Account> PgTx::GetAccountByRef(std::string_view tenant_id, std::string_view external_ref) {
  return One(kGetAccountByRef, Params().Text(tenant_id).Text(external_ref), "account",
             &ReadAccount);
}

Result<std::vector<Account>> PgTx::GetAccounts(std::string_view tenant_id,
                                               const std::vector<std::string>& keys, bool by_ref) {
  return Many(by_ref ? kGetAccountsByRef : kGetAccountsById,
              Params().Text(tenant_id).Text(EncodeStringList(keys)), &ReadAccount);
}

Result<std::vector<Service>> PgTx::ListServicesOf(std::string_view tenant_id,
                                                  const std::vector<std::string>& account_ids) {
  return Many(kListServicesOf, Params().Text(tenant_id).Text(EncodeStringList(account_ids)),
              &ReadService);
}

Status PgTx::UpdateAccount(const Account& a, std::int64_t expected_version) {
  Params p = AccountParams(a);
  p.Int(expected_version);
  KeepingRows keeping(*this);
  SB_ASSIGN_OR_RETURN(PgResult r, Exec(kUpdateAccount, p));
  if (r.affected() > 0) {
    // The statement leaves the region as it was: so does the kept row.
    std::string key = RowKey(a.tenant_id, a.id);
    auto kept = rows_.accounts.find(key);
    if (kept != rows_.accounts.end()) {
      std::string region = std::move(kept->second.region);
      kept->second = a;
      kept->second.region = std::move(region);
    }
    rows_.locked_accounts.insert(std::move(key));
    return Status::Ok();
  }
  SB_ASSIGN_OR_RETURN(PgResult exists,
                      Query(kAccountExists, Params().Text(a.tenant_id).Text(a.id)));
  if (exists.rows() == 0) return Status::NotFound("account");
  return Status::PreconditionFailed("account version is not " + std::to_string(expected_version));
}

Result<Page<Account>> PgTx::ListAccounts(std::string_view tenant_id,
                                         const domain::AccountFilter& f) {
  int limit = PageLimit(f.limit);
  Params p;
  p.Text(tenant_id);
  if (f.status) {
    p.Text(domain::Name(*f.status));
  } else {
    p.Null();
  }
  p.OptText(f.external_ref).Text(f.starting_after).Int(limit + 1).OptText(f.region);
  return PageOf(kListAccounts, p, limit, &ReadAccount, &Account::id);
}

Result<std::vector<Account>> PgTx::ListInactiveAccounts(std::string_view tenant_id,
                                                        Timestamp before, int limit) {
  if (limit < 1) return std::vector<Account>();
  Params p;
  p.Text(tenant_id).Text(domain::Name(domain::AccountLifecycle::kActive)).Int(before).Int(limit);
  return Many(kListInactiveAccounts, p, &ReadAccount);
}

Result<std::vector<Account>> PgTx::ListClosedAccountsToErase(std::string_view tenant_id,
                                                             Timestamp before, int limit) {
  if (limit < 1) return std::vector<Account>();
  Params p;
  p.Text(tenant_id).Text(domain::Name(domain::AccountLifecycle::kClosed)).Int(before).Int(limit);
  return Many(kListClosedAccountsToErase, p, &ReadAccount);
}

Status PgTx::InsertService(const Service& s) {
  KeepingRows keeping(*this);
  SB_RETURN_IF_ERROR(Insert(kInsertService, ServiceParams(s)));
  rows_.services_of.erase(RowKey(s.tenant_id, s.account_id));  // listed again when asked
  return Status::Ok();
}

Result<Service> PgTx::GetService(std::string_view tenant_id, std::string_view id) {
  return One(kGetService, Params().Text(tenant_id).Text(id), "service", &ReadService);
}

Status PgTx::UpdateService(const Service& s) {
  KeepingRows keeping(*this);
  SB_RETURN_IF_ERROR(UpdateOne(kUpdateService, ServiceParams(s), "service"));
  // Replaced where its account's list holds it; a list that should and does not is forgotten.
  const std::string key = RowKey(s.tenant_id, s.account_id);
  for (auto it = rows_.services_of.begin(); it != rows_.services_of.end();) {
    auto listed = std::find_if(it->second.begin(), it->second.end(),
                               [&s](const Service& other) { return other.id == s.id; });
    if (it->first == key && listed != it->second.end()) {
      *listed = s;
      ++it;
    } else if (it->first == key || listed != it->second.end()) {
      it = rows_.services_of.erase(it);
    } else {
      ++it;
    }
  }
  return Status::Ok();
}

Result<std::vector<Service>> PgTx::ListServices(std::string_view tenant_id,
                                                std::string_view account_id) {
  return KeptOrRead(rows_.services_of, RowKey(tenant_id, account_id), [&] {
    return Many(kListServices, Params().Text(tenant_id).Text(account_id), &ReadService);
  });
}

Status PgTx::InsertHold(const Hold& h) {
  KeepingRows keeping(*this);
  SB_RETURN_IF_ERROR(Insert(kInsertHold, HoldParams(h)));
  KeepHold(h);
  return Status::Ok();
}

Result<Hold> PgTx::GetHold(std::string_view tenant_id, std::string_view id) {
  return KeptOrRead(rows_.holds, RowKey(tenant_id, id), [&] {
    return One(kGetHold, Params().Text(tenant_id).Text(id), "hold", &ReadHold);
  });
}

Status PgTx::UpdateHold(const Hold& h) {
  KeepingRows keeping(*this);
  SB_RETURN_IF_ERROR(UpdateOne(kUpdateHold, HoldParams(h), "hold"));
  KeepHold(h);
  return Status::Ok();
}

Result<std::vector<Hold>> PgTx::ListHolds(std::string_view tenant_id, std::string_view account_id,
                                          bool active_only) {
  if (!active_only) {
    return Many(kListHolds, Params().Text(tenant_id).Text(account_id), &ReadHold);
  }
  return KeptOrRead(rows_.active_holds_of, RowKey(tenant_id, account_id), [&] {
    return Many(kListActiveHolds, Params().Text(tenant_id).Text(account_id), &ReadHold);
  });
}

}  // namespace sb::storage::postgres
