#pragma once

// Reconciliation (docs/RECONCILIATION.md): a client system (billing, CRM, provisioning) sends
// its view of account and service states as a file for the whole tenant, and Switchboard
// compares it with its own. Each
// difference becomes a drift item (domain/reconciliation.h) that says what each side says,
// when it was found and which side the pack takes as right; the pack's rule then either files
// a status_sync request through the request engine at once (the client system is told again
// what Switchboard holds, or the amount due is taken from billing) or leaves the item open in
// the drift queue for an agent. A drift an earlier run's open item already stands for is
// recorded as "already_open" and repaired no second time, and a file a tenant already ran for
// a source changes nothing the second time. A dry run compares and writes nothing.
//
// Rows are compared a batch at a time (one read for the batch's accounts, one write for its
// items and repairs), so that memory stays flat whatever the file's size and interactive
// writes keep the shared writer. Thread-safe.

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "app/bulk/record_file.h"
#include "app/core/context.h"
#include "app/reconciliation/reconciliation_input.h"
#include "common/status.h"
#include "domain/reconciliation.h"

namespace sb::app {

struct ReconciliationOptions {
  int batch_rows = 500;   // rows compared per read and written per transaction
  int max_listed = 1000;  // rejected rows kept on the run; items a dry run lists
  BulkReadLimits limits = {2'000'000, 64 * 1024, 64 * 1024};
};

struct ReconciliationOutcome {
  // The file could not be read (400; `error` says where): nothing was recorded.
  bool malformed = false;
  BulkRowError error;
  // The same file was run before for this source: `run` is that run, nothing changed.
  bool duplicate = false;
  bool dry_run = false;
  domain::ReconciliationRun run;  // a dry run's is not stored (its id is empty)
  // A dry run: the first max_listed items it would record.
  std::vector<domain::DriftItem> items;
};

class Reconciliations {
 public:
  // `deps` must outlive the object.
  explicit Reconciliations(Deps deps, ReconciliationOptions options = {})
      : deps_(deps), options_(options) {}

  // Compares the file's rows (app/reconciliation/reconciliation_input.h) for source system
  // `source` (domain::IsSourceSystemName, else kInvalidArgument "source"). `file_sha256` (hex)
  // identifies the file: a second run of the same hash answers the first (duplicate), or
  // kConflict "reconciliation_unfinished" while that one has not finished. Supervisor role and
  // up (kPermissionDenied "role_required"). With ctx.dry_run nothing is written.
  Result<ReconciliationOutcome> RunFile(const CallContext& ctx, const std::string& source,
                                        BulkFormat format, std::istream& file,
                                        const std::string& file_sha256) const;

  // Compares one account's snapshot (a status.snapshot event, app/events/) inside the event's
  // transaction and records it as a run of origin "snapshot" whose hash is the event's id
  // (an event is handled once, app/events/events.h). `rows` are all of one account, each
  // service once; `rejected`, the rows the caller could not read, are listed on the run. The
  // caller is the system: no role is required.
  Result<domain::ReconciliationRun> RunSnapshotInTx(domain::Tx& tx, const CallContext& ctx,
                                                    const std::string& source,
                                                    const std::string& event_id,
                                                    const std::vector<ReconciliationRowInput>& rows,
                                                    std::vector<BulkRowError> rejected) const;

  // kNotFound "reconciliation run" for a run not of ctx's tenant.
  Result<domain::ReconciliationRun> Get(const CallContext& ctx, const std::string& id) const;
  Result<domain::Page<domain::ReconciliationRun>> List(const CallContext& ctx,
                                                       const std::string& starting_after,
                                                       int limit) const;
  // Items of a run (f.run_id, which must be the tenant's: kNotFound), or the tenant's drift
  // queue (f.open = true, any run).
  Result<domain::Page<domain::DriftItem>> Items(const CallContext& ctx,
                                                const domain::DriftItemFilter& f) const;
  // An agent closes an open item: `resolution` "fixed" (the agent put it right, through the
  // requests it needed) or "dismissed" (not a real difference), with a note of up to 500
  // characters. Audited ("drift.resolved"). kConflict "drift_item_closed" when it is closed.
  Result<domain::DriftItem> Resolve(const CallContext& ctx, const std::string& item_id,
                                    const std::string& resolution, const std::string& note,
                                    const AnswerFn<domain::DriftItem>& answer = nullptr) const;

 private:
  struct Batch;
  // kProbe: a read over the batch; rows that differ are kept in the batch's pending rows
  // uncounted. kWrite: those rows compared again and recorded, with their repairs. kDryRun: a
  // read over the batch that counts and lists everything and records nothing.
  enum class Pass { kProbe, kWrite, kDryRun };
  Status CompareBatch(const CallContext& ctx, Batch& batch, ReconciliationOutcome& out) const;
  Status CompareInTx(domain::Tx& tx, const CallContext& ctx,
                     const std::vector<ReconciliationRowInput>& rows, Pass pass, Batch& batch,
                     ReconciliationOutcome& out) const;

  Deps deps_;
  ReconciliationOptions options_;
};

}  // namespace sb::app
