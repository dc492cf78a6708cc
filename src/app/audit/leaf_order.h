#pragma once

// A tenant's sequenced audit entries, one leaf-index range after another, in leaf-index order,
// read the fastest way the store has: in its own order (Tx::ReadAuditInStoreOrder, on SQLite
// the table's order by id, with no index lookup per entry), put back in leaf order through a
// window of positions. Entries get their ids and their leaf indexes from the same clock, so
// an entry is never far from its place in a log the server wrote. Internal to the audit log
// (the check and the export of app/audit/audit_log.h).
//
// An entry the window cannot place (more than kLeafOrderWindow positions ahead of the range
// being read, behind it, or at a position already taken) ends the pass: every later range is
// read by leaf index (Tx::ListAuditByIndex), and Complete() turns false, because a range
// already answered may have missed it. The same window reads a bundle file's entries as a
// stream (app/audit/audit_bundle_stream.h), which cannot read by leaf index: there such an
// entry is an error (AuditLog::VerifyBundleFile then reads a small bundle whole). With the store's
// unique leaf index no entry can be behind or on a taken position, so the answers are then still
// those an index read gives; a check that must not rely on that reads again (ByIndexFromNowOn).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/model.h"
#include "domain/ports/store.h"

namespace sb::app {

// Positions held at once: entries read ahead of the range asked for wait here.
inline constexpr std::int64_t kLeafOrderWindow = 8192;

// Where the entries come from: `next` reads the next ones in the source's own order into the
// first elements of its argument and returns how many (0 at the end); `by_index` reads a
// leaf-index range in order, and may be empty (a bundle read as a stream cannot).
struct EntrySource {
  std::function<Result<std::size_t>(std::vector<domain::AuditEntry>&)> next;
  std::function<Result<std::vector<domain::AuditEntry>>(std::int64_t, std::int64_t)> by_index;
};

// A tenant's entries in the database: by id on SQLite, by leaf index on PostgreSQL
// (Tx::ReadAuditInStoreOrder), and by leaf index through Tx::ListAuditByIndex.
EntrySource StoreEntries(domain::Tx& tx, std::string tenant_id);

class EntriesInLeafOrder {
 public:
  explicit EntriesInLeafOrder(EntrySource source);

  // The entries with leaf_index in [from, to), in order, in the first elements of `out` (grown
  // when needed; their storage is reused); returns how many. Each range must start at or
  // after the end of the one before. kUnavailable ("out_of_order") when an entry cannot be
  // placed and the source cannot read by leaf index.
  Result<std::size_t> Read(std::int64_t from, std::int64_t to,
                           std::vector<domain::AuditEntry>& out);

  // True while no entry was found out of the window's reach.
  bool Complete() const { return complete_; }

  // Reads every later range by leaf index; true when an earlier range was answered from the
  // pass in the source's order (and so may need reading again to be sure of it).
  bool ByIndexFromNowOn();

 private:
  Result<std::size_t> ReadByIndex(std::int64_t from, std::int64_t to,
                                  std::vector<domain::AuditEntry>& out);
  enum class Placed { kAll, kWaiting, kOutOfReach };
  // Moves the entries read in the source's order into the window, up to the first one past
  // it (kWaiting); kOutOfReach for one that has no place (behind it, or on a taken position).
  Placed Place();
  // Reads in the source's order until every position below `to` is held or the source is
  // read; false when an entry cannot be placed.
  Result<bool> Fill(std::int64_t to);
  std::size_t Slot(std::int64_t index) const {
    return static_cast<std::size_t>(index % kLeafOrderWindow);
  }

  EntrySource source_;
  std::vector<domain::AuditEntry> window_;
  std::vector<bool> held_;
  std::vector<domain::AuditEntry> scanned_;  // read in the source's order, not yet placed
  std::size_t scanned_count_ = 0;
  std::size_t next_scanned_ = 0;
  std::int64_t base_ = 0;           // the lowest position not yet answered
  std::int64_t first_missing_ = 0;  // the lowest position >= base_ not held
  bool scan_done_ = false;
  bool by_index_ = false;
  bool answered_from_scan_ = false;
  bool complete_ = true;
};

}  // namespace sb::app
