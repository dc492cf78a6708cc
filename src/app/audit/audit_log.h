#pragma once

// The verifiable audit log (docs/ARCHITECTURE.md, "Audit log"). Use cases insert audit entries with
// their change. Where writes run concurrently (PostgreSQL) the sequencer later gives them leaf
// indices in the tenant's Merkle log, so writes never wait on a log-wide lock; where they
// are serialized (SQLite) each entry takes its leaf inside its own write
// (SequenceInWrite). Either way the sequencer signs the checkpoints. Thread-safe.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/core/context.h"
#include "common/status.h"
#include "domain/model.h"

namespace sb::app {

// The purpose the audit log's signing key is stored and wrapped under (Tx::GetServerKey,
// Keyring::WrapSecret).
inline constexpr std::string_view kAuditSigningPurpose = "audit_signing";

// Gives `e` the next leaf of its tenant's log and stores the subtrees it completes, inside
// the caller's write. REQUIRES: tx.WritesAreSerialized() (otherwise two writers would take
// the same index, or wait on one log-wide lock), and `e` is inserted in the same `tx` after
// this call. The sequencer still signs the checkpoint that covers it.
Status SequenceInWrite(domain::Tx& tx, domain::AuditEntry& e);

struct InclusionProof {
  std::string entry_id;
  std::int64_t leaf_index = 0;
  std::int64_t tree_size = 0;
  std::string leaf_hash;                // 32 raw bytes
  std::vector<std::string> audit_path;  // raw 32-byte hashes, leaf to root (RFC 9162 2.1.3)
  std::string root_hash;
};

// Inside `tx`: the proof that `e` (sequenced, at a leaf below `tree_size`) is in the tenant's
// tree of `tree_size` leaves, whose root is `root_hash` (the signed checkpoint's). For a read
// that proves several entries against one checkpoint in one transaction.
Result<InclusionProof> InclusionInTx(domain::Tx& tx, const domain::AuditEntry& e,
                                     std::int64_t tree_size, const std::string& root_hash);

struct ConsistencyProof {
  std::int64_t first = 0;
  std::int64_t second = 0;
  std::string first_root;
  std::string second_root;
  std::vector<std::string> path;  // RFC 9162 2.1.4
};

// What `audit verify` found. ok == true when everything checked out.
struct VerifyReport {
  bool ok = true;
  std::string tenant_id;
  std::int64_t entries_checked = 0;
  std::int64_t checkpoints_checked = 0;
  // When !ok: the first problem, e.g. kind "altered" at leaf_index 17.
  std::string kind;  // "altered", "deleted", "reordered", "truncated", "bad_signature", ...
  std::optional<std::int64_t> leaf_index;
  std::string detail;
};

class AuditLog {
 public:
  explicit AuditLog(Deps deps) : deps_(deps) {}

  // Creates the Ed25519 signing key on first start (sealed by the master key); no-op after.
  Status EnsureSigningKey() const;
  // Public key (32 raw bytes) and its id.
  Result<domain::ServerKey> PublicKey() const;

  // Sequences every pending entry of every tenant and signs a new checkpoint for each tenant
  // whose log grew. Returns how many entries were sequenced. Safe to call concurrently and
  // from several processes.
  Result<std::int64_t> SequencePending() const;

  Result<domain::Checkpoint> LatestCheckpoint(const std::string& tenant_id) const;
  // The tenant's audit entries, newest first, filtered and paged (limit 1..100).
  Result<domain::Page<domain::AuditEntry>> ListEntries(const std::string& tenant_id,
                                                       const domain::AuditFilter& filter) const;
  // tree_size 0 means the latest checkpoint's size.
  Result<InclusionProof> Inclusion(const std::string& tenant_id, const std::string& entry_id,
                                   std::int64_t tree_size) const;
  Result<ConsistencyProof> Consistency(const std::string& tenant_id, std::int64_t first,
                                       std::int64_t second) const;

  // Recomputes every leaf, node and checkpoint of a tenant (all tenants when empty), reading
  // the log in chunks: memory does not grow with the log (app/audit/audit_check.h).
  Result<std::vector<VerifyReport>> VerifyDatabase(const std::string& tenant_id) const;

  // Evidence bundle: JSON text with the tenant's sequenced entries, its checkpoints and the
  // public key, written to `out` a chunk at a time as it is read; VerifyBundle checks it with
  // no database (holding the bundle in memory).
  Status ExportBundle(const std::string& tenant_id, std::ostream& out) const;
  static VerifyReport VerifyBundle(const std::string& bundle_json);
  // The same check of a bundle file, read as a stream in memory that does not grow with it
  // (app/audit/audit_bundle_stream.h). A file of at most `whole_limit` bytes that the stream
  // finds a problem in, or cannot take in the order an export writes, is read whole for the
  // report VerifyBundle gives; a larger one gets the stream's report (a bundle it cannot take
  // in order: "malformed", saying why), so a forged file of any size is checked in bounded
  // memory. Reading whole takes about seven times the file's size in memory.
  static constexpr std::uintmax_t kWholeBundleLimit = 8 << 20;
  static VerifyReport VerifyBundleFile(const std::string& path,
                                       std::uintmax_t whole_limit = kWholeBundleLimit);

 private:
  Deps deps_;
};

}  // namespace sb::app
