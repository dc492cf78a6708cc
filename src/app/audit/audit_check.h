#pragma once

// Checks a tenant's audit log from its parts, wherever they came from (the database or an
// evidence bundle), reading them in pieces: the memory a check takes does not grow with the
// log (the right edge of the Merkle tree, one chunk of entries and one of stored nodes per
// level). Internal to the audit log; see app/audit/audit_log.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/audit/audit_log.h"
#include "common/status.h"
#include "domain/merkle.h"
#include "domain/model.h"

namespace sb::app {

// A check asks for entries (and their recorded leaves) this many positions at a time, each
// chunk starting at a multiple of it.
inline constexpr std::int64_t kCheckEntryChunk = 4096;

// Where a check reads a log from.
class LogSource {
 public:
  virtual ~LogSource() = default;

  virtual const std::string& tenant_id() const = 0;
  // The size the log claims (the database's log size, or the latest checkpoint's size).
  virtual std::int64_t claimed_size() const = 0;
  // The signing key; nullopt when there is none (every checkpoint then fails).
  virtual const std::optional<domain::ServerKey>& key() const = 0;

  // Entries with leaf_index in [from, to), in leaf-index order, in the first elements of
  // `out` (grown when needed, their storage reused); returns how many. Asked for consecutive
  // ranges from 0 up, once per walk.
  virtual Result<std::size_t> Entries(std::int64_t from, std::int64_t to,
                                      std::vector<domain::AuditEntry>& out) = 0;
  // A source that answers Entries from a read in its own order (the database's:
  // app/audit/leaf_order.h) can find out late that an answer already given missed an entry.
  // Complete() tells whether every answer so far is known to be whole; ReadByIndexFromNowOn()
  // makes later answers come from reads by leaf index and returns whether an earlier one did
  // not. A check whose walk found a problem or ended not Complete() walks again after it, so
  // that its report is the one reads by leaf index give.
  virtual bool Complete() const { return true; }
  virtual bool ReadByIndexFromNowOn() { return false; }
  // The leaf hash recorded for each position in [from, to) apart from the entries (the
  // stored level-0 nodes, or a bundle's leaf list), "" where none is: each entry's content is
  // compared with it, which tells an altered entry from one moved to another position.
  // Returns to - from hashes.
  virtual Result<std::vector<std::string>> Leaves(std::int64_t from, std::int64_t to) = 0;
  // The position whose recorded leaf is `leaf`, or nullopt (asked only when a check fails).
  virtual Result<std::optional<std::int64_t>> PositionOf(std::string_view leaf) = 0;
  // Up to `limit` checkpoints in (tree_size, created_at) order after `after` (from the
  // first when null).
  virtual Result<std::vector<domain::Checkpoint>> Checkpoints(const domain::Checkpoint* after,
                                                              int limit) = 0;
  // Whether the source keeps complete subtrees (the database does, a bundle does not), and
  // those of `level` >= 1 with index in [from, to), in index order.
  virtual bool KeepsNodes() const = 0;
  virtual Result<std::vector<domain::merkle::TreeNode>> Nodes(int level, std::int64_t from,
                                                              std::int64_t to) = 0;
};

// Recomputes every leaf, root and (when the source keeps them) stored node, and every
// checkpoint's signature (on a second thread, while the walk goes on). Reports the first problem
// found, in this order: a checkpoint whose signature fails ("bad_signature", "unknown_key");
// walking the leaves in order, a missing index ("deleted"), an entry whose content does not give
// its leaf ("altered"), or gives another position's leaf ("reordered"); fewer entries than claimed
// ("truncated"), or more ("unexpected_entry"); a checkpoint root the entries do not give
// ("root_mismatch"); a stored node that differs from the one the entries give ("node_mismatch", the
// lowest level first). A failure to read the source is the returned status.
Result<VerifyReport> CheckLog(LogSource& source);

}  // namespace sb::app
