#include "app/audit/audit_check.h"

#include <algorithm>
#include <unordered_map>

#include "crypto/crypto.h"
#include "domain/audit_entry.h"

namespace sb::app {
namespace {

namespace merkle = domain::merkle;

struct Problem {
  std::string kind;
  std::optional<std::int64_t> leaf_index;
  std::string detail;
};

using MaybeProblem = std::optional<Problem>;

MaybeProblem CheckSignatures(const LogEvidence& ev) {
  for (const domain::Checkpoint& cp : ev.checkpoints) {
    const std::string what = "checkpoint at tree size " + std::to_string(cp.tree_size);
    if (!ev.key || cp.key_id != ev.key->id) {
      return Problem{"unknown_key", std::nullopt, what + " is signed by unknown key " + cp.key_id};
    }
    const std::string body = domain::CheckpointSignedBytes(ev.tenant_id, cp.tree_size, cp.root_hash,
                                                           cp.created_at, cp.key_id);
    if (!crypto::VerifySignature(ev.key->public_key, body, cp.signature)) {
      return Problem{"bad_signature", std::nullopt, what + " has a signature that does not verify"};
    }
  }
  return std::nullopt;
}

MaybeProblem CheckEntry(const LogEvidence& ev, const domain::AuditEntry& e,
                        const std::string& reference, const std::string& content_leaf,
                        const std::unordered_map<std::string, std::int64_t>& position_of) {
  const std::int64_t idx = *e.leaf_index;
  if (content_leaf != reference) {
    auto it = position_of.find(content_leaf);
    if (it != position_of.end() && it->second != idx) {
      return Problem{"reordered", idx,
                     "entry " + e.id + " holds the content of leaf " + std::to_string(it->second)};
    }
    return Problem{"altered", idx, "entry " + e.id + " does not hash to its leaf"};
  }
  if (ev.stored_nodes && e.leaf_hash != reference) {
    return Problem{"altered", idx, "stored leaf hash of entry " + e.id + " differs from the log"};
  }
  return std::nullopt;
}

// Walks the entries in leaf order; appends each content leaf to `tree`.
MaybeProblem CheckLeaves(const LogEvidence& ev, merkle::MemoryTree& tree) {
  const std::vector<std::string>& refs = ev.reference_leaves;
  std::unordered_map<std::string, std::int64_t> position_of;
  for (std::size_t i = 0; i < refs.size(); ++i) {
    if (!refs[i].empty()) position_of.emplace(refs[i], static_cast<std::int64_t>(i));
  }
  std::int64_t pos = 0;
  for (std::size_t k = 0; k < ev.entries.size(); ++k) {
    const domain::AuditEntry& e = ev.entries[k];
    if (!e.leaf_index) return Problem{"altered", pos, "entry " + e.id + " has no leaf index"};
    if (*e.leaf_index < pos) {
      return Problem{"reordered", *e.leaf_index, "leaf index used twice by entry " + e.id};
    }
    if (*e.leaf_index > pos) {
      return Problem{"deleted", pos, "no entry holds leaf " + std::to_string(pos)};
    }
    const std::string content_leaf = domain::AuditLeafHash(e);
    const std::string none;
    const std::string& ref = static_cast<std::size_t>(pos) < refs.size() ? refs[pos] : none;
    if (auto p = CheckEntry(ev, e, ref, content_leaf, position_of)) return p;
    tree.Append(content_leaf);
    ++pos;
  }
  return std::nullopt;
}

MaybeProblem CheckSize(const LogEvidence& ev, std::int64_t entries) {
  std::int64_t expected = ev.claimed_size;
  for (const auto& cp : ev.checkpoints) expected = std::max(expected, cp.tree_size);
  if (entries < expected) {
    return Problem{"truncated", entries,
                   "the log claims " + std::to_string(expected) + " entries but holds " +
                       std::to_string(entries)};
  }
  if (entries > ev.claimed_size) {
    return Problem{"unexpected_entry", ev.claimed_size,
                   "entries past the log size " + std::to_string(ev.claimed_size)};
  }
  return std::nullopt;
}

MaybeProblem CheckRoots(const LogEvidence& ev, const merkle::MemoryTree& tree) {
  for (const auto& cp : ev.checkpoints) {
    if (tree.Root(cp.tree_size) != cp.root_hash) {
      return Problem{
          "root_mismatch", std::nullopt,
          "the entries do not give the signed root at tree size " + std::to_string(cp.tree_size)};
    }
  }
  return std::nullopt;
}

MaybeProblem CheckStoredNodes(const LogEvidence& ev, const merkle::MemoryTree& tree) {
  if (!ev.stored_nodes) return std::nullopt;
  const auto& levels = tree.levels();
  for (std::size_t level = 1; level < levels.size(); ++level) {
    for (std::size_t i = 0; i < levels[level].size(); ++i) {
      Result<std::string> stored = ev.stored_nodes(static_cast<int>(level), i);
      if (!stored.ok() || *stored != levels[level][i]) {
        return Problem{"node_mismatch", static_cast<std::int64_t>(i << level),
                       "stored node level " + std::to_string(level) + " index " +
                           std::to_string(i) + " differs"};
      }
    }
  }
  return std::nullopt;
}

}  // namespace

VerifyReport CheckLog(const LogEvidence& ev) {
  VerifyReport report;
  report.tenant_id = ev.tenant_id;
  report.entries_checked = static_cast<std::int64_t>(ev.entries.size());
  report.checkpoints_checked = static_cast<std::int64_t>(ev.checkpoints.size());
  merkle::MemoryTree tree;
  MaybeProblem problem = CheckSignatures(ev);
  if (!problem) problem = CheckLeaves(ev, tree);
  if (!problem) problem = CheckSize(ev, tree.size());
  if (!problem) problem = CheckRoots(ev, tree);
  if (!problem) problem = CheckStoredNodes(ev, tree);
  if (problem) {
    report.ok = false;
    report.kind = std::move(problem->kind);
    report.leaf_index = problem->leaf_index;
    report.detail = std::move(problem->detail);
  }
  return report;
}

}  // namespace sb::app
