// Reconciliation runs (reconciliation.h): comparing a source system's rows a batch at a time,
// recording drift items and filing the repairs the pack asks for.
#include "app/reconciliation/reconciliation.h"

#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "app/core/change.h"
#include "app/policy/policy_cache.h"
#include "app/requests/request_flow.h"
#include "crypto/crypto.h"

namespace sb::app {

namespace json = boost::json;
using domain::DriftItem;
using domain::ReconciliationRun;

// The rows of one batch, and what the run remembers across batches: the (account, service)
// pairs seen so far (a row repeating one is rejected, so that a drift is counted once), kept
// as 64-bit hashes so that a file of millions of rows costs a few tens of megabytes at most.
struct Reconciliations::Batch {
  std::vector<ReconciliationRowInput> rows;
  std::vector<ReconciliationRowInput> pending;  // rows the probe found different
  std::unordered_set<std::uint64_t> seen;
  std::vector<BulkRowError> rejected;  // the first max_listed rejected rows of the run
};

namespace {

constexpr const char* kOrigin = "file";
constexpr std::size_t kMaxNote = 500;

Status RequireReconciliationRole(const CallContext& ctx) {
  auto role = ctx.actor.role;
  if (role == domain::Role::kAdmin || role == domain::Role::kSupervisor) return Status::Ok();
  return {Code::kPermissionDenied, "role_required", "reconciliation needs the supervisor role"};
}

void Reject(ReconciliationRun& run, std::vector<BulkRowError>& listed, int max, BulkRowError&& e) {
  run.rows_rejected += 1;
  if (listed.size() < static_cast<std::size_t>(max)) listed.push_back(std::move(e));
}

void CountDrift(ReconciliationRun& run, domain::DriftKind kind) {
  switch (kind) {
    case domain::DriftKind::kServiceStatus:
      run.service_status_drift += 1;
      break;
    case domain::DriftKind::kAccountStatus:
      run.account_status_drift += 1;
      break;
    case domain::DriftKind::kAmountDue:
      run.amount_due_drift += 1;
      break;
  }
}

// A batch's accounts and their services, read in three queries whatever the batch's size.
struct BatchAccounts {
  std::unordered_map<std::string, domain::Account> by_id;
  std::unordered_map<std::string, domain::Account> by_ref;
  std::unordered_map<std::string, std::vector<domain::Service>> services;  // by account id

  // The account a row names, or null when the tenant has none.
  const domain::Account* Of(const ReconciliationRowInput& row) const {
    const auto& index = row.account_id.empty() ? by_ref : by_id;
    auto it = index.find(row.account_id.empty() ? row.external_ref : row.account_id);
    return it == index.end() ? nullptr : &it->second;
  }
};

Result<BatchAccounts> ReadAccounts(domain::Tx& tx, const std::string& tenant_id,
                                   const std::vector<ReconciliationRowInput>& rows) {
  BatchAccounts out;
  std::vector<std::string> ids;
  std::vector<std::string> refs;
  for (const ReconciliationRowInput& row : rows) {
    if (row.account_id.empty()) {
      refs.push_back(row.external_ref);
    } else {
      ids.push_back(row.account_id);
    }
  }
  if (!ids.empty()) {
    SB_ASSIGN_OR_RETURN(auto found, tx.GetAccounts(tenant_id, ids, /*by_ref=*/false));
    for (domain::Account& a : found) out.by_id.emplace(a.id, std::move(a));
  }
  if (!refs.empty()) {
    SB_ASSIGN_OR_RETURN(auto found, tx.GetAccounts(tenant_id, refs, /*by_ref=*/true));
    for (domain::Account& a : found) out.by_ref.emplace(a.external_ref, std::move(a));
  }
  std::vector<std::string> with_service;
  for (const ReconciliationRowInput& row : rows) {
    const domain::Account* a = row.service_id.empty() ? nullptr : out.Of(row);
    if (a) with_service.push_back(a->id);
  }
  if (!with_service.empty()) {
    SB_ASSIGN_OR_RETURN(auto found, tx.ListServicesOf(tenant_id, with_service));
    for (domain::Service& svc : found) out.services[svc.account_id].push_back(std::move(svc));
  }
  return out;
}

// The status_sync that repairs `item`: the source system is told again what Switchboard holds
// (announce), or the amount due is taken from the source.
json::object RepairPayload(const DriftItem& item) {
  if (item.truth == domain::DriftTruth::kSource && item.kind == domain::DriftKind::kAmountDue) {
    return {{"amount_due_minor", std::stoll(item.source_value)}, {"drift_item_id", item.id}};
  }
  return {{"announce", true}, {"drift_item_id", item.id}};
}

// Files the repair of `item` through the request engine, as the system on the run's behalf;
// the item is closed "repaired" when the request completed at once. A request the engine
// refuses (a pack without the reason code, a closed account) leaves the item queued instead,
// with the refusal in its note.
Status FileRepair(domain::Tx& tx, const Deps& deps, const CallContext& ctx, Timestamp now,
                  DriftItem& item) {
  CallContext system = ctx;
  system.actor = {domain::ActorType::kSystem, "reconciliation", domain::Role::kSystem};
  system.channel = domain::Channel::kSystem;
  system.reason_code = "reconciliation";
  system.idempotency_key.clear();
  SubmitInput in;
  in.type = domain::RequestType::kStatusSync;
  in.account_id = item.account_id;
  in.origin = domain::Origin::kAutomated;
  in.payload = RepairPayload(item);
  Result<RequestOutcome> filed = SubmitInTx(tx, deps, system, now, in);
  if (!filed.ok()) {
    if (filed.status().code() == Code::kInternal || filed.status().code() == Code::kUnavailable) {
      return filed.status();
    }
    item.action = "queue";
    item.note = "repair refused: " + filed.status().message();
    return Status::Ok();
  }
  item.request_id = filed->request.id;
  if (filed->request.state == domain::RequestState::kCompleted) {
    item.open = false;
    item.resolution = "repaired";
    item.closed_at = now;
  }
  return Status::Ok();
}

}  // namespace

Status Reconciliations::CompareInTx(domain::Tx& tx, const CallContext& ctx,
                                    const std::vector<ReconciliationRowInput>& rows, Pass pass,
                                    Batch& batch, ReconciliationOutcome& out) const {
  ReconciliationRun& run = out.run;
  Timestamp now = deps_.clock.Now();
  SB_ASSIGN_OR_RETURN(auto policy, PolicyInForce(tx, ctx.tenant_id, now));
  const domain::ReconciliationPolicy& rules = policy->pack.reconciliation;
  std::vector<BulkRowError>& listed = batch.rejected;
  const int max = options_.max_listed;
  SB_ASSIGN_OR_RETURN(BatchAccounts accounts, ReadAccounts(tx, ctx.tenant_id, rows));
  for (const ReconciliationRowInput& row : rows) {
    const domain::Account* account = accounts.Of(row);
    if (!account) {
      Reject(run, listed, max,
             {row.row, row.account_id.empty() ? "external_ref" : "account_id", "unknown_account"});
      continue;
    }
    const domain::Service* service = nullptr;
    if (!row.service_id.empty()) {
      auto listed_services = accounts.services.find(account->id);
      if (listed_services != accounts.services.end()) {
        for (const auto& s : listed_services->second) {
          if (s.id == row.service_id) service = &s;
        }
      }
      if (!service) {
        Reject(run, listed, max, {row.row, "service_id", "unknown_service"});
        continue;
      }
    }
    // The write pass sees only rows the probe let through, once each.
    if (pass != Pass::kWrite) {
      std::uint64_t key = std::hash<std::string>{}(account->id + "/" + row.service_id);
      if (!batch.seen.insert(key).second) {
        Reject(run, listed, max, {row.row, "", "duplicate_row"});
        continue;
      }
    }
    std::vector<domain::Drift> drift = domain::Compare(*account, service, row.said);
    if (drift.empty()) {
      run.rows_in_step += 1;
      continue;
    }
    if (pass == Pass::kProbe) {
      batch.pending.push_back(row);
      continue;
    }
    SB_ASSIGN_OR_RETURN(std::vector<DriftItem> open,
                        tx.ListOpenDriftItems(ctx.tenant_id, account->id));
    for (domain::Drift& d : drift) {
      CountDrift(run, d.kind);
      const domain::DriftRule& rule = rules.For(d.kind);
      DriftItem item;
      item.tenant_id = ctx.tenant_id;
      item.id = crypto::NewId("drf", now);
      item.run_id = run.id;
      item.source = run.source;
      item.account_id = account->id;
      item.external_ref = account->external_ref;
      item.service_id = d.service_id;
      item.kind = d.kind;
      item.switchboard_value = std::move(d.switchboard_value);
      item.source_value = std::move(d.source_value);
      item.truth = rule.truth;
      item.found_at = now;
      for (const DriftItem& known : open) {
        if (known.kind == item.kind && known.service_id == item.service_id) {
          item.action = "already_open";
          item.known_item_id = known.id;
          item.open = false;
          item.resolution = "already_open";
          item.closed_at = now;
        }
      }
      if (item.action.empty()) item.action = std::string(domain::Name(rule.repair));
      if (pass == Pass::kWrite && item.action == "repair") {
        SB_RETURN_IF_ERROR(FileRepair(tx, deps_, ctx, now, item));
      }
      if (item.action == "repair") run.repairs_filed += 1;
      if (item.action == "queue") run.queued += 1;
      if (item.action == "already_open") run.already_open += 1;
      if (pass == Pass::kWrite) {
        SB_RETURN_IF_ERROR(tx.InsertDriftItem(item));
        open.push_back(item);
      } else if (out.items.size() < static_cast<std::size_t>(max)) {
        out.items.push_back(item);
      }
    }
  }
  if (pass != Pass::kWrite) return Status::Ok();
  run.rejected_json = json::serialize(RowErrorsJson(listed));
  return tx.UpdateReconciliationRun(run);
}

Status Reconciliations::CompareBatch(const CallContext& ctx, Batch& batch,
                                     ReconciliationOutcome& out) const {
  if (batch.rows.empty()) return Status::Ok();
  if (out.dry_run) {
    SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
      return CompareInTx(tx, ctx, batch.rows, Pass::kDryRun, batch, out);
    }));
    batch.rows.clear();
    return Status::Ok();
  }
  // Most rows agree: the batch is compared in a read, and only the rows that differ are
  // compared again and recorded in a write.
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    return CompareInTx(tx, ctx, batch.rows, Pass::kProbe, batch, out);
  }));
  batch.rows.clear();
  if (batch.pending.empty()) return Status::Ok();
  const ReconciliationRun before = out.run;
  const std::vector<BulkRowError> rejected = batch.rejected;
  SB_RETURN_IF_ERROR(deps_.store.Write([&](domain::Tx& tx) -> Status {
    out.run = before;  // the writer may run this again
    batch.rejected = rejected;
    return CompareInTx(tx, ctx, batch.pending, Pass::kWrite, batch, out);
  }));
  batch.pending.clear();
  return Status::Ok();
}

Result<ReconciliationOutcome> Reconciliations::RunFile(const CallContext& ctx,
                                                       const std::string& source, BulkFormat format,
                                                       std::istream& file,
                                                       const std::string& file_sha256) const {
  SB_RETURN_IF_ERROR(RequireReconciliationRole(ctx));
  if (!domain::IsSourceSystemName(source)) {
    return Status::Invalid(
        "source", "source must be 1 to 32 of a-z, 0-9, '_' and '-' (\"billing\", \"crm\")");
  }
  ReconciliationOutcome out;
  out.dry_run = ctx.dry_run;
  // A file that cannot be read records nothing: it is read through once before anything runs.
  std::optional<BulkRowError> fatal = ReadReconciliationFile(
      file, format, options_.limits, [](ReconciliationRowInput&&) { return true; },
      [](BulkRowError&&) {});
  if (fatal) {
    out.malformed = true;
    out.error = std::move(*fatal);
    return out;
  }
  Timestamp now = deps_.clock.Now();
  ReconciliationRun& run = out.run;
  run.tenant_id = ctx.tenant_id;
  run.source = source;
  run.origin = kOrigin;
  run.format = format == BulkFormat::kCsv ? "csv" : "ndjson";
  run.file_sha256 = file_sha256;
  run.actor = ctx.actor;
  run.created_at = now;
  if (!ctx.dry_run) {
    run.id = crypto::NewId("rcn", now);
    Status inserted = deps_.store.Write([&](domain::Tx& tx) -> Status {
      auto earlier = tx.FindReconciliationRun(ctx.tenant_id, source, kOrigin, file_sha256);
      if (earlier.ok()) {
        out.duplicate = true;
        run = std::move(*earlier);
        return Status::Ok();
      }
      if (earlier.status().code() != Code::kNotFound) return earlier.status();
      return tx.InsertReconciliationRun(run);
    });
    SB_RETURN_IF_ERROR(inserted);
    if (out.duplicate) {
      if (run.finished_at == 0) {
        return Status::Conflict("reconciliation_unfinished",
                                "run " + run.id + " of this file has not finished", "file");
      }
      return out;
    }
  }
  file.clear();
  file.seekg(0);
  Batch batch;
  Status failed = Status::Ok();
  ReadReconciliationFile(
      file, format, options_.limits,
      [&](ReconciliationRowInput&& row) {
        run.rows_read += 1;
        batch.rows.push_back(std::move(row));
        if (batch.rows.size() < static_cast<std::size_t>(options_.batch_rows)) return true;
        failed = CompareBatch(ctx, batch, out);
        return failed.ok();
      },
      [&](BulkRowError&& e) {
        run.rows_read += 1;
        Reject(run, batch.rejected, options_.max_listed, std::move(e));
      });
  SB_RETURN_IF_ERROR(failed);
  SB_RETURN_IF_ERROR(CompareBatch(ctx, batch, out));
  run.rejected_json = json::serialize(RowErrorsJson(batch.rejected));
  run.finished_at = deps_.clock.Now();
  if (!ctx.dry_run) {
    SB_RETURN_IF_ERROR(deps_.store.Write(
        [&](domain::Tx& tx) -> Status { return tx.UpdateReconciliationRun(run); }));
  }
  return out;
}

Result<ReconciliationRun> Reconciliations::RunSnapshotInTx(
    domain::Tx& tx, const CallContext& ctx, const std::string& source, const std::string& event_id,
    const std::vector<ReconciliationRowInput>& rows, std::vector<BulkRowError> rejected) const {
  Timestamp now = deps_.clock.Now();
  ReconciliationOutcome out;
  ReconciliationRun& run = out.run;
  run.tenant_id = ctx.tenant_id;
  run.id = crypto::NewId("rcn", now);
  run.source = source;
  run.origin = "snapshot";
  run.format = "event";
  run.file_sha256 = event_id;
  run.actor = ctx.actor;
  run.created_at = now;
  run.finished_at = now;
  run.rows_read = static_cast<std::int64_t>(rows.size() + rejected.size());
  SB_RETURN_IF_ERROR(tx.InsertReconciliationRun(run));
  Batch batch;
  for (BulkRowError& e : rejected) Reject(run, batch.rejected, options_.max_listed, std::move(e));
  SB_RETURN_IF_ERROR(CompareInTx(tx, ctx, rows, Pass::kWrite, batch, out));
  return run;
}

Result<ReconciliationRun> Reconciliations::Get(const CallContext& ctx,
                                               const std::string& id) const {
  SB_RETURN_IF_ERROR(RequireReconciliationRole(ctx));
  std::optional<ReconciliationRun> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, tx.GetReconciliationRun(ctx.tenant_id, id));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<domain::Page<ReconciliationRun>> Reconciliations::List(const CallContext& ctx,
                                                              const std::string& starting_after,
                                                              int limit) const {
  SB_RETURN_IF_ERROR(RequireReconciliationRole(ctx));
  std::optional<domain::Page<ReconciliationRun>> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    SB_ASSIGN_OR_RETURN(out, tx.ListReconciliationRuns(ctx.tenant_id, starting_after, limit));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<domain::Page<DriftItem>> Reconciliations::Items(const CallContext& ctx,
                                                       const domain::DriftItemFilter& f) const {
  std::optional<domain::Page<DriftItem>> out;
  SB_RETURN_IF_ERROR(deps_.store.Read([&](domain::Tx& tx) -> Status {
    if (!f.run_id.empty())
      SB_RETURN_IF_ERROR(tx.GetReconciliationRun(ctx.tenant_id, f.run_id).status());
    SB_ASSIGN_OR_RETURN(out, tx.ListDriftItems(ctx.tenant_id, f));
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<DriftItem> Reconciliations::Resolve(const CallContext& ctx, const std::string& item_id,
                                           const std::string& resolution, const std::string& note,
                                           const AnswerFn<DriftItem>& answer) const {
  if (resolution != "fixed" && resolution != "dismissed") {
    return Status::Invalid("resolution", "resolution must be fixed or dismissed");
  }
  if (note.size() > kMaxNote) return Status::Invalid("note", "note is at most 500 characters");
  return RunChange<DriftItem>(
      deps_, ctx, answer, [&](domain::Tx& tx, Timestamp now) -> Result<DriftItem> {
        SB_ASSIGN_OR_RETURN(DriftItem item, tx.GetDriftItem(ctx.tenant_id, item_id));
        if (!item.open) {
          return Status::Conflict("drift_item_closed",
                                  "drift item " + item.id + " is closed already");
        }
        json::object before{{"open", true}, {"note", item.note}};
        item.open = false;
        item.resolution = resolution;
        item.note = note;
        item.closed_at = now;
        SB_RETURN_IF_ERROR(tx.UpdateDriftItem(item));
        ChangeRecorder rec(tx, ctx, now);
        SB_RETURN_IF_ERROR(
            rec.Audit(domain::AuditCategory::kAccountStatus, "drift.resolved", "drift_item",
                      item.id, item.account_id, "", before,
                      {{"open", false}, {"resolution", resolution}, {"note", note}}));
        return item;
      });
}

}  // namespace sb::app
