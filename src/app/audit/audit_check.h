#pragma once

// Checks a tenant's audit log from its parts, wherever they came from (the database or an
// evidence bundle). Internal to the audit log; see app/audit_log.h.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/audit/audit_log.h"
#include "domain/merkle.h"
#include "domain/model.h"

namespace sb::app {

// Everything a check looks at.
struct LogEvidence {
  std::string tenant_id;
  // Sequenced entries in leaf-index order.
  std::vector<domain::AuditEntry> entries;
  // The size the log claims (the database's log size, or the latest checkpoint's size).
  std::int64_t claimed_size = 0;
  std::vector<domain::Checkpoint> checkpoints;
  // The signing key; nullopt when there is none (every checkpoint then fails).
  std::optional<domain::ServerKey> key;
  // The leaf hash recorded for each position apart from the entries (the stored level-0
  // nodes, or a bundle's leaf list); each entry's content is compared with it, which tells
  // an altered entry from one moved to another position.
  std::vector<std::string> reference_leaves;
  // Stored complete subtrees (the database) to check against the entries, or empty.
  domain::merkle::NodeLookup stored_nodes;
};

// Recomputes every leaf, root and (with stored_nodes) stored node, and every checkpoint's
// signature. Returns the first problem found, in this order: a checkpoint whose signature
// fails ("bad_signature", "unknown_key"); walking the leaves in order, a missing index
// ("deleted"), an entry whose content does not give its leaf ("altered"), or gives another
// position's leaf ("reordered"); fewer entries than claimed ("truncated"); a checkpoint
// root the entries do not give ("root_mismatch"); a stored node that differs from the one
// the entries give ("node_mismatch").
VerifyReport CheckLog(const LogEvidence& evidence);

}  // namespace sb::app
