#pragma once

// The exact bytes the audit log hashes and signs. Pure: no I/O.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/time.h"
#include "domain/model.h"

namespace sb::domain {

// Deterministic, unambiguous serialization of every field of `e` except leaf_index and
// leaf_hash (which the log derives from these bytes). A version line, then one line per
// field in fixed order: `<name> <decimal byte length>:<raw bytes>\n`, so no value can be
// confused with another whatever bytes it holds. Enums use their stable wire names.
std::string CanonicalAuditBytes(const AuditEntry& e);

// The Merkle leaf of `e`: SHA-256(0x00 || CanonicalAuditBytes(e)), 32 raw bytes.
std::string AuditLeafHash(const AuditEntry& e);

// The text a checkpoint signature covers, in the shape of a C2SP signed-note body
// (origin line, tree size, base64 root hash, then extension lines):
//
//   switchboard.audit/v1 <tenant_id>
//   <tree_size>
//   <base64 root_hash>
//   time <created_at, ms since the epoch>
//   key <key_id>
//
// Each line ends with '\n'. In tenant_id and key_id, '%' and bytes below 0x21 are written
// as %XX so the text stays one field per line.
std::string CheckpointSignedBytes(std::string_view tenant_id, std::int64_t tree_size,
                                  std::string_view root_hash, Timestamp created_at,
                                  std::string_view key_id);

// CheckpointSignedBytes of a stored checkpoint.
std::string CheckpointSignedBytes(const Checkpoint& c);

}  // namespace sb::domain
